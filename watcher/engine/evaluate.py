"""Evaluation: every enabled rule looks at what is new, and the events it raises are recorded
(`watcher.store.events.record_event`) in the same transaction that marks the input evaluated,
so a crash evaluates it again rather than losing or doubling an event.

What is new depends on what a rule type `reads`: each new observation (oldest first, a group
of claimed rows to a transaction), the companies with new or restated SEC facts, or the
sources' health (every cycle). Only what the new rows can change is read: an observation's own
company, metric and period; for facts, the quarters of the companies the facts-reading rules
reach, from a few quarters before the first that can be news (each rule says what it needs,
`Rule.reach`: the evaluator knows no rule type). Which channels an event goes to is decided
by `channels_for`, a callable the pipeline builds from the alerts' routes; the engine knows no
channel.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine, and_, or_, text, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from watcher.engine.history import StoredHistory, load_series, news_quarters
from watcher.engine.types import Reach, Reads, Rule, RuleContext, Series
from watcher.store.db import session_scope
from watcher.store.drafts import ChannelsFor, EventDraft, Threads, every_channel
from watcher.store.events import record_event
from watcher.store.models import Fact, Observation, utcnow

log = logging.getLogger(__name__)

# Observations judged per transaction: a transaction each made a cold cycle's evaluation wait
# on commits (on PostgreSQL, 3 ms an observation).
EVALUATE_GROUP = 50


@dataclass
class EvaluationCounts:
    observations: int = 0
    events: int = 0
    sources_added: int = 0
    by_rule: Counter[str] = field(default_factory=Counter)  # new events per rule
    # Events recorded and not committed yet: logged once their transaction commits (a group
    # rolled back and evaluated again must not announce them twice).
    raised: list[Raised] = field(default_factory=list, repr=False)

    def add(self, other: EvaluationCounts) -> None:
        """Count `other`'s work too (its events announced already)."""
        self.observations += other.observations
        self.events += other.events
        self.sources_added += other.sources_added
        self.by_rule.update(other.by_rule)


@dataclass(frozen=True)
class Raised:
    rule: str
    event_id: int | None
    summary: str
    document_id: int | None


def _announce(counts: EvaluationCounts) -> None:
    """Log the events a committed transaction recorded."""
    for item in counts.raised:
        log.info(
            "rule %s raised event %s: %s",
            item.rule,
            item.event_id,
            item.summary,
            extra={"event_id": item.event_id, "document_id": item.document_id},
        )
    counts.raised.clear()


def _reading(rules: list[Rule], reads: Reads) -> list[Rule]:
    return [rule for rule in rules if rule.reads == reads and rule.config.enabled]


def record_drafts(
    session: Session,
    rule: Rule,
    drafts: list[EventDraft],
    channels_for: ChannelsFor,
    threads: Threads,
    counts: EvaluationCounts,
) -> None:
    """Record what `rule` raised, each draft with the channels decided for it."""
    for draft in drafts:
        if not draft.channels:
            draft = replace(draft, channels=tuple(rule.config.channels))
        result = record_event(session, draft, channels_for(draft), threads=threads)
        counts.events += result.created
        counts.sources_added += result.source_added
        if result.created:
            counts.by_rule[rule.name] += 1
            counts.raised.append(
                Raised(rule.name, result.event.id, draft.summary, draft.document_id)
            )


def evaluate_pending(
    engine: Engine,
    rules: list[Rule],
    channels_for: ChannelsFor,
    *,
    threads: Threads = every_channel,
    batch: int = 500,
) -> EvaluationCounts:
    """Rules that read observations, on every observation not evaluated yet, oldest first,
    `EVALUATE_GROUP` to a transaction. If a group cannot be evaluated, its observations are
    evaluated one at a time, so one that fails (its error raised) loses no earlier one's
    events."""
    counts = EvaluationCounts()
    active = _reading(rules, "observations")
    while True:
        with session_scope(engine) as session:
            query = (
                select(col(Observation.id))
                .where(Observation.evaluated == False)  # noqa: E712
                .order_by(col(Observation.published_at), col(Observation.id))
                .limit(batch)
            )
            pending = [id_ for id_ in session.exec(query) if id_ is not None]
        if not pending:
            return counts
        before = counts.observations
        for start in range(0, len(pending), EVALUATE_GROUP):
            group = pending[start : start + EVALUATE_GROUP]
            try:
                _evaluate_group(engine, group, active, channels_for, threads, counts)
            except Exception:
                if len(group) == 1:
                    raise
                for observation_id in group:
                    _evaluate_group(engine, [observation_id], active, channels_for, threads, counts)
        if counts.observations == before:
            # All that is pending is held by another replica (its rows or its figures): the
            # next cycle takes what it leaves, rather than this one spinning on it.
            return counts


def _evaluate_group(
    engine: Engine,
    observation_ids: list[int],
    rules: list[Rule],
    channels_for: ChannelsFor,
    threads: Threads,
    counts: EvaluationCounts,
) -> None:
    """Evaluate these observations, oldest first, in one transaction: their events and their
    `evaluated` marks are committed together, or none of them (and `counts` is left as it
    was). A later observation's history sees what the earlier ones recorded."""
    mine = EvaluationCounts()
    with session_scope(engine) as session:
        # The row locks are the claim between replicas (PostgreSQL; SQLite has one writer).
        observations = session.exec(
            select(Observation)
            .where(col(Observation.id).in_(observation_ids))
            .order_by(col(Observation.published_at), col(Observation.id))
            .with_for_update(skip_locked=True)
        ).all()
        ready = [observation for observation in observations if not observation.evaluated]
        ready = _in_publication_order(session, ready)
        held = _figures_taken(session, ready)
        history = StoredHistory(session)
        judged = []
        for observation in ready:
            if _figure(observation) not in held:
                continue
            ctx = RuleContext(session, observation=observation, history=history)
            for rule in rules:
                record_drafts(session, rule, rule.evaluate(ctx), channels_for, threads, mine)
            judged.append(observation.id)
        # One UPDATE for the group: marking each row as it was judged flushed an UPDATE
        # before every later observation's history query.
        if judged:
            session.execute(
                update(Observation)
                .where(col(Observation.id).in_(judged))
                .values(evaluated=True)
                .execution_options(synchronize_session=False)
            )
        mine.observations += len(judged)
    _announce(mine)
    counts.add(mine)


# The first key of the advisory locks evaluation takes ("eval"), the second a figure's hash.
FIGURE_LOCKS = 0x6576616C


def _figures_taken(session: Session, observations: Sequence[Observation]) -> set[int]:
    """The figures (`figure_key` of company, metric, period) of `observations` this
    transaction holds until it ends. On PostgreSQL each is taken unless another replica's
    transaction holds it: that figure's observations are left for later. Replicas judging two
    reports of one figure at once would each miss what the other records (a report whose
    figure's event is not committed yet would be judged without it). One query for the
    group. SQLite has one writer: every figure is held."""
    figures = sorted({_figure(observation) for observation in observations})
    if not figures or session.get_bind().dialect.name != "postgresql":
        return set(figures)
    rows = session.execute(_TAKE_FIGURES, {"kind": FIGURE_LOCKS, "figures": figures})
    return {figure for figure, taken in rows if taken}


def _in_publication_order(
    session: Session, observations: Sequence[Observation]
) -> list[Observation]:
    """Those of `observations` (oldest first) that can be judged now: for each figure and kind,
    the reports before the earliest of its reports not judged yet outside them (one another
    replica holds, or one stored after these were listed). The others are left for later, so
    that a figure's reports are judged in publication order: a repeat judged before the
    report that raises the event would not be attached to it. One query, through
    ix_observations_history: each figure's reports up to the last of them here."""
    # Keyed by the figure's names, not its hash: two figures whose hashes collide (which only
    # costs some waiting for the advisory locks) must not share an order here.
    last: dict[tuple, Observation] = {}
    for observation in observations:
        last[_figure_kind(observation)] = observation
    if not last:
        return []
    before_last = [
        and_(
            col(Observation.company) == report.company,
            col(Observation.metric) == report.metric,
            col(Observation.period) == report.period,
            col(Observation.kind) == report.kind,
            col(Observation.published_at) <= report.published_at,
            or_(
                col(Observation.published_at) < report.published_at,
                col(Observation.id) < report.id,
            ),
        )
        for report in last.values()
    ]
    rows = session.execute(
        sa_select(
            col(Observation.company),
            col(Observation.metric),
            col(Observation.period),
            col(Observation.kind),
            col(Observation.published_at),
            col(Observation.id),
        ).where(
            col(Observation.evaluated) == False,  # noqa: E712
            col(Observation.id).not_in([observation.id for observation in observations]),
            or_(*before_last),
        )
    )
    elsewhere: dict[tuple, tuple[datetime, int]] = {}
    for company, metric, period, kind, published_at, id_ in rows:
        key = (company, metric, period, kind)
        elsewhere[key] = min(elsewhere.get(key, (published_at, id_)), (published_at, id_))
    return [
        observation
        for observation in observations
        if (key := _figure_kind(observation)) not in elsewhere
        or (observation.published_at, observation.id) < elsewhere[key]
    ]


def _figure_kind(observation: Observation) -> tuple:
    return (observation.company, observation.metric, observation.period, observation.kind)


_TAKE_FIGURES = text(
    "SELECT figure, pg_try_advisory_xact_lock(:kind, figure) "
    "FROM unnest(CAST(:figures AS integer[])) AS figure"
)


def _figure(observation: Observation) -> int:
    return figure_key(observation.company, observation.metric, observation.period)


def figure_key(company: str | None, metric: str, period: str | None) -> int:
    """The second key of a figure's advisory lock (a 32-bit hash of what names it)."""
    name = f"{company}|{metric}|{period}".encode()
    return int.from_bytes(hashlib.blake2b(name, digest_size=4).digest(), "big", signed=True)


def evaluate_facts(
    engine: Engine,
    rules: list[Rule],
    channels_for: ChannelsFor,
    *,
    threads: Threads = every_channel,
    today: date | None = None,
) -> EvaluationCounts:
    """Rules that read SEC facts, for every company with new or restated facts; events about
    quarters filed within a rule's `max_age_days` are recorded, older ones are history."""
    counts = EvaluationCounts()
    active = _reading(rules, "facts")
    with session_scope(engine) as session:
        pending = list(
            session.exec(
                select(Fact)
                .where(Fact.evaluated == False)  # noqa: E712
                .with_for_update(skip_locked=True)
            )
        )
        if not pending:
            return counts
        now = utcnow() if today is None else datetime.combine(today, time(), tzinfo=UTC)
        changed = {fact.company for fact in pending}
        series, judge_from = recent_series(session, active, changed, now.date())
        ctx = RuleContext(
            session,
            now=now,
            series=series,
            changed=changed,
            judge_from=judge_from,
            whole_series=lambda companies, metrics: load_series(
                session, companies, metrics=metrics
            ),
        )
        for rule in active:
            record_drafts(session, rule, rule.evaluate(ctx), channels_for, threads, counts)
        for fact in pending:
            fact.evaluated = True
            session.add(fact)
        counts.observations += len(pending)
    _announce(counts)
    return counts


def recent_series(
    session: Session, rules: list[Rule], changed: set[str], today: date
) -> tuple[dict[str, Series], int | None]:
    """The series the rules reach for the changed companies (`Rule.reach`), from their
    lookback before the first quarter that can be news (first filed within the longest
    `max_age_days`), and that quarter. No quarter can be news: nothing to read."""
    reaches: list[Reach] = [reach for rule in rules if (reach := rule.reach(changed)) is not None]
    companies = set().union(*(reach.companies for reach in reaches))
    if not companies:
        return {}, None
    max_age = max(reach.max_age_days for reach in reaches)
    news = news_quarters(session, companies, today - timedelta(days=math.ceil(max_age)))
    if not news:
        return {}, None
    judge_from = min(news)
    since = judge_from - max(reach.lookback for reach in reaches)
    metrics = set().union(*(reach.metrics for reach in reaches))
    return load_series(session, companies, metrics=metrics, since=since), judge_from


def evaluate_sources(
    engine: Engine,
    rules: list[Rule],
    channels_for: ChannelsFor,
    *,
    threads: Threads = every_channel,
    expect_every: dict[str, timedelta] | None = None,
    now: datetime | None = None,
) -> EvaluationCounts:
    """Rules that read the sources' health (`source_health`), once per cycle."""
    counts = EvaluationCounts()
    active = _reading(rules, "sources")
    if not active:
        return counts
    with session_scope(engine) as session:
        ctx = RuleContext(session, now=now or utcnow(), expect_every=dict(expect_every or {}))
        for rule in active:
            record_drafts(session, rule, rule.evaluate(ctx), channels_for, threads, counts)
    _announce(counts)
    return counts
