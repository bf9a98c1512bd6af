"""The `webhook` channel: each event POSTed as JSON to `webhook.url` (`webhook:URL` to another
URL), signed with `webhook.secret`: `X-Watcher-Signature: sha256=<hex HMAC-SHA256 of the exact
body>`. A timeout, a connection error or an answer other than 2xx raises `DeliveryError`, so
the outbox retries (not before the Retry-After the server names). No thread updates."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import TYPE_CHECKING, Any

from watcher.alerts.channels.base import Channel
from watcher.http_util import retry_after
from watcher.settings import Settings, WebhookSettings
from watcher.store.drafts import event_details

if TYPE_CHECKING:
    from watcher.alerts.notifiers import Notifier
    from watcher.store.models import Event, EventSource

SIGNATURE_HEADER = "X-Watcher-Signature"


def payload(event: Event, sources: list[EventSource]) -> dict[str, Any]:
    """The event as the webhook's JSON body."""
    return {
        "id": event.id,
        "key": event.key,
        "rule": event.rule,
        "company": event.company,
        "metric": event.metric,
        "period": event.period,
        "change": event.change,
        "change_pct": event.change_pct,
        "figures": {"low": event.low, "high": event.high},
        "prior": {"low": event.prior_low, "high": event.prior_high},
        "value": event.value,
        "previous": event.previous,
        "currency": event.currency,
        "severity": event.severity,
        "confirmed": event.confirmed,
        "headline": event.headline or event.summary,
        "details": [{"label": label, "value": value} for label, value in event_details(event)],
        "summary": event.summary,
        "quote": event.quote,
        "sources": [
            {"name": source.source_name, "url": source.url, "title": source.title}
            for source in sources
        ],
        "created_at": event.created_at.isoformat() if event.created_at else None,
    }


def body_of(event: Event, sources: list[EventSource]) -> bytes:
    return json.dumps(payload(event, sources), ensure_ascii=False, sort_keys=True).encode()


def signature(secret: str, body: bytes) -> str:
    """The header value: `sha256=` and the hex HMAC-SHA256 of `body` keyed with `secret`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookNotifier:
    """POSTs one JSON document per event."""

    def __init__(self, url: str, secret: str | None, timeout: float):
        self.url = url
        self.secret = secret
        self.timeout = timeout

    def send(self, event: Event, sources: list[EventSource]) -> str | None:
        import httpx

        from watcher.alerts.notifiers import DeliveryError

        body = body_of(event, sources)
        headers = {"Content-Type": "application/json", "User-Agent": "capex-watcher"}
        if self.secret:
            headers[SIGNATURE_HEADER] = signature(self.secret, body)
        try:
            response = httpx.post(self.url, content=body, headers=headers, timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"webhook unreachable: {type(exc).__name__}: {exc}") from exc
        if not response.is_success:
            raise DeliveryError(
                f"webhook refused the event: HTTP {response.status_code} {response.text[:200]}",
                retry_after=retry_after(response.headers),
            )
        return response.headers.get("X-Request-Id") or None


class WebhookChannel(Channel):
    name = "webhook"
    settings_key = "webhook"
    settings_model = WebhookSettings
    threads = False
    description = "a signed JSON POST of each event"

    def enabled(self, settings: Settings) -> bool:
        return settings.webhook.url is not None

    def target_error(self, target: str) -> str | None:
        if target and not target.startswith(("http://", "https://")):
            return f"not an http(s) URL: {target!r}"
        return None

    def notifiers(self, settings: Settings, ids: set[str]) -> dict[str, Notifier]:
        webhook = settings.webhook
        secret = webhook.secret.get_secret_value() if webhook.secret else None
        found: dict[str, Notifier] = {}
        if webhook.url:
            found[self.name] = WebhookNotifier(webhook.url, secret, webhook.timeout)
        for channel_id in ids:
            url = channel_id.partition(":")[2]
            if url:
                found[channel_id] = WebhookNotifier(url, secret, webhook.timeout)
        return found

    def render(self, event: Event, sources: list[EventSource], settings: Settings) -> Any:
        return payload(event, sources)
