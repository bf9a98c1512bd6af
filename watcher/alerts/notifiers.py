"""Notifiers: one small class per channel kind behind `send(event, sources) -> message id`.

A notifier raises `DeliveryError` when the channel did not accept the message; the outbox then
keeps the delivery pending and retries it later.
"""

from __future__ import annotations

import sys
from http.client import HTTPException
from typing import Protocol, TextIO

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from watcher.alerts.messages import plain_text, slack_blocks
from watcher.errors import WatcherError
from watcher.store.models import Event, EventSource


class DeliveryError(WatcherError):
    """The channel did not accept a message."""


class Notifier(Protocol):
    def send(self, event: Event, sources: list[EventSource]) -> str | None: ...


class ConsoleNotifier:
    """Prints alerts to a stream: the default when no Slack token is set."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream

    def send(self, event: Event, sources: list[EventSource]) -> str | None:
        stream = self.stream or sys.stdout
        try:
            print(plain_text(event, sources), file=stream, flush=True)
        except OSError as exc:  # a closed pipe or a full disk
            raise DeliveryError(f"console unwritable: {exc}") from exc
        return None


class SlackNotifier:
    """Posts Block Kit messages with `chat.postMessage` through slack_sdk's WebClient."""

    def __init__(self, client: WebClient, channel: str):
        self.client = client
        self.channel = channel

    def send(self, event: Event, sources: list[EventSource]) -> str | None:
        try:
            response = self.client.chat_postMessage(
                channel=self.channel,
                text=plain_text(event, sources).splitlines()[0],
                blocks=slack_blocks(event, sources),
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as exc:
            raise DeliveryError(f"Slack refused the message: {exc.response.get('error')}") from exc
        except (SlackClientError, OSError, HTTPException, ValueError) as exc:
            # ValueError: a reply that is not JSON (a proxy's error page, say).
            raise DeliveryError(f"Slack unreachable: {type(exc).__name__}: {exc}") from exc
        return str(response.get("ts") or "") or None
