"""The stages wired together: poll -> extract -> evaluate -> deliver.

Each stage reads what the previous one stored and writes its own table, so any stage can be
run again after a crash. `Pipeline` holds what the stages share (engine, HTTP client, rules,
notifiers); the daemon ticks it, `watcher run --once` runs one whole cycle.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import (
    Engine,
)

from watcher.alerts import channels
from watcher.alerts.deliver import DeliveryCounts, RetryPolicy, deliver_due
from watcher.alerts.notifiers import Notifier
from watcher.alerts.routing import Router
from watcher.engine.evaluate import (
    EvaluationCounts,
    evaluate_facts,
    evaluate_pending,
    evaluate_sources,
)
from watcher.engine.rules import load_rules
from watcher.engine.source_health import default_rule
from watcher.extract import CompanyRegistry, load_companies
from watcher.extract.bounded import BoundedExtractor
from watcher.extraction import ExtractCounts, ExtractRetry, Progress, extract_pending
from watcher.settings import Settings
from watcher.sources.config import load_sources
from watcher.sources.http import make_client
from watcher.sources.kinds import PollContext
from watcher.sources.outcomes import FetchLimits, PollCounts
from watcher.sources.poll import poll_sources, poll_tick, sync_sources
from watcher.sources.sec import (
    NO_CONTACT,
    RateLimiter,
    SecAccess,
    is_sec_request,
    sec_user_agent,
)
from watcher.store.db import make_engine, upgrade
from watcher.store.leases import LeaseTerms

log = logging.getLogger(__name__)


@dataclass
class CycleSummary:
    poll: PollCounts = field(default_factory=PollCounts)
    extract: ExtractCounts = field(default_factory=ExtractCounts)
    evaluation: EvaluationCounts = field(default_factory=EvaluationCounts)
    delivery: DeliveryCounts = field(default_factory=DeliveryCounts)
    source_alerts: int = 0  # source-health meta-alerts raised

    def lines(self) -> list[str]:
        return [
            f"sources polled: {self.poll.polled} (failed {self.poll.failed}, "
            f"unchanged {self.poll.not_modified})",
            f"documents: {self.poll.new_documents} new, {self.poll.changed_documents} changed; "
            f"extracted {self.extract.documents} (failed {self.extract.failed})",
            f"observations: {self.extract.observations}",
            f"events: {self.evaluation.events} new, {self.evaluation.sources_added} sources added",
            f"deliveries: {self.delivery.sent} sent, {self.delivery.retrying} retrying, "
            f"{self.delivery.failed} failed",
        ] + ([f"source-health alerts: {self.source_alerts}"] if self.source_alerts else [])


class Pipeline:
    """Everything the stages need, built once from settings."""

    def __init__(self, settings: Settings, *, engine: Engine | None = None):
        self.settings = settings
        # The daemon may create a SQLite database's folder (and says so); other commands may not.
        self.engine = engine or make_engine(
            settings.database.url, echo=settings.database.echo, create_folder=True
        )
        upgrade(self.engine)
        self.companies: CompanyRegistry = load_companies(settings.companies.file)
        self.rules = load_rules(settings.rules.dir, channel_names=channels.names())
        if not any(rule.type_name == "source_health" for rule in self.rules):
            self.rules.append(default_rule(settings.sources.stale_after_intervals))
        self.source_configs = load_sources(
            settings.sources.file, allow_local=settings.sources.allow_local
        )
        sync_sources(self.engine, self.source_configs)
        # How often each source is expected to publish (for the source-health rule).
        self.expect_every = {c.name: c.expect_every for c in self.source_configs if c.expect_every}
        # How often the daemon looks for due sources: often enough for the fastest source.
        self.tick_seconds = poll_tick(
            settings.scheduler.tick_seconds,
            [config.interval for config in self.source_configs if config.enabled],
        )
        src = settings.sources
        # Claims on sources and deliveries: short leases renewed by a heartbeat.
        self.lease_terms = LeaseTerms(
            lease=timedelta(seconds=settings.replicas.lease_seconds),
            heartbeat=timedelta(seconds=settings.replicas.heartbeat_seconds),
        )
        self.limits = FetchLimits(
            max_bytes=src.max_bytes,
            deadline=src.fetch_deadline,
            allow_local=src.allow_local,
            allow_internal_redirects=src.allow_internal_redirects,
            concurrency=src.concurrency,
            backoff_base=src.backoff_base,
            backoff_cap=src.backoff_cap,
            jitter=src.jitter,
            lease=self.lease_terms,
        )
        self.extract_retry = ExtractRetry(src.extract_backoff_base, src.extract_backoff_cap)
        # One document's extraction is bounded in time: a huge one must not hold the cycle.
        self.extractor = BoundedExtractor(src.extract_timeout)
        self.sec = _sec_access(settings, src.connect_timeout, src.read_timeout)
        self.poll_context = PollContext(
            fiscal_year_end={c.id: c.fiscal_year_end_month for c in self.companies.companies},
            archives_url=settings.sec.archives_url,
            ciks={c.id: c.cik for c in self.companies.companies if c.cik is not None},
            credentials={c.name: c.auth for c in self.source_configs if c.auth},
        )
        if self.sec.client is None and any(
            is_sec_request(config.kind, config.url) for config in self.source_configs
        ):
            log.warning("SEC sources will not be polled: %s", NO_CONTACT)
        self.http = make_client(
            user_agent=src.user_agent,
            connect_timeout=src.connect_timeout,
            read_timeout=src.read_timeout,
        )
        # Routes from settings pick the channels (else the rule's own); the channel registry
        # turns names into delivery ids and builds one notifier per id.
        self.router = Router(settings.routes, channels.ChannelResolver(settings))
        self.resolve_channels = self.router
        self.notifiers = self._notifiers()
        alerts = settings.alerts
        self.retry = RetryPolicy(
            base_seconds=alerts.retry_base_seconds,
            cap_seconds=alerts.retry_cap_seconds,
            max_age=timedelta(hours=alerts.max_delivery_age_hours),
            lease=self.lease_terms,
        )

    def _notifiers(self) -> dict[str, Notifier]:
        """One notifier per delivery channel id any rule or route can produce."""
        names = {name for rule in self.rules for name in rule.config.channels}
        names.update(name for route in self.settings.routes for name in route.channels)
        resolve = channels.ChannelResolver(self.settings, subscriptions=False)
        return channels.build_notifiers(self.settings, resolve(sorted(names)))

    def close(self) -> None:
        self.extractor.close()
        self.http.close()
        if self.sec.client is not None:
            self.sec.client.close()
        self.engine.dispose()

    def poll(self, *, force: bool = False, progress: Progress | None = None) -> PollCounts:
        return poll_sources(
            self.engine,
            self.http,
            self.limits,
            force=force,
            sec=self.sec,
            context=self.poll_context,
            progress=progress,
        )

    def extract(self, *, progress: Progress | None = None) -> ExtractCounts:
        return extract_pending(
            self.engine,
            self.companies,
            retry=self.extract_retry,
            extractor=self.extractor,
            progress=progress,
        )

    def evaluate(self) -> EvaluationCounts:
        """Observation rules on new observations, series rules on new SEC facts."""
        router = self.router
        counts = evaluate_pending(
            self.engine, self.rules, router.channels_for, threads=router.threads
        )
        facts = evaluate_facts(self.engine, self.rules, router.channels_for, threads=router.threads)
        counts.events += facts.events
        counts.by_rule.update(facts.by_rule)
        return counts

    def watch_sources(self) -> int:
        """The source-health rule: events for sources failing or silent too long; the number
        raised."""
        counts = evaluate_sources(
            self.engine,
            self.rules,
            self.router.channels_for,
            threads=self.router.threads,
            expect_every=self.expect_every,
        )
        return counts.events

    def deliver(self) -> DeliveryCounts:
        return deliver_due(self.engine, self.notifiers, self.retry)

    def run_cycle(self, *, force: bool = False) -> CycleSummary:
        """Poll (every source with `force`), then extract, evaluate and deliver what is new."""
        summary = CycleSummary()
        summary.poll = self.poll(force=force)
        summary.source_alerts = self.watch_sources()
        summary.extract = self.extract()
        summary.evaluation = self.evaluate()
        summary.delivery = self.deliver()
        return summary


def _sec_access(settings: Settings, connect_timeout: float, read_timeout: float) -> SecAccess:
    contact = settings.sec.contact
    client = None
    if contact:
        client = make_client(
            user_agent=sec_user_agent(contact),
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
        )
    return SecAccess(client=client, limiter=RateLimiter(settings.sec.max_requests_per_second))
