"""Routing: which channels an event goes to, decided when the event is recorded.

Routes from settings are tried in order; a route matches on an optional minimum severity, a
list of companies and a list of rules. The first matching route decides, unless it says
`continue`, in which case later routes are tried as well and their channels added. With no
route matching, the rule's own channels apply. The channel registry's resolver then turns the
names into delivery channel ids (`slack` -> `slack:#capex-alerts`; an unconfigured channel ->
the console).

The pipeline hands `Router.channels_for` to the engine's evaluation and `Router.threads` to the
store, so neither knows a channel.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from watcher.alerts.channels import threads as channel_threads
from watcher.store.drafts import EventDraft
from watcher.vocab import severity_rank


class RouteLike(Protocol):
    """What a route from settings offers (`watcher.settings.RouteSettings`); read only."""

    @property
    def severity(self) -> str | None: ...
    @property
    def companies(self) -> list[str] | None: ...
    @property
    def rules(self) -> list[str] | None: ...
    @property
    def channels(self) -> list[str]: ...
    @property
    def continue_(self) -> bool: ...


class Routed(Protocol):
    """What routing looks at: an event or an event draft (a frozen dataclass); read only."""

    @property
    def rule(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def company(self) -> str | None: ...


def route_matches(route: RouteLike, item: Routed) -> bool:
    if route.severity is not None and severity_rank(item.severity) < severity_rank(route.severity):
        return False
    if route.companies is not None and (item.company or "").upper() not in {
        company.upper() for company in route.companies
    }:
        return False
    return route.rules is None or item.rule in route.rules


def routed_names(routes: Iterable[RouteLike], item: Routed, rule_channels: list[str]) -> list[str]:
    """Channel names for `item`: from the matching routes, else the rule's own."""
    names: list[str] = []
    matched = False
    for route in routes:
        if not route_matches(route, item):
            continue
        matched = True
        names.extend(route.channels)
        if not route.continue_:
            break
    return names if matched else list(rule_channels)


class Router:
    """The routing stage: `router(rule_channels, item)` -> delivery channel ids, where
    `resolve` (a `ChannelResolver`) turns channel names into ids."""

    def __init__(
        self,
        routes: Iterable[RouteLike],
        resolve: Callable[[list[str], Routed | None], list[str]],
    ):
        self.routes = list(routes)
        self.resolve = resolve

    def __call__(self, rule_channels: list[str], item: Routed | None = None) -> list[str]:
        names = rule_channels if item is None else routed_names(self.routes, item, rule_channels)
        return list(dict.fromkeys(self.resolve(list(names), item)))

    def channels_for(self, draft: EventDraft) -> list[str]:
        """The delivery channel ids of a draft, from the routes or its rule's channels."""
        return self(list(draft.channels), draft)

    @staticmethod
    def threads(channel_id: str) -> bool:
        """Whether a delivery channel takes thread updates (by its plug-in)."""
        return channel_threads(channel_id)
