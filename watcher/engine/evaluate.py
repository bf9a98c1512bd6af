"""Evaluation: every rule looks at each new observation, oldest first; the events it raises go
to the outbox in the same transaction that marks the observation evaluated, so a crash
evaluates it again rather than losing or doubling its event."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine
from sqlmodel import select

from watcher.alerts.outbox import record_event
from watcher.engine.history import StoredHistory, load_series
from watcher.engine.series_rules import Series, SeriesEvent, SeriesRule, ThresholdRule
from watcher.engine.types import EventDraft, Rule
from watcher.store.db import session_scope
from watcher.store.models import Fact, Observation, utcnow

log = logging.getLogger(__name__)

# (rule channel names, the event draft) -> delivery channel ids
ChannelResolver = Callable[[list[str], EventDraft], list[str]]


@dataclass
class EvaluationCounts:
    observations: int = 0
    events: int = 0
    sources_added: int = 0
    by_rule: Counter[str] = field(default_factory=Counter)  # new events per rule


def evaluate_pending(
    engine: Engine, rules: list[Rule], resolve_channels: ChannelResolver, *, batch: int = 500
) -> EvaluationCounts:
    counts = EvaluationCounts()
    active = [rule for rule in rules if rule.config.enabled]
    while True:
        with session_scope(engine) as session:
            pending = list(
                session.exec(
                    select(Observation.id)
                    .where(Observation.evaluated == False)  # noqa: E712
                    .order_by(Observation.published_at, Observation.id)
                    .limit(batch)
                )
            )
        if not pending:
            return counts
        for observation_id in pending:
            _evaluate_one(engine, observation_id, active, resolve_channels, counts)


def _evaluate_one(
    engine: Engine,
    observation_id: int,
    rules: list[Rule],
    resolve_channels: ChannelResolver,
    counts: EvaluationCounts,
) -> None:
    with session_scope(engine) as session:
        # The row lock is the claim between replicas (PostgreSQL; SQLite has one writer).
        observation = session.exec(
            select(Observation)
            .where(Observation.id == observation_id)
            .with_for_update(skip_locked=True)
        ).first()
        if observation is None or observation.evaluated:
            return
        history = StoredHistory(session)
        for rule in rules:
            for draft in rule.evaluate(observation, history):
                result = record_event(session, draft, resolve_channels(rule.config.channels, draft))
                counts.events += result.created
                counts.sources_added += result.source_added
                if result.created:
                    counts.by_rule[rule.name] += 1
                    log.info(
                        "rule %s raised event %s: %s",
                        rule.name,
                        result.event.id,
                        draft.summary,
                        extra={"event_id": result.event.id, "document_id": draft.document_id},
                    )
        observation.evaluated = True
        session.add(observation)
        counts.observations += 1


def evaluate_facts(
    engine: Engine,
    rules: list[Rule],
    resolve_channels: ChannelResolver,
    *,
    today: date | None = None,
) -> EvaluationCounts:
    """Run the series rules for every company with new or restated SEC facts; events about
    quarters filed within a rule's `max_age_days` are recorded, older ones are history."""
    counts = EvaluationCounts()
    series_rules = [rule for rule in rules if isinstance(rule, SeriesRule) and rule.config.enabled]
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
        companies = {fact.company for fact in pending}
        everyone = load_series(session)
        today = today or utcnow().date()
        for rule in series_rules:
            for found in series_events(rule, companies, everyone):
                if (today - found.filed).days > rule.config.max_age_days:
                    continue
                result = record_event(
                    session,
                    found.draft,
                    resolve_channels(rule.config.channels, found.draft),
                )
                counts.events += result.created
                if result.created:
                    counts.by_rule[rule.name] += 1
                    log.info(
                        "rule %s raised event %s: %s",
                        rule.name,
                        result.event.id,
                        found.draft.summary,
                        extra={"event_id": result.event.id},
                    )
        for fact in pending:
            fact.evaluated = True
            session.add(fact)
        counts.observations += len(pending)
    return counts


def series_events(
    rule: SeriesRule, companies: set[str], everyone: dict[str, Series]
) -> list[SeriesEvent]:
    """A group rule judges the group's sums; any other rule each changed company."""
    if isinstance(rule, ThresholdRule) and rule.config.companies:
        if not companies & set(rule.config.companies):
            return []
        return rule.evaluate_series(None, rule.group_series(everyone))
    return [
        found
        for company in sorted(companies)
        for found in rule.evaluate_series(company, everyone.get(company, {}))
    ]
