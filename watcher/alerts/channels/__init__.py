"""The channel registry: every channel an event can go to, found by name.

Rules and routes name channels as `name` or `name:target`; `CHANNELS[name]` is the plug-in
(`watcher.alerts.channels.base.Channel`) that validates the target, says whether the settings
configure it, builds its notifiers, renders and previews its messages and says whether it takes
thread updates. Adding a channel is adding a module here and one line below.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from watcher.alerts.channels.apprise_urls import AppriseChannel
from watcher.alerts.channels.base import Channel
from watcher.alerts.channels.console import ConsoleChannel
from watcher.alerts.channels.email import EmailChannel
from watcher.alerts.channels.slack import SlackChannel
from watcher.alerts.channels.webhook import WebhookChannel
from watcher.errors import WatcherError
from watcher.settings import Settings

if TYPE_CHECKING:
    from watcher.alerts.notifiers import Notifier

CHANNELS: dict[str, Channel] = {
    channel.name: channel
    for channel in (
        ConsoleChannel(),
        SlackChannel(),
        EmailChannel(),
        WebhookChannel(),
        AppriseChannel(),
    )
}
FALLBACK = "console"  # where the alerts of an unconfigured channel go


def names() -> list[str]:
    return sorted(CHANNELS)


def channel_of(channel_id: str) -> Channel | None:
    """The plug-in of a delivery channel id (`slack:#x` -> the Slack channel)."""
    return CHANNELS.get(channel_id.partition(":")[0])


def name_error(name: str) -> str | None:
    """Why `name` (as a rule or route writes it) is not a channel, or None when it is."""
    kind, _, target = name.partition(":")
    channel = CHANNELS.get(kind)
    if channel is None:
        return f"unknown channel {name!r} (known: {', '.join(names())})"
    return channel.target_error(target)


def check_names(channel_names: Iterable[str]) -> None:
    for name in channel_names:
        problem = name_error(name)
        if problem:
            raise WatcherError(problem)


def threads(channel_id: str) -> bool:
    """Whether the channel of this delivery id takes thread updates."""
    channel = channel_of(channel_id)
    return bool(channel and channel.threads)


class ChannelResolver:
    """Turns channel names into delivery channel ids with the settings bound: `slack` is the
    default Slack channel, a channel the settings do not configure falls back to the console
    (no alert waits on nothing), and with `subscriptions` an event also goes to every channel
    that subscribes to it (email for urgent events)."""

    def __init__(self, settings: Settings, *, subscriptions: bool = True):
        self.settings = settings
        self.subscriptions = subscriptions

    def __call__(self, channel_names: list[str], item: Any = None) -> list[str]:
        resolved: list[str] = []
        for name in channel_names:
            kind, _, target = name.partition(":")
            channel = CHANNELS.get(kind)
            if channel is None or not channel.enabled(self.settings):
                resolved.append(FALLBACK)
            else:
                resolved.append(channel.delivery_id(target, self.settings))
        if self.subscriptions and item is not None:
            resolved += [
                channel.delivery_id("", self.settings)
                for channel in CHANNELS.values()
                if channel.subscribes(item, self.settings)
            ]
        return list(dict.fromkeys(resolved))


def build_notifiers(settings: Settings, channel_ids: Iterable[str]) -> dict[str, Notifier]:
    """Notifiers for the console, every configured channel's default, and `channel_ids`."""
    ids = set(channel_ids)
    found: dict[str, Notifier] = {}
    for channel in CHANNELS.values():
        if channel.enabled(settings):
            mine = {i for i in ids if i.partition(":")[0] == channel.name}
            found.update(channel.notifiers(settings, mine))
    return found


def preview(name: str, event: Any, sources: list, settings: Settings) -> str:
    """`watcher alerts preview EVENT --channel NAME`: the message, nothing sent."""
    channel = CHANNELS.get(name)
    if channel is None:
        raise WatcherError(f"--channel: use one of {', '.join(names())}, not {name!r}")
    return channel.preview(event, sources, settings)
