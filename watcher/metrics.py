"""Prometheus metrics of one daemon process, in a registry the daemon owns.

Counters and histograms are fed from the counts each stage already returns (PollCounts,
ExtractCounts, EvaluationCounts, DeliveryCounts), once per stage run; the gauges that describe
shared state (oldest pending delivery, each source's failure streak) are read from the database
when scraped, so every replica reports the same truth and a restart loses nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Engine, func, select
from sqlmodel import col

from watcher.alerts.deliver import DeliveryCounts
from watcher.extraction import ExtractCounts
from watcher.sources.outcomes import PollCounts
from watcher.store.db import reader
from watcher.store.models import Delivery, Source, utcnow
from watcher.store.source_state import SourceState, source_state

log = logging.getLogger(__name__)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

# Fetches range from a 304 in milliseconds to a large filing near the deadline.
FETCH_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
# Lag from the event's outbox row to "sent": seconds normally, hours when a channel is down.
LAG_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 900, 3600, 4 * 3600, 24 * 3600)


class Metrics:
    """The daemon's metrics; `render()` is the body of GET /metrics."""

    def __init__(self, engine: Engine | None = None) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.polls = Counter("watcher_polls", "Source polls by outcome.", ["outcome"], registry=r)
        self.fetch_seconds = Histogram(
            "watcher_fetch_seconds",
            "Time to fetch and parse one source.",
            buckets=FETCH_BUCKETS,
            registry=r,
        )
        self.documents = Counter(
            "watcher_documents_stored", "Documents stored, new or changed.", ["change"], registry=r
        )
        self.observations = Counter(
            "watcher_observations_extracted", "Observations extracted from documents.", registry=r
        )
        self.extract_failures = Counter(
            "watcher_extract_failures", "Documents whose extraction raised.", registry=r
        )
        self.events = Counter("watcher_events", "Events raised, by rule.", ["rule"], registry=r)
        self.deliveries = Counter(
            "watcher_deliveries",
            "Delivery attempts by channel and outcome (sent, retrying, failed).",
            ["channel", "outcome"],
            registry=r,
        )
        self.delivery_lag = Histogram(
            "watcher_delivery_lag_seconds",
            "From the event's outbox row being written to the channel accepting it.",
            buckets=LAG_BUCKETS,
            registry=r,
        )
        if engine is not None:
            r.register(DatabaseGauges(engine))

    def observe_poll(self, counts: PollCounts) -> None:
        ok = counts.polled - counts.failed - counts.not_modified - counts.gone
        for outcome, n in (
            ("ok", ok),
            ("not_modified", counts.not_modified),
            ("failed", counts.failed),
            ("gone", counts.gone),
        ):
            self.polls.labels(outcome).inc(max(n, 0))
        for seconds in counts.fetch_seconds:
            self.fetch_seconds.observe(seconds)
        self.documents.labels("new").inc(counts.new_documents)
        self.documents.labels("changed").inc(counts.changed_documents)

    def observe_extract(self, counts: ExtractCounts) -> None:
        self.observations.inc(counts.observations)
        self.extract_failures.inc(counts.failed)

    def observe_events(self, by_rule: Mapping[str, int]) -> None:
        for rule, n in by_rule.items():
            self.events.labels(rule).inc(n)

    def observe_delivery(self, counts: DeliveryCounts) -> None:
        for (channel, outcome), n in counts.by_channel.items():
            self.deliveries.labels(channel, outcome).inc(n)
        for seconds in counts.lag_seconds:
            self.delivery_lag.observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)


class DatabaseGauges(Collector):
    """Gauges read from the database at scrape time; a database that cannot be read leaves
    them out of the scrape (and /readyz says why) rather than failing it."""

    def __init__(self, engine: Engine) -> None:
        # reads only: on SQLite a scrape takes no write lock and never waits for the daemon's
        self.engine = reader(engine)

    def describe(self) -> Iterable[GaugeMetricFamily]:
        # Describing without samples keeps registration from querying the database.
        return [_oldest_pending_family(), _failures_family(), _state_family()]

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            with self.engine.connect() as connection:
                oldest = connection.execute(
                    select(func.min(Delivery.created_at)).where(
                        col(Delivery.status).in_(("pending", "sending"))
                    )
                ).scalar()
                sources = connection.execute(
                    select(
                        col(Source.name),
                        col(Source.enabled),
                        col(Source.not_polled_reason),
                        col(Source.consecutive_failures),
                        col(Source.last_success_at),
                    ).order_by(col(Source.name))
                ).all()
        except Exception as exc:
            log.warning("metrics: cannot read the database: %s", type(exc).__name__)
            return
        yield _oldest_pending_family(_age_seconds(oldest))
        failures, states = _failures_family(), _state_family()
        for row in sources:
            state = source_state(row)
            if state not in (SourceState.DISABLED, SourceState.NOT_POLLED):
                failures.add_metric([row.name], row.consecutive_failures)
            for each in SourceState:
                states.add_metric([row.name, each.value], 1.0 if each is state else 0.0)
        yield failures
        yield states


def _oldest_pending_family(value: float | None = None) -> GaugeMetricFamily:
    family = GaugeMetricFamily(
        "watcher_oldest_pending_delivery_seconds",
        "Age of the oldest delivery not yet sent (0 when none is pending).",
    )
    if value is not None:
        family.add_metric([], value)
    return family


def _failures_family() -> GaugeMetricFamily:
    return GaugeMetricFamily(
        "watcher_source_consecutive_failures",
        "Failed polls in a row, per polled source (not disabled, not 'not polled' by design).",
        labels=["source"],
    )


def _state_family() -> GaugeMetricFamily:
    return GaugeMetricFamily(
        "watcher_source_state",
        "1 for each source's state: ok, new (not polled yet), failing, disabled, or not_polled "
        "(by design, e.g. an SEC source without sec.contact); 0 for the others.",
        labels=["source", "state"],
    )


def _age_seconds(created: datetime | None) -> float:
    if created is None:
        return 0.0
    # SQLite hands back naive datetimes in UTC; the column type normally makes them aware.
    if created.tzinfo is None:
        created = created.replace(tzinfo=utcnow().tzinfo)
    return max((utcnow() - created).total_seconds(), 0.0)
