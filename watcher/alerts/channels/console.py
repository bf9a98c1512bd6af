"""The `console` channel: alerts as plain text on standard output, and updates as one line.
Always available; the channel every unconfigured channel falls back to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from watcher.alerts.channels.base import Channel
from watcher.settings import Settings

if TYPE_CHECKING:
    from watcher.alerts.notifiers import Notifier
    from watcher.store.models import Event, EventSource


class ConsoleChannel(Channel):
    name = "console"
    threads = True
    description = "plain text on standard output"

    def target_error(self, target: str) -> str | None:
        return f"console takes no target, got {target!r}" if target else None

    def notifiers(self, settings: Settings, ids: set[str]) -> dict[str, Notifier]:
        from watcher.alerts.notifiers import ConsoleNotifier

        return {self.name: ConsoleNotifier()}

    def render(self, event: Event, sources: list[EventSource], settings: Settings) -> str:
        from watcher.alerts.messages import plain_text

        return plain_text(event, sources)
