"""Slack clients built from settings: a bot token's WebClient or an incoming webhook, each with
slack_sdk's retry handlers (rate limits honouring a short Retry-After, 5xx, connection errors)
for a few quick retries inside one send; the outbox's backoff handles what remains.

A timeout is never retried inside the send: Slack may have posted a message whose answer came
too late, and each retry would post it again (a slow Slack once got one alert 15 times). The
send fails, and the outbox tries again at its next attempt.
"""

from __future__ import annotations

import random
import time
from http.client import RemoteDisconnected
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.webhook import WebhookClient

from watcher.alerts.notifiers import Notifier, SlackNotifier, SlackWebhookNotifier
from watcher.http_util import retry_after
from watcher.settings import SlackSettings


class BoundedRateLimitRetryHandler(RateLimitErrorRetryHandler):
    """Retries a 429 after its Retry-After, unless that is longer than `max_wait` seconds: a
    long wait is not slept through inside the delivery job, the outbox schedules it instead."""

    def __init__(self, max_retry_count: int, max_wait: float):
        super().__init__(max_retry_count=max_retry_count)
        self.max_wait = max_wait

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if not super()._can_retry(state=state, request=request, response=response, error=error):
            return False
        headers = response.headers if response is not None else None
        return (retry_after(headers) or 0.0) <= self.max_wait

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        # slack_sdk's own reads the header with int(), which fails on "1.5" or an HTTP date.
        state.next_attempt_requested = True
        wait = retry_after(response.headers if response is not None else None)
        time.sleep((1.0 if wait is None else wait) + random.random())
        state.increment_current_attempt()


class NoTimeoutConnectionErrorRetryHandler(ConnectionErrorRetryHandler):
    """Retries a connection that failed (refused, reset, closed before the answer), never one
    that timed out: the request may have reached Slack and been posted."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if isinstance(error, TimeoutError) or (
            isinstance(error, URLError) and isinstance(error.reason, TimeoutError)
        ):
            return False
        return super()._can_retry(state=state, request=request, response=response, error=error)


def retry_handlers(settings: SlackSettings) -> list[RetryHandler]:
    count = settings.max_retries
    return [
        BoundedRateLimitRetryHandler(count, settings.max_retry_after),
        ServerErrorRetryHandler(max_retry_count=count),
        NoTimeoutConnectionErrorRetryHandler(
            max_retry_count=count,
            error_types=[URLError, ConnectionResetError, RemoteDisconnected],
        ),
    ]


def slack_notifiers(settings: SlackSettings, channels: set[str]) -> dict[str, Notifier]:
    """One notifier per "slack:<channel>" delivery channel; none without a token or webhook.

    With a webhook, every Slack channel posts through it (the webhook fixes the channel)."""
    timeout = max(1, round(settings.timeout))
    if settings.token is not None:
        client = WebClient(
            token=settings.token.get_secret_value(),
            base_url=settings.api_url,
            timeout=timeout,
            retry_handlers=retry_handlers(settings),
        )
        return {f"slack:{channel}": SlackNotifier(client, channel) for channel in channels}
    if settings.webhook_url is not None:
        webhook = WebhookClient(
            settings.webhook_url.get_secret_value(),
            timeout=timeout,
            retry_handlers=retry_handlers(settings),
        )
        notifier = SlackWebhookNotifier(webhook)
        return {f"slack:{channel}": notifier for channel in channels}
    return {}
