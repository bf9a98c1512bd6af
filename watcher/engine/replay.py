"""Replaying stored history through one rule (`watcher rules test`): the events the rule
would have raised, in time order, computed without storing or sending anything.

Observation rules see each stored observation in publication order, with the history before
it; series rules see each quarter as first filed, which is what was known at the time.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select

from watcher.engine.evaluate import series_events
from watcher.engine.history import StoredHistory, load_series
from watcher.engine.series_rules import SeriesRule
from watcher.engine.types import EventDraft, Rule
from watcher.store.db import session_scope
from watcher.store.models import Event, Observation


def replay(engine: Engine, rule: Rule, *, since: date | None = None) -> list[dict[str, Any]]:
    with session_scope(engine) as session:
        if isinstance(rule, SeriesRule):
            found = _replay_series(session, rule)
        else:
            found = _replay_observations(session, rule)
        session.rollback()  # nothing a replay does is kept
    return [item for item in found if since is None or item["when"] >= since]


def _replay_series(session: Session, rule: SeriesRule) -> list[dict[str, Any]]:
    everyone = load_series(session, as_first_filed=True)
    found = series_events(rule, set(everyone), everyone)
    return sorted(
        (_describe(item.draft, item.filed) for item in found),
        key=lambda item: (item["when"], item["company"] or "", item["period"]),
    )


class _ReplayHistory(StoredHistory):
    """Stored observations as history; events only those raised earlier in this replay."""

    def __init__(self, session: Session):
        super().__init__(session)
        self.raised: dict[tuple, str] = {}

    def event_for_figure(self, rule: str, observation: Observation) -> Event | None:
        key = self.raised.get(_figure(observation))
        return (
            None
            if key is None
            else Event(key=key, rule=rule, severity="", metric="", quote="", summary="")
        )


def _figure(item: Observation | EventDraft) -> tuple:
    return (item.company, item.metric, item.period, item.currency, item.low, item.high)


def _replay_observations(session: Session, rule: Rule) -> list[dict[str, Any]]:
    history = _ReplayHistory(session)
    seen: set[str] = set()
    found = []
    query = select(Observation).order_by(Observation.published_at, Observation.id)
    for observation in session.exec(query):
        history.now = observation.published_at  # as if evaluated when it was published
        for draft in rule.evaluate(observation, history):
            if draft.change is None or draft.key in seen:
                continue  # one more source of an event already raised
            seen.add(draft.key)
            history.raised[_figure(draft)] = draft.key
            found.append(_describe(draft, observation.published_at))
    return found


def _describe(draft: EventDraft, when: date | datetime) -> dict[str, Any]:
    day = when.date() if isinstance(when, datetime) else when
    value = draft.value if draft.value is not None else _money(draft.low, draft.high)
    previous = (
        draft.previous if draft.previous is not None else _money(draft.prior_low, draft.prior_high)
    )
    return {
        "rule": draft.rule,
        "company": draft.company,
        "metric": draft.metric,
        "period": draft.period,
        "value": value,
        "previous": previous,
        "change": draft.change,
        "change_pct": draft.change_pct,
        "when": day,
        "summary": draft.summary,
    }


def _money(low: int | None, high: int | None) -> Any:
    if low is None and high is None:
        return None
    return low if low == high else [low, high]
