"""The stages wired together: poll -> extract -> evaluate -> deliver.

Each stage reads what the previous one stored and writes its own table, so any stage can be
run again after a crash. `Pipeline` holds what the stages share (engine, HTTP client, rules,
notifiers); the daemon ticks it, `watcher run --once` runs one whole cycle.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import Engine, delete, insert
from sqlmodel import select

from watcher.alerts.deliver import DeliveryCounts, RetryPolicy, deliver_due
from watcher.alerts.email import EmailNotifier
from watcher.alerts.notifiers import ConsoleNotifier, Notifier
from watcher.alerts.outbox import CONSOLE, EMAIL, resolve_channels
from watcher.alerts.routing import Router
from watcher.alerts.slack import slack_notifiers
from watcher.engine.evaluate import EvaluationCounts, evaluate_facts, evaluate_pending
from watcher.engine.rules import load_rules
from watcher.extract import CompanyRegistry, extract, load_companies
from watcher.settings import Settings
from watcher.sources.config import load_sources
from watcher.sources.http import make_client
from watcher.sources.kinds import PollContext
from watcher.sources.poll import FetchLimits, PollCounts, poll_sources, sync_sources
from watcher.sources.sec import (
    NO_CONTACT,
    RateLimiter,
    SecAccess,
    is_sec_request,
    sec_user_agent,
)
from watcher.sources.watchdog import WatchPolicy, check_sources
from watcher.store.db import make_engine, session_scope, upgrade
from watcher.store.fx import FxConverter
from watcher.store.models import Document, Observation, Source, utcnow

log = logging.getLogger(__name__)


@dataclass
class ExtractCounts:
    documents: int = 0
    observations: int = 0
    failed: int = 0


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
        self.engine = engine or make_engine(settings.database.url, echo=settings.database.echo)
        upgrade(self.engine)
        self.companies: CompanyRegistry = load_companies(settings.companies.file)
        self.rules = load_rules(settings.rules.dir)
        self.source_configs = load_sources(
            settings.sources.file, allow_local=settings.sources.allow_local
        )
        sync_sources(self.engine, self.source_configs)
        self.watch_policy = WatchPolicy(
            failing_after=settings.sources.stale_after_intervals,
            silent_after={c.name: c.expect_every for c in self.source_configs if c.expect_every},
        )
        src = settings.sources
        self.limits = FetchLimits(
            max_bytes=src.max_bytes,
            deadline=src.fetch_deadline,
            allow_local=src.allow_local,
            concurrency=src.concurrency,
            backoff_base=src.backoff_base,
            backoff_cap=src.backoff_cap,
            jitter=src.jitter,
            lease=timedelta(seconds=src.lease_seconds),
        )
        self.sec = _sec_access(settings, src.connect_timeout, src.read_timeout)
        self.poll_context = PollContext(
            fiscal_year_end={c.id: c.fiscal_year_end_month for c in self.companies.companies},
            archives_url=settings.sec.archives_url,
            ciks={c.id: c.cik for c in self.companies.companies if c.cik is not None},
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
        self.notifiers = self._notifiers()
        alerts = settings.alerts
        self.retry = RetryPolicy(
            base_seconds=alerts.retry_base_seconds,
            cap_seconds=alerts.retry_cap_seconds,
            max_age=timedelta(hours=alerts.max_delivery_age_hours),
            lease=timedelta(seconds=alerts.lease_seconds),
        )
        slack = settings.slack
        email = settings.email
        # Routes from settings pick the channels (else the rule's own), then names become ids.
        self.resolve_channels = Router(
            settings.routes,
            partial(
                resolve_channels,
                slack_default=slack.channel,
                slack_enabled=slack.enabled,
                email_min_severity=email.min_severity if email.host else None,
            ),
            email_enabled=bool(email.host),
        )

    def _notifiers(self) -> dict[str, Notifier]:
        notifiers: dict[str, Notifier] = {CONSOLE: ConsoleNotifier()}
        email = self.settings.email
        if email.host:
            notifiers[EMAIL] = EmailNotifier(email)
            # Routes may name their own list: "email:desk@example.com".
            for route in self.settings.routes:
                for name in route.channels:
                    address = name.partition(":")[2] if name.startswith("email:") else ""
                    if address:
                        notifiers[name] = EmailNotifier(email.model_copy(update={"to": [address]}))
        slack = self.settings.slack
        channels = {slack.channel}
        for route in self.settings.routes:
            channels.update(
                name.partition(":")[2] for name in route.channels if name.startswith("slack:")
            )
        for rule in self.rules:
            channels.update(
                name.partition(":")[2] for name in rule.config.channels if name.startswith("slack:")
            )
        channels.discard("")
        notifiers.update(slack_notifiers(slack, channels))
        return notifiers

    def close(self) -> None:
        self.http.close()
        if self.sec.client is not None:
            self.sec.client.close()
        self.engine.dispose()

    def poll(self, *, force: bool = False) -> PollCounts:
        return poll_sources(
            self.engine,
            self.http,
            self.limits,
            force=force,
            sec=self.sec,
            context=self.poll_context,
        )

    def extract(self) -> ExtractCounts:
        return extract_pending(self.engine, self.companies)

    def evaluate(self) -> EvaluationCounts:
        """Observation rules on new observations, series rules on new SEC facts."""
        counts = evaluate_pending(self.engine, self.rules, self.resolve_channels)
        facts = evaluate_facts(self.engine, self.rules, self.resolve_channels)
        counts.events += facts.events
        counts.by_rule.update(facts.by_rule)
        return counts

    def watch_sources(self) -> int:
        """Meta-alerts for sources failing or silent too long; the number raised."""
        return check_sources(self.engine, self.watch_policy, self.resolve_channels)

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


def extract_pending(
    engine: Engine, companies: CompanyRegistry, *, batch: int = 200
) -> ExtractCounts:
    """Extract observations from every document that is new or changed since its last
    extraction; its old observations are replaced in the same transaction."""
    counts = ExtractCounts()
    while True:
        with session_scope(engine) as session:
            pending = list(
                session.exec(
                    select(Document.id)
                    .where(
                        (Document.extracted_hash.is_(None))
                        | (Document.extracted_hash != Document.content_hash)
                    )
                    .order_by(Document.id)
                    .limit(batch)
                )
            )
        if not pending:
            return counts
        with session_scope(engine) as session:
            fx = FxConverter.from_session(session)
        for document_id in pending:
            _extract_document(engine, document_id, companies, fx, counts)


def _extract_document(
    engine: Engine,
    document_id: int,
    companies: CompanyRegistry,
    fx: FxConverter,
    counts: ExtractCounts,
) -> None:
    with session_scope(engine) as session:
        # Another replica may be on it: the row lock is the claim (PostgreSQL; SQLite has one
        # writer and ignores it).
        document = session.exec(
            select(Document).where(Document.id == document_id).with_for_update(skip_locked=True)
        ).first()
        if document is None or document.extracted_hash == document.content_hash:
            return
        source = session.get(Source, document.source_id)
        published = document.published_at or document.fetched_at
        text = "\n\n".join(part for part in (document.title, document.text) if part)
        try:
            found = extract(
                text,
                date=published.date(),
                companies=companies,
                source=document.url or source.name,
                company_hint=source.company,
            )
        except Exception as exc:  # extraction must never stop the pipeline
            log.exception(
                "extraction failed on document %s",
                document.id,
                extra={"document_id": document.id, "source": source.name},
            )
            document.extract_error = f"{type(exc).__name__}: {exc}"
            found = []
            counts.failed += 1
        else:
            document.extract_error = None
        session.exec(delete(Observation).where(Observation.document_id == document.id))
        rows = [_observation_row(document.id, item.to_dict(), published, fx) for item in found]
        if rows:
            session.connection().execute(insert(Observation), rows)
        document.extracted_hash = document.content_hash
        session.add(document)
        counts.documents += 1
        counts.observations += len(rows)


def _observation_row(document_id: int, data: dict, published: datetime, fx: FxConverter) -> dict:
    currency = data.get("currency") or "USD"
    day = published.date()
    return {
        "document_id": document_id,
        **{
            key: data.get(key)
            for key in (
                "company",
                "metric",
                "kind",
                "period",
                "low",
                "high",
                "change",
                "prior_low",
                "prior_high",
                "variant",
            )
        },
        "currency": currency,
        "usd_low": fx.to_usd(data.get("low"), currency, day),
        "usd_high": fx.to_usd(data.get("high"), currency, day),
        "quote": data.get("quote") or "",
        "published_at": published,
        "created_at": utcnow(),
        "evaluated": False,
    }
