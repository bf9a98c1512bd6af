"""The `email` channel: one SMTP message per event to `email.to` (`email:addr` to another
address). Events at or above `email.min_severity` get one whatever the routes say; every event
also goes to the digest. Email takes no thread updates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from watcher.alerts.channels.base import Channel
from watcher.settings import EmailSettings, Settings
from watcher.vocab import severity_rank

if TYPE_CHECKING:
    from watcher.alerts.notifiers import Notifier
    from watcher.store.models import Event, EventSource


class EmailChannel(Channel):
    name = "email"
    settings_key = "email"
    settings_model = EmailSettings
    threads = False
    description = "email over SMTP (STARTTLS, TLS or none)"

    def enabled(self, settings: Settings) -> bool:
        return bool(settings.email.host)

    def target_error(self, target: str) -> str | None:
        if target and ("@" not in target or "," in target or any(c.isspace() for c in target)):
            return f"not an email address: {target!r}"
        return None

    def subscribes(self, item: Any, settings: Settings) -> bool:
        email = settings.email
        return bool(
            email.host
            and item is not None
            and severity_rank(item.severity) >= severity_rank(email.min_severity)
        )

    def notifiers(self, settings: Settings, ids: set[str]) -> dict[str, Notifier]:
        from watcher.alerts.email import EmailNotifier

        email = settings.email
        found: dict[str, Notifier] = {self.name: EmailNotifier(email)}
        for channel_id in ids:
            address = channel_id.partition(":")[2]
            if address:
                found[channel_id] = EmailNotifier(email.model_copy(update={"to": [address]}))
        return found

    def render(self, event: Event, sources: list[EventSource], settings: Settings) -> str:
        from watcher.alerts.email import event_message

        message = event_message(settings.email, event, sources)
        lines = [f"{name}: {value}" for name, value in message.items()]
        for part in message.walk():
            if part.is_multipart():
                continue
            lines += ["", f"--- {part.get_content_type()} ---", part.get_content().rstrip()]
        return "\n".join(lines)
