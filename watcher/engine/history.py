"""The stored history a rule may consult, read from the database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_
from sqlmodel import Session, col, select

from watcher.engine.types import Point, Series
from watcher.store.models import Event, Fact, Observation, utcnow


class StoredHistory:
    """History backed by the observations table of one session."""

    def __init__(self, session: Session, now: datetime | None = None):
        self.session = session
        self.now = now or utcnow()

    def guidance_before(self, observation: Observation) -> list[Observation]:
        earlier = or_(
            col(Observation.published_at) < observation.published_at,
            (col(Observation.published_at) == observation.published_at)
            & (col(Observation.id) < observation.id),
        )
        query = (
            select(Observation)
            .where(
                Observation.kind == "guidance",
                Observation.company == observation.company,
                Observation.metric == observation.metric,
                Observation.period == observation.period,
                Observation.document_id != observation.document_id,
                earlier,
            )
            .order_by(col(Observation.published_at).desc(), col(Observation.id).desc())
        )
        return list(self.session.exec(query))

    def event_for_figure(self, rule: str, observation: Observation) -> Event | None:
        query = (
            select(Event)
            .where(
                Event.rule == rule,
                Event.company == observation.company,
                Event.metric == observation.metric,
                Event.period == observation.period,
                Event.currency == observation.currency,
                col(Event.low).is_not_distinct_from(observation.low),
                col(Event.high).is_not_distinct_from(observation.high),
            )
            .order_by(col(Event.id).desc())
        )
        return self.session.exec(query).first()


def load_series(
    session: Session, companies: set[str] | None = None, *, as_first_filed: bool = False
) -> dict[str, Series]:
    """Quarterly SEC facts by company and metric. With `as_first_filed`, each quarter as it
    was first filed (what was known then, for replays); else as last amended."""
    query = select(Fact)
    if companies is not None:
        query = query.where(col(Fact.company).in_(companies))
    by_company: dict[str, Series] = {}
    for fact in session.exec(query):
        point = (
            Point(
                fact.period, fact.first_value, fact.first_filed, fact.first_accn, fact.first_filed
            )
            if as_first_filed
            else Point(fact.period, fact.value, fact.filed, fact.accn, fact.first_filed)
        )
        by_company.setdefault(fact.company, {}).setdefault(fact.metric, {})[fact.period] = point
    return by_company
