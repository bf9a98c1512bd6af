"""What a channel plug-in is: a name (used as `name` or `name:target` in rules and routes), a
settings section, a notifier factory, a renderer, whether updates reply in the event's thread,
and a preview. Each channel lives in its own module of this package and registers itself in
`watcher.alerts.channels.CHANNELS`.

A delivery channel id is what an outbox row names: the channel's name, or `name:target`
(`slack:#capex`, `email:desk@example.com`). `Channel.delivery_id` turns what a rule or route
says into that id (`slack` becomes `slack:#capex-alerts`, the default channel).

A channel module imports its notifiers, message rendering and clients inside the methods that
build, render or send: the registry is also loaded only for its names and targets (`watcher
rules check`), which needs none of them.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel

from watcher.settings import Settings

if TYPE_CHECKING:
    from watcher.alerts.notifiers import Notifier
    from watcher.store.models import Event, EventSource


class Channel:
    """One kind of channel. Subclasses set the class attributes and override what differs."""

    name: ClassVar[str]
    # The section of `Settings` holding this channel's settings (None: it has none).
    settings_key: ClassVar[str | None] = None
    settings_model: ClassVar[type[BaseModel] | None] = None
    # Whether the channel takes updates about an event it has announced (another source, a
    # confirmation, a correction): as replies in the message's thread where it has threads.
    threads: ClassVar[bool] = False
    description: ClassVar[str] = ""

    def enabled(self, settings: Settings) -> bool:
        """Whether the settings configure this channel; an unconfigured channel's alerts go
        to the console instead."""
        return True

    def target_error(self, target: str) -> str | None:
        """Why `target` (after `name:`) is not a valid target, or None when it is."""
        return None

    def delivery_id(self, target: str, settings: Settings) -> str:
        """The outbox channel id for `name` (target "") or `name:target`."""
        return f"{self.name}:{target}" if target else self.name

    def subscribes(self, item: Any, settings: Settings) -> bool:
        """Whether every event like `item` (a draft: severity, company, rule) also goes here,
        whatever the routes say (the immediate email of urgent events)."""
        return False

    def notifiers(self, settings: Settings, ids: set[str]) -> dict[str, Notifier]:
        """One notifier per delivery id of this channel that the settings make possible."""
        raise NotImplementedError

    def render(self, event: Event, sources: list[EventSource], settings: Settings) -> Any:
        """The message as this channel sends it (a string, or JSON-able data)."""
        raise NotImplementedError

    def preview(self, event: Event, sources: list[EventSource], settings: Settings) -> str:
        """The message as `watcher alerts preview` prints it, nothing sent."""
        rendered = self.render(event, sources, settings)
        if isinstance(rendered, str):
            return rendered
        return json.dumps(rendered, indent=2, ensure_ascii=False)


def target_of(channel_id: str) -> str:
    return channel_id.partition(":")[2]
