"""The stages wired together: poll -> extract -> evaluate -> deliver.

Each stage reads what the previous one stored and writes its own table, so any stage can be
run again after a crash. `Pipeline` holds what the stages share (engine, HTTP client, rules,
notifiers); the daemon ticks it, `watcher run --once` runs one whole cycle.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Engine, and_, delete, insert, or_
from sqlmodel import Session, col, select

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
from watcher.extract import CompanyRegistry, ExtractionError, load_companies
from watcher.extract.bounded import BoundedExtractor, Extract
from watcher.settings import Settings
from watcher.sources.config import load_sources
from watcher.sources.http import make_client
from watcher.sources.kinds import PollContext
from watcher.sources.poll import (
    FetchLimits,
    PollCounts,
    poll_sources,
    poll_tick,
    sync_sources,
)
from watcher.sources.sec import (
    NO_CONTACT,
    RateLimiter,
    SecAccess,
    is_sec_request,
    sec_user_agent,
)
from watcher.store.db import make_engine, session_scope, upgrade
from watcher.store.fx import FxConverter
from watcher.store.leases import LeaseTerms
from watcher.store.models import Document, Observation, Source, stored_id, utcnow

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
        return extract_pending(
            self.engine, self.companies, retry=self.extract_retry, extractor=self.extractor
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


@dataclass(frozen=True)
class ExtractRetry:
    """When a document whose extraction failed is tried again: `base_seconds` after the first
    failure, doubling with each further failure in a row, never more than `cap_seconds`."""

    base_seconds: float = 60.0
    cap_seconds: float = 4 * 3600.0

    def delay(self, attempts: int) -> timedelta:
        """The wait after the `attempts`-th failure in a row (1 for the first)."""
        doublings = min(max(attempts - 1, 0), 40)  # past 2**40 the cap has long applied
        return timedelta(seconds=min(self.base_seconds * 2**doublings, self.cap_seconds))


@dataclass
class _Outcome:
    observations: int = 0
    error: str | None = None


def _pending(now: datetime) -> ColumnElement[bool]:
    """Documents whose current content is not extracted yet and that are due: never failed,
    or failed and past their next attempt time."""
    return and_(
        or_(
            col(Document.extracted_hash).is_(None),
            col(Document.extracted_hash) != col(Document.content_hash),
        ),
        or_(
            col(Document.extract_next_attempt_at).is_(None),
            col(Document.extract_next_attempt_at) <= now,
        ),
    )


def extract_pending(
    engine: Engine,
    companies: CompanyRegistry,
    *,
    batch: int = 200,
    retry: ExtractRetry | None = None,
    now: datetime | None = None,
    extractor: BoundedExtractor | None = None,
) -> ExtractCounts:
    """Extract observations from every due document that is new or changed since its last
    extraction; its old observations are replaced in the same transaction.

    A document the extractor fails on keeps its old observations and stays pending: the error,
    the failed attempts in a row and the next attempt time (backoff by `retry`) are recorded on
    it, and it is counted in `failed`; the other documents go on. `now` (default: the clock)
    decides what is due. Each document is visited at most once per call. `extractor` bounds
    each document's extraction in time (default: no bound); a document past the bound is a
    failed extraction like any other."""
    retry = retry or ExtractRetry()
    extract_one = (extractor or BoundedExtractor(None)).using(companies)
    counts = ExtractCounts()
    after = 0
    while True:
        with session_scope(engine) as session:
            query = (
                select(col(Document.id))
                .where(col(Document.id) > after, _pending(now or utcnow()))
                .order_by(col(Document.id))
                .limit(batch)
            )
            pending = [id_ for id_ in session.exec(query) if id_ is not None]
        if not pending:
            return counts
        with session_scope(engine) as session:
            fx = FxConverter.from_session(session)
        for document_id in pending:
            _extract_document(engine, document_id, extract_one, fx, counts, retry, now or utcnow())
        after = pending[-1]


def _extract_document(
    engine: Engine,
    document_id: int,
    extract_one: Extract,
    fx: FxConverter,
    counts: ExtractCounts,
    retry: ExtractRetry,
    now: datetime,
) -> None:
    try:
        outcome = _extract_claimed(engine, document_id, extract_one, fx, retry, now)
    except Exception as exc:  # storing its observations failed: one document must not stop
        # the stage. Its transaction is rolled back; the failure is recorded in a new one.
        log.exception(
            "storing the observations of document %s failed",
            document_id,
            extra={"document_id": document_id},
        )
        outcome = _record_failure(
            engine, document_id, f"storing observations failed: {_one_line(exc)}", retry, now
        )
    if outcome is None:  # not due any more, or another replica has it
        return
    if outcome.error is not None:
        counts.failed += 1
    else:
        counts.documents += 1
        counts.observations += outcome.observations


def _claim(session: Session, document_id: int, now: datetime) -> Document | None:
    # Another replica may be on it: the row lock is the claim (PostgreSQL; SQLite has one
    # writer and ignores it). Pending and due are checked again under the lock.
    return session.exec(
        select(Document)
        .where(Document.id == document_id, _pending(now))
        .with_for_update(skip_locked=True)
    ).first()


def _extract_claimed(
    engine: Engine,
    document_id: int,
    extract_one: Extract,
    fx: FxConverter,
    retry: ExtractRetry,
    now: datetime,
) -> _Outcome | None:
    with session_scope(engine) as session:
        document = _claim(session, document_id, now)
        if document is None:
            return None
        source = session.get_one(Source, document.source_id)
        published = document.published_at or document.fetched_at
        text = "\n\n".join(part for part in (document.title, document.text) if part)
        try:
            found = extract_one(
                text,
                date=published.date(),
                source=document.url or source.name,
                company_hint=source.company,
            )
        except ExtractionError as exc:
            _mark_failed(document, exc.reason, retry, now)
            _log_failure(document, source.name, exc)
            session.add(document)
            return _Outcome(error=exc.reason)
        session.exec(delete(Observation).where(col(Observation.document_id) == document.id))
        rows = [
            _observation_row(stored_id(document), item.to_dict(), published, fx) for item in found
        ]
        if rows:
            session.connection().execute(insert(Observation), rows)
        document.extracted_hash = document.content_hash
        document.extract_error = None
        document.extract_attempts = 0
        document.extract_failed_at = None
        document.extract_next_attempt_at = None
        session.add(document)
    return _Outcome(observations=len(rows))


def _record_failure(
    engine: Engine, document_id: int, error: str, retry: ExtractRetry, now: datetime
) -> _Outcome | None:
    with session_scope(engine) as session:
        document = _claim(session, document_id, now)
        if document is None:
            return None
        _mark_failed(document, error, retry, now)
        session.add(document)
    return _Outcome(error=error)


def _mark_failed(document: Document, error: str, retry: ExtractRetry, now: datetime) -> None:
    document.extract_attempts = (document.extract_attempts or 0) + 1
    document.extract_error = error[:2000]
    document.extract_failed_at = now
    document.extract_next_attempt_at = now + retry.delay(document.extract_attempts)


def _log_failure(document: Document, source_name: str, exc: ExtractionError) -> None:
    # The traceback once per failure streak; a retry that fails again is one line.
    first = document.extract_attempts == 1
    next_at = document.extract_next_attempt_at
    log.log(
        logging.ERROR if first else logging.WARNING,
        "extraction failed on document %s of %s (attempt %d, next at %s): %s",
        document.id,
        source_name,
        document.extract_attempts,
        next_at.isoformat(timespec="seconds") if next_at else "?",
        exc.reason,
        exc_info=exc if first else None,
        extra={"document_id": document.id, "source": source_name},
    )


def _one_line(exc: BaseException) -> str:
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


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
