"""Evaluation: every rule looks at each new observation, oldest first; the events it raises go
to the outbox in the same transaction that marks the observation evaluated, so a crash
evaluates it again rather than losing or doubling its event."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import select

from watcher.alerts.outbox import record_event
from watcher.engine.history import StoredHistory
from watcher.engine.types import Rule
from watcher.store.db import session_scope
from watcher.store.models import Observation

log = logging.getLogger(__name__)

ChannelResolver = Callable[[list[str]], list[str]]


@dataclass
class EvaluationCounts:
    observations: int = 0
    events: int = 0
    sources_added: int = 0


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
        observation = session.get(Observation, observation_id)
        if observation is None or observation.evaluated:
            return
        history = StoredHistory(session)
        for rule in rules:
            for draft in rule.evaluate(observation, history):
                result = record_event(session, draft, resolve_channels(rule.config.channels))
                counts.events += result.created
                counts.sources_added += result.source_added
                if result.created:
                    log.info(
                        "rule %s raised event %s: %s", rule.name, result.event.id, draft.summary
                    )
        observation.evaluated = True
        session.add(observation)
        counts.observations += 1
