"""Routing: the stage that decides which channels an event goes to.

Routes from settings are tried in order; a route matches on an optional minimum severity, a
list of companies and a list of rules. The first matching route decides, unless it says
`continue`, in which case later routes are tried as well and their channels added. With no
route matching, the rule's own channels apply. The outbox's `resolve_channels` then turns the
names into delivery channel ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from watcher.alerts.outbox import CONSOLE

SEVERITY_ORDER = ("info", "low", "medium", "high", "critical")


class RouteLike(Protocol):
    """What a route from settings offers (`watcher.settings.RouteSettings`)."""

    severity: str | None
    companies: list[str] | None
    rules: list[str] | None
    channels: list[str]
    continue_: bool


class Routed(Protocol):
    """What routing looks at: an event or an event draft."""

    rule: str
    severity: str
    company: str | None


def severity_rank(severity: str) -> int:
    try:
        return SEVERITY_ORDER.index(severity)
    except ValueError:
        return 0


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
    """The routing stage: `router(rule_channels, draft)` -> delivery channel ids.

    `resolve` turns channel names into delivery channel ids (the outbox's `resolve_channels`
    with the Slack and email settings bound); names of a channel kind that is not configured
    (email without an SMTP host) fall back to the console so no alert waits on nothing.
    """

    def __init__(
        self,
        routes: Iterable[RouteLike],
        resolve: Callable[[list[str], Routed | None], list[str]],
        *,
        email_enabled: bool,
    ):
        self.routes = list(routes)
        self.resolve = resolve
        self.email_enabled = email_enabled

    def __call__(self, rule_channels: list[str], item: Routed | None = None) -> list[str]:
        names = rule_channels if item is None else routed_names(self.routes, item, rule_channels)
        names = [self._available(name) for name in names]
        return _unique(self.resolve(names, item))

    def _available(self, name: str) -> str:
        return CONSOLE if name.startswith("email") and not self.email_enabled else name


def _unique(channels: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(channels))
