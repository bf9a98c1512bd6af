"""The `slack` channel: Block Kit messages through slack_sdk (`chat.postMessage` with a bot
token, or an incoming webhook); updates reply in the event's thread. `slack` is the default
channel of `slack.channel`, `slack:#name` (or `slack:@user`, `slack:C123`) another one."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from watcher.alerts.channels.base import Channel
from watcher.settings import Settings, SlackSettings

if TYPE_CHECKING:
    from watcher.alerts.notifiers import Notifier
    from watcher.store.models import Event, EventSource

_TARGET = re.compile(r"^[#@]?[\w.-]+$")


class SlackChannel(Channel):
    name = "slack"
    settings_key = "slack"
    settings_model = SlackSettings
    threads = True
    description = "Slack: a bot token's chat.postMessage, or an incoming webhook"

    def enabled(self, settings: Settings) -> bool:
        return settings.slack.enabled

    def target_error(self, target: str) -> str | None:
        if target and not _TARGET.match(target):
            return f"not a Slack channel: {target!r} (use slack:#name)"
        return None

    def delivery_id(self, target: str, settings: Settings) -> str:
        return f"slack:{target or settings.slack.channel}"

    def notifiers(self, settings: Settings, ids: set[str]) -> dict[str, Notifier]:
        from watcher.alerts.slack import slack_notifiers

        channels = {settings.slack.channel} | {i.partition(":")[2] for i in ids}
        channels.discard("")
        return slack_notifiers(settings.slack, channels)

    def render(self, event: Event, sources: list[EventSource], settings: Settings) -> Any:
        from watcher.alerts.messages import fallback_text, slack_blocks

        return {"text": fallback_text(event), "blocks": slack_blocks(event, sources)}
