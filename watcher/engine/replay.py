"""Replaying stored history through one rule (`watcher rules test`): the events the rule
would have raised, in time order, computed without storing or sending anything.

Rules that read observations see each stored observation in publication order, with the
history before it; rules that read SEC facts see each quarter as first filed, which is what
was known at the time. Source health is not replayed (its history is not stored).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from watcher.engine.history import StoredHistory, load_series
from watcher.engine.types import Rule, RuleContext
from watcher.store.db import session_scope
from watcher.store.drafts import EventDraft
from watcher.store.models import Event, Observation


def replay(engine: Engine, rule: Rule, *, since: date | None = None) -> list[dict[str, Any]]:
    with session_scope(engine) as session:
        if rule.reads == "facts":
            found = _replay_series(session, rule)
        elif rule.reads == "observations":
            found = _replay_observations(session, rule)
        else:
            found = []
        session.rollback()  # nothing a replay does is kept
    return [item for item in found if since is None or item["when"] >= since]


def _replay_series(session: Session, rule: Rule) -> list[dict[str, Any]]:
    everyone = load_series(session, as_first_filed=True)
    ctx = RuleContext(session, series=everyone, changed=set(everyone), replay=True)
    return sorted(
        (_describe(draft, draft.known_at) for draft in rule.evaluate(ctx)),
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
    query = select(Observation).order_by(col(Observation.published_at), col(Observation.id))
    for observation in session.exec(query):
        history.now = observation.published_at  # as if evaluated when it was published
        ctx = RuleContext(session, now=history.now, observation=observation, history=history)
        for draft in rule.evaluate(ctx):
            if draft.change is None or draft.key in seen:
                continue  # one more source of an event already raised
            seen.add(draft.key)
            history.raised[_figure(draft)] = draft.key
            found.append(_describe(draft, observation.published_at))
    return found


def _describe(draft: EventDraft, when: date | datetime | None) -> dict[str, Any]:
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
        "headline": draft.headline,
    }


def _money(low: int | None, high: int | None) -> Any:
    if low is None and high is None:
        return None
    return low if low == high else [low, high]
