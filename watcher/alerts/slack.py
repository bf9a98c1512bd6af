"""Slack clients built from settings: a bot token's WebClient or an incoming webhook, each with
a few quick retries inside one send for what cannot have posted anything: a rate limit with a
short Retry-After, and a connection that was never made (refused, unreachable, name not
found). The outbox's backoff handles what remains.

Nothing that may have reached Slack is retried inside the send: a timeout, a connection reset
or closed after the request went out, a 5xx answer. Slack may have posted a message whose
answer came too late or broke, and each retry would post it again (a slow Slack once got one
alert 15 times). The send fails, the delivery stays pending with its error, and the outbox
tries again at its next attempt.
"""

from __future__ import annotations

import errno
import random
import socket
import time
from urllib.error import HTTPError, URLError

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
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


# Why a connection was never made: the request cannot have reached Slack.
NOT_CONNECTED = (
    ConnectionRefusedError,
    socket.gaierror,  # the name did not resolve
)
NOT_CONNECTED_ERRNOS = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ECONNREFUSED}


def never_connected(error: BaseException | None) -> bool:
    """Whether `error` says the connection failed before any of the request was sent.

    urllib wraps what happens while connecting and sending in a URLError, and lets what happens
    while reading the answer through (RemoteDisconnected, ConnectionResetError, TimeoutError).
    A reset or timeout while sending may come after Slack read the whole request, so only a
    refused or unreachable connection, or a name that did not resolve, counts."""
    if not isinstance(error, URLError) or isinstance(error, HTTPError):
        return False
    reason = error.reason
    if isinstance(reason, NOT_CONNECTED):
        return True
    return (
        isinstance(reason, OSError)
        and not isinstance(reason, TimeoutError)
        and reason.errno in NOT_CONNECTED_ERRNOS
    )


class NotConnectedRetryHandler(RetryHandler):
    """Retries a send whose connection was never made (refused, unreachable, name not found).
    Never one that timed out, was reset or closed after sending, or got a 5xx answer: the
    request may have reached Slack and been posted."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is None and never_connected(error)


def retry_handlers(settings: SlackSettings) -> list[RetryHandler]:
    count = settings.max_retries
    return [
        BoundedRateLimitRetryHandler(count, settings.max_retry_after),
        NotConnectedRetryHandler(max_retry_count=count),
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
