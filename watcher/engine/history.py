"""The stored history a rule may consult, read from the database.

Each read is bounded by what the new observation or fact can change (its company, metric and
period; for series, some companies' quarters from a given one on) and served by an index made
for it (see migration 0010), so its cost does not grow with the stored history."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import bindparam, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from watcher.engine.quarters import period_name, quarter_number
from watcher.engine.types import Point, Series
from watcher.store.models import Event, Fact, Observation, utcnow

# Earlier guidance reports of one company, metric and period, newest first, through
# ix_observations_history; built once (building a statement costs more than running it).
_EARLIER_FIGURES = (
    sa_select(
        col(Observation.id),
        col(Observation.currency),
        col(Observation.low),
        col(Observation.high),
        col(Observation.variant),
    )
    .where(
        col(Observation.kind) == "guidance",
        col(Observation.company) == bindparam("company"),
        col(Observation.metric) == bindparam("metric"),
        col(Observation.period) == bindparam("period"),
        col(Observation.document_id) != bindparam("document_id"),
        or_(
            col(Observation.published_at) < bindparam("published_at"),
            (col(Observation.published_at) == bindparam("published_at"))
            & (col(Observation.id) < bindparam("id")),
        ),
    )
    .order_by(col(Observation.published_at).desc(), col(Observation.id).desc())
)


class StoredHistory:
    """History backed by the observations table of one session."""

    def __init__(self, session: Session, now: datetime | None = None):
        self.session = session
        self.now = now or utcnow()

    def guidance_before(self, observation: Observation) -> list[Observation]:
        # A figure repeated by many reports is read once, as its newest report: the rule
        # compares figures, and loading every repeat made each new report cost more than the
        # last. The figures are told apart on a few columns read in index order; only the
        # newest report of each is loaded whole.
        newest: dict[tuple, int] = {}
        for id_, *figure in self.session.execute(
            _EARLIER_FIGURES,
            {
                "company": observation.company,
                "metric": observation.metric,
                "period": observation.period,
                "document_id": observation.document_id,
                "published_at": observation.published_at,
                "id": observation.id,
            },
        ):
            newest.setdefault(tuple(figure), id_)
        if not newest:
            return []
        rows = self.session.exec(
            select(Observation).where(col(Observation.id).in_(list(newest.values())))
        )
        by_id = {row.id: row for row in rows}
        # An observation may have gone in between (its document extracted again meanwhile).
        return [by_id[id_] for id_ in newest.values() if id_ in by_id]

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
    session: Session,
    companies: Collection[str] | None = None,
    *,
    as_first_filed: bool = False,
    metrics: Collection[str] | None = None,
    since: int | None = None,
) -> dict[str, Series]:
    """Quarterly SEC facts by company and metric. With `as_first_filed`, each quarter as it
    was first filed (what was known then, for replays); else as last amended. `companies`,
    `metrics` and `since` (a quarter number) narrow what is read."""
    as_of = (
        (col(Fact.first_value), col(Fact.first_filed), col(Fact.first_accn))
        if as_first_filed
        else (col(Fact.value), col(Fact.filed), col(Fact.accn))
    )
    # Columns, not Fact rows: a series is read to compare numbers, never to change them.
    query = sa_select(
        col(Fact.company), col(Fact.metric), col(Fact.period), *as_of, col(Fact.first_filed)
    )
    if companies is not None:
        query = query.where(col(Fact.company).in_(sorted(companies)))
    if metrics is not None:
        query = query.where(col(Fact.metric).in_(sorted(metrics)))
    if since is not None:
        # Quarters are named FY<year>-Q<n>, so their names sort as they follow each other.
        query = query.where(col(Fact.period) >= period_name(since))
    by_company: dict[str, Series] = {}
    for company, metric, period, value, filed, accn, first_filed in session.execute(query):
        point = Point(period, value, filed, accn, first_filed)
        by_company.setdefault(company, {}).setdefault(metric, {})[period] = point
    return by_company


def news_quarters(session: Session, companies: Collection[str], since: date) -> set[int]:
    """The quarters (numbers, as `quarter_number`) in which one of `companies` has a fact
    first filed on or after `since`: the only quarters that can be news."""
    if not companies:
        return set()
    query = select(Fact.period).where(
        col(Fact.company).in_(sorted(companies)), col(Fact.first_filed) >= since
    )
    numbers = (quarter_number(period) for period in session.exec(query))
    return {number for number in numbers if number is not None}
