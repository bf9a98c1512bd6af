"""Notifiers: one small class per channel kind behind `send(event, sources) -> message id`;
those that take updates (Slack, console) also have `send_update(event, note, thread_ts)`.

A notifier raises `DeliveryError` when the channel did not accept the message; the outbox then
keeps the delivery pending and retries it later (not before the `retry_after` it names), or
marks it failed at once when the error is `permanent` (a revoked token, a channel that does
not exist: no retry can change the answer).

Slack: a message whose blocks Slack refuses (`invalid_blocks`) is sent once more as plain
text; a post that timed out is not posted again within the send (Slack may have posted it).
"""

from __future__ import annotations

import logging
import sys
import urllib.error
from http.client import HTTPException
from typing import TYPE_CHECKING, Protocol, TextIO

from watcher.alerts.messages import (
    fallback_text,
    plain_text,
    slack_blocks,
    slack_plain_text,
    slack_update_text,
    update_blocks,
    update_text,
)
from watcher.errors import WatcherError
from watcher.http_util import retry_after

if TYPE_CHECKING:
    # slack_sdk is imported where a message is posted: a process without Slack never loads it.
    from slack_sdk import WebClient
    from slack_sdk.webhook import WebhookClient

    from watcher.store.models import Event, EventSource


log = logging.getLogger(__name__)

# Slack's answers that no retry can change (Web API and incoming webhooks): the token, the
# channel or the message is wrong, and a person has to fix it.
PERMANENT_SLACK_ERRORS = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "no_permission",
        "missing_scope",
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "invalid_blocks",
        "invalid_blocks_format",
        "msg_too_long",
        "no_text",
        "invalid_arguments",
        "invalid_token",
        "no_service",
        "no_service_id",
        "no_team",
        "team_disabled",
        "channel_is_archived",
        "action_prohibited",
        "posting_to_general_channel_denied",
        "invalid_payload",
        "user_not_found",
    }
)
REFUSED_BLOCKS = frozenset({"invalid_blocks", "invalid_blocks_format"})


class DeliveryError(WatcherError):
    """The channel did not accept a message; `retry_after`: seconds it asked us to wait;
    `permanent`: retrying cannot help, the delivery fails at once."""

    def __init__(self, message: str, *, retry_after: float | None = None, permanent: bool = False):
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent


class SlackRefused(DeliveryError):
    """Slack answered with an error code (`channel_not_found`, `ratelimited`, ...)."""

    def __init__(self, message: str, code: str, *, retry_after: float | None = None):
        super().__init__(message, retry_after=retry_after, permanent=code in PERMANENT_SLACK_ERRORS)
        self.code = code


def _is_timeout(exc: BaseException) -> bool:
    return isinstance(exc, TimeoutError) or (
        isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, TimeoutError)
    )


def _unreachable(what: str, exc: BaseException) -> DeliveryError:
    if _is_timeout(exc):
        return DeliveryError(
            f"{what} did not answer in time (timed out); it may have posted the message, so it "
            "is sent again only at the next attempt"
        )
    return DeliveryError(f"{what} unreachable: {type(exc).__name__}: {exc}")


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
        plain = slack_plain_text(event, sources)
        return self._send(fallback_text(event), slack_blocks(event, sources), plain)

    def send_update(self, event: Event, note: str, thread_ts: str | None) -> str | None:
        text = slack_update_text(event, note)
        return self._send(text, update_blocks(event, note), text, thread_ts)

    def _send(
        self, text: str, blocks: list[dict], plain: str, thread_ts: str | None = None
    ) -> str | None:
        """Post with blocks; when Slack refuses the blocks, post once more as text alone."""
        try:
            return self._post(text=text, blocks=blocks, thread_ts=thread_ts)
        except SlackRefused as exc:
            if exc.code not in REFUSED_BLOCKS:
                raise
            log.warning("Slack refused a message's blocks (%s); sending it as plain text", exc.code)
        return self._post(text=plain, blocks=None, thread_ts=thread_ts)

    def _post(
        self, *, text: str, blocks: list[dict] | None, thread_ts: str | None = None
    ) -> str | None:
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
            code = str(exc.response.get("error") or f"HTTP {exc.response.status_code}")
            raise SlackRefused(
                f"Slack refused the message: {code}",
                code,
                retry_after=retry_after(exc.response.headers),
            ) from exc
        except (SlackClientError, OSError, HTTPException, ValueError) as exc:
            # ValueError: a reply that is not JSON (a proxy's error page, say).
            raise _unreachable("Slack", exc) from exc
        return str(response.get("ts") or "") or None


class SlackWebhookNotifier:
    """Posts through an incoming webhook: the channel is the webhook's own, and there are no
    threads, so updates are follow-up messages (and no message id is known)."""

    def __init__(self, client: WebhookClient):
        self.client = client

    def send(self, event: Event, sources: list[EventSource]) -> str | None:
        plain = slack_plain_text(event, sources)
        self._send(fallback_text(event), slack_blocks(event, sources), plain)
        return None  # an incoming webhook names no message

    def send_update(self, event: Event, note: str, thread_ts: str | None) -> str | None:
        text = slack_update_text(event, note)
        self._send(text, update_blocks(event, note), text)
        return None

    def _send(self, text: str, blocks: list[dict], plain: str) -> None:
        """Post with blocks; when Slack refuses the blocks, post once more as text alone."""
        try:
            self._post(text=text, blocks=blocks)
            return
        except SlackRefused as exc:
            if exc.code not in REFUSED_BLOCKS:
                raise
            log.warning("Slack refused a message's blocks (%s); sending it as plain text", exc.code)
        self._post(text=plain, blocks=None)

    def _post(self, *, text: str, blocks: list[dict] | None) -> None:
        from slack_sdk.errors import SlackClientError

        try:
            response = self.client.send(
                text=text, blocks=blocks, unfurl_links=False, unfurl_media=False
            )
        except (SlackClientError, OSError, HTTPException, ValueError) as exc:
            raise _unreachable("Slack webhook", exc) from exc
        if response.status_code != 200:
            code = " ".join((response.body or "").split())[:200]
            raise SlackRefused(
                f"Slack webhook refused the message: HTTP {response.status_code} {code}",
                code,
                retry_after=retry_after(response.headers),
            )
