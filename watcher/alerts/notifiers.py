"""Notifiers: one small class per channel kind behind `send(event, sources) -> message id`;
those that take updates (Slack, console) also have `send_update(event, note, thread_ts)`.

A notifier raises `DeliveryError` when the channel did not accept the message; the outbox then
keeps the delivery pending and retries it later (not before the `retry_after` it names).
"""

from __future__ import annotations

import sys
from http.client import HTTPException
from typing import TYPE_CHECKING, Protocol, TextIO

from watcher.alerts.messages import (
    escape_mrkdwn,
    fallback_text,
    plain_text,
    slack_blocks,
    update_blocks,
    update_text,
)
from watcher.errors import WatcherError
from watcher.http_util import retry_after
from watcher.store.models import Event, EventSource

if TYPE_CHECKING:
    # slack_sdk is imported where a message is posted: a process without Slack never loads it.
    from slack_sdk import WebClient
    from slack_sdk.webhook import WebhookClient


class DeliveryError(WatcherError):
    """The channel did not accept a message; `retry_after`: seconds it asked us to wait."""

    def __init__(self, message: str, *, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class Notifier(Protocol):
    def send(self, event: Event, sources: list[EventSource]) -> str | None: ...


class UpdateNotifier(Notifier, Protocol):
    """A channel that also takes updates, in the thread of `thread_ts` where it has threads."""

    def send_update(self, event: Event, note: str, thread_ts: str | None) -> str | None: ...


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

    def send_update(self, event: Event, note: str, thread_ts: str | None) -> str | None:
        stream = self.stream or sys.stdout
        try:
            print(update_text(event, note), file=stream, flush=True)
        except OSError as exc:
            raise DeliveryError(f"console unwritable: {exc}") from exc
        return None


class SlackNotifier:
    """Posts Block Kit messages with `chat.postMessage` through slack_sdk's WebClient."""

    def __init__(self, client: WebClient, channel: str):
        self.client = client
        self.channel = channel

    def send(self, event: Event, sources: list[EventSource]) -> str | None:
        return self._post(text=fallback_text(event), blocks=slack_blocks(event, sources))

    def send_update(self, event: Event, note: str, thread_ts: str | None) -> str | None:
        text = escape_mrkdwn(update_text(event, note))
        return self._post(text=text, blocks=update_blocks(event, note), thread_ts=thread_ts)

    def _post(self, *, text: str, blocks: list[dict], thread_ts: str | None = None) -> str | None:
        from slack_sdk.errors import SlackApiError, SlackClientError

        try:
            # slack_sdk leaves out arguments that are None (thread_ts of a new message).
            response = self.client.chat_postMessage(
                channel=self.channel,
                text=text,
                blocks=blocks,
                thread_ts=thread_ts,
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as exc:
            raise DeliveryError(
                f"Slack refused the message: {exc.response.get('error')}",
                retry_after=retry_after(exc.response.headers),
            ) from exc
        except (SlackClientError, OSError, HTTPException, ValueError) as exc:
            # ValueError: a reply that is not JSON (a proxy's error page, say).
            raise DeliveryError(f"Slack unreachable: {type(exc).__name__}: {exc}") from exc
        return str(response.get("ts") or "") or None


class SlackWebhookNotifier:
    """Posts through an incoming webhook: the channel is the webhook's own, and there are no
    threads, so updates are follow-up messages (and no message id is known)."""

    def __init__(self, client: WebhookClient):
        self.client = client

    def send(self, event: Event, sources: list[EventSource]) -> str | None:
        self._post(text=fallback_text(event), blocks=slack_blocks(event, sources))
        return None  # an incoming webhook names no message

    def send_update(self, event: Event, note: str, thread_ts: str | None) -> str | None:
        self._post(text=escape_mrkdwn(update_text(event, note)), blocks=update_blocks(event, note))
        return None

    def _post(self, *, text: str, blocks: list[dict]) -> None:
        from slack_sdk.errors import SlackClientError

        try:
            response = self.client.send(
                text=text, blocks=blocks, unfurl_links=False, unfurl_media=False
            )
        except (SlackClientError, OSError, HTTPException, ValueError) as exc:
            raise DeliveryError(f"Slack webhook unreachable: {type(exc).__name__}: {exc}") from exc
        if response.status_code != 200:
            raise DeliveryError(
                f"Slack webhook refused the message: HTTP {response.status_code} "
                f"{(response.body or '')[:200]}",
                retry_after=retry_after(response.headers),
            )
