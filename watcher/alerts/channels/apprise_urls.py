"""The `apprise` channel: each event sent to every Apprise URL in `apprise.urls` (Microsoft
Teams, Discord, Telegram, Mattermost, ntfy, PagerDuty, a JSON endpoint, ...) through the
`apprise` library; `apprise:URL` sends to that one URL instead. The title is the event's
headline, the body its plain text. A notification Apprise could not deliver raises
`DeliveryError` and the outbox retries. No thread updates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from watcher.alerts.channels.base import Channel
from watcher.settings import AppriseSettings, Settings

if TYPE_CHECKING:
    from watcher.alerts.notifiers import Notifier
    from watcher.store.models import Event, EventSource


def title_of(event: Event) -> str:
    from watcher.alerts.messages import headline

    return f"[{event.severity.upper()}] {headline(event)}"


class AppriseNotifier:
    """Sends one notification per event to each of its Apprise URLs."""

    def __init__(self, urls: list[str]):
        self.urls = urls

    def send(self, event: Event, sources: list[EventSource]) -> str | None:
        import apprise

        from watcher.alerts.messages import plain_text
        from watcher.alerts.notifiers import DeliveryError

        client = apprise.Apprise()
        for url in self.urls:
            if not client.add(url):
                raise DeliveryError("apprise: a URL in apprise.urls is not one Apprise knows")
        try:
            delivered = client.notify(title=title_of(event), body=plain_text(event, sources))
        except Exception as exc:  # a plug-in's own failure: retried like a refusal
            raise DeliveryError(f"apprise failed: {type(exc).__name__}: {exc}") from exc
        if not delivered:
            raise DeliveryError("apprise: at least one service did not accept the notification")
        return None


class AppriseChannel(Channel):
    name = "apprise"
    settings_key = "apprise"
    settings_model = AppriseSettings
    threads = False
    description = "any Apprise URL: Teams, Discord, Telegram, ntfy, ..."

    def enabled(self, settings: Settings) -> bool:
        return bool(settings.apprise.urls)

    def target_error(self, target: str) -> str | None:
        if target and "://" not in target:
            return f"not an Apprise URL: {target!r}"
        return None

    def notifiers(self, settings: Settings, ids: set[str]) -> dict[str, Notifier]:
        urls = [url.get_secret_value() for url in settings.apprise.urls]
        found: dict[str, Notifier] = {}
        if urls:
            found[self.name] = AppriseNotifier(urls)
        for channel_id in ids:
            url = channel_id.partition(":")[2]
            if url:
                found[channel_id] = AppriseNotifier([url])
        return found

    def render(self, event: Event, sources: list[EventSource], settings: Settings) -> Any:
        from watcher.alerts.messages import plain_text

        return {"title": title_of(event), "body": plain_text(event, sources)}
