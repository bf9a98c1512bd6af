"""Immediate email alerts against a real SMTP server (aiosmtpd, in-process): events at or
above `email.min_severity` are emailed once, through STARTTLS or TLS with login, exactly once
after the server recovers from failures, and text from feeds arrives inert."""

from __future__ import annotations

import io
import itertools
import random
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from tests.conftest import database_url
from tests.support.ports import refused_port
from tests.support.smtp_server import IGNORE_AUTH_WARNING, SmtpServer
from watcher.alerts.channels import ChannelResolver
from watcher.alerts.deliver import RetryPolicy, deliver_due
from watcher.alerts.email import EmailNotifier, compact_range, event_subject, send_message
from watcher.alerts.notifiers import ConsoleNotifier, DeliveryError
from watcher.settings import EmailSettings, Settings, SlackSettings
from watcher.store.db import make_engine, session_scope, upgrade
from watcher.store.drafts import EventDraft
from watcher.store.events import record_event
from watcher.store.models import Delivery, Document, Event, Source

pytestmark = pytest.mark.filterwarnings(IGNORE_AUTH_WARNING)

B = 1_000_000_000
ZERO_BACKOFF = RetryPolicy(base_seconds=0, cap_seconds=0)
_keys = itertools.count()


class AlertStore:
    """A migrated SQLite file, a news source, and events recorded through the outbox the
    way the rules engine records them."""

    def __init__(self, path: Path | str, *, email_min_severity: str | None = "high"):
        self.engine: Engine = make_engine(database_url(path))
        upgrade(self.engine)
        self.email_min_severity = email_min_severity
        with session_scope(self.engine) as session:
            session.add(Source(name="wire", url="https://wire.example/f", config_url="x"))

    def raise_event(
        self,
        *,
        severity: str = "high",
        company: str = "META",
        period: str = "FY2025",
        low: int = 64 * B,
        high: int = 72 * B,
        prior: tuple[int, int] | None = (60 * B, 65 * B),
        change_pct: float | None = 12.0,
        quote: str = "we anticipate our full year 2025 capital expenditures to be in the range "
        "of $64-72 billion, increased from our prior outlook of $60-65 billion",
        title: str = "Meta raises its capex outlook",
        url: str = "https://wire.example/meta-capex",
        created_at: datetime | None = None,
    ) -> int:
        with session_scope(self.engine) as session:
            source_id = session.exec(select(Source.id)).first()
            document = Document(
                source_id=source_id,
                key=f"doc-{next(_keys)}",
                url=url,
                title=title,
                text="...",
                content_hash="h",
                extracted_hash="h",
            )
            session.add(document)
            session.flush()
            draft = EventDraft(
                key=f"event-{next(_keys)}",
                rule="capex-guidance-change",
                severity=severity,
                company=company,
                metric="capex",
                period=period,
                change="raised",
                currency="USD",
                low=low,
                high=high,
                prior_low=prior[0] if prior else None,
                prior_high=prior[1] if prior else None,
                change_pct=change_pct,
                quote=quote,
                summary=f"{company} raised {period} capex guidance",
                observation_id=None,
                document_id=document.id,
            )
            email = EmailSettings(
                host="smtp.example" if self.email_min_severity else None,
                min_severity=self.email_min_severity or "high",
            )
            resolve = ChannelResolver(Settings(slack=SlackSettings(channel="#capex"), email=email))
            result = record_event(session, draft, resolve(["slack"], draft))
            if created_at is not None:
                result.event.created_at = created_at
                session.add(result.event)
            return int(result.event.id)

    def deliveries(self, channel: str = "email") -> list[Delivery]:
        with session_scope(self.engine) as session:
            query = select(Delivery).where(Delivery.channel == channel)
            return list(session.exec(query))

    def deliver_until_settled(self, settings: EmailSettings, rounds: int = 10) -> int:
        """Run the delivery job (zero backoff) until nothing is due; return the rounds run."""
        notifiers = {"console": ConsoleNotifier(io.StringIO()), "email": EmailNotifier(settings)}
        rng = random.Random(1)
        for round_number in range(1, rounds + 1):
            counts = deliver_due(self.engine, notifiers, ZERO_BACKOFF, rng=rng)
            if counts.retrying == 0:
                return round_number
        return rounds


@pytest.fixture
def store(tmp_path: Path, db_url) -> AlertStore:
    return AlertStore(db_url)


def parts(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and HTML bodies of a received message."""
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    return plain.get_content(), html.get_content()


def test_high_severity_event_is_emailed_once_with_ranges_and_quote(
    store: AlertStore, tmp_path: Path
) -> None:
    event_id = store.raise_event(severity="high")
    with SmtpServer() as server:
        settings = EmailSettings(**server.settings())
        store.deliver_until_settled(settings)
        store.deliver_until_settled(settings)  # a second run finds nothing to send
        assert len(server.received) == 1
        received = server.received[0]
    message = received.message
    assert sorted(received.recipients) == ["analyst@example.org", "desk@example.org"]
    assert message["Subject"] == (
        "[capex-watcher] META raised FY2025 capex guidance: $64-72 billion"
    )
    assert message.get_content_type() == "multipart/alternative"
    plain, html = parts(message)
    for body in (plain, html):
        assert "$60 billion to $65 billion" in body  # old range
        assert "$64 billion to $72 billion" in body  # new range
        assert "+12.0%" in body
        assert "increased from our prior outlook of $60-65 billion" in body
        assert "Meta raises its capex outlook" in body
    assert '<a href="https://wire.example/meta-capex">' in html
    [delivery] = store.deliveries()
    assert delivery.status == "sent" and delivery.event_id == event_id
    assert delivery.external_id == message["Message-ID"]


def test_medium_event_gets_no_immediate_email(store: AlertStore) -> None:
    store.raise_event(severity="medium")
    with SmtpServer() as server:
        store.deliver_until_settled(EmailSettings(**server.settings()))
        assert server.attempts == 0
    assert store.deliveries() == []
    assert [d.status for d in store.deliveries("console")] == ["sent"]


def test_no_email_channel_without_email_host(tmp_path: Path, db_url) -> None:
    store = AlertStore(db_url, email_min_severity=None)  # what email.host=None gives
    store.raise_event(severity="critical")
    assert store.deliveries() == []


@pytest.mark.parametrize("mode", ["starttls", "tls"])
def test_tls_with_login(store: AlertStore, tmp_path: Path, mode: str) -> None:
    store.raise_event(severity="critical")
    with SmtpServer(mode=mode, login=("watcher", "s3cret"), ca_dir=tmp_path) as server:
        store.deliver_until_settled(EmailSettings(**server.settings()))
        assert len(server.messages) == 1
        assert "META raised" in server.messages[0]["Subject"]


@pytest.mark.parametrize("mode", ["starttls", "tls"])
def test_bad_password_and_untrusted_certificate_are_delivery_errors(
    store: AlertStore, tmp_path: Path, mode: str
) -> None:
    store.raise_event(severity="critical")
    with SmtpServer(mode=mode, login=("watcher", "s3cret"), ca_dir=tmp_path) as server:
        message = EmailMessage()
        message["Subject"] = "x"
        message.set_content("x")
        with pytest.raises(DeliveryError, match="535 "):
            send_message(EmailSettings(**server.settings(password="wrong")), message)
        # Without the test CA the server's certificate is not trusted: no silent fallback.
        with pytest.raises(DeliveryError, match="CERTIFICATE_VERIFY_FAILED"):
            send_message(EmailSettings(**server.settings(ca_file=None)), message)
        assert server.received == []


def test_unreachable_server_is_a_delivery_error() -> None:
    message = EmailMessage()
    message.set_content("x")
    with refused_port() as port, pytest.raises(DeliveryError, match="ConnectionRefusedError"):
        send_message(
            EmailSettings(host="127.0.0.1", port=port, to=["a@example.org"], timeout=2), message
        )


def test_server_failing_then_recovering_delivers_exactly_once(store: AlertStore) -> None:
    store.raise_event(severity="high")
    with SmtpServer() as server:
        server.fail_next(3)
        rounds = store.deliver_until_settled(EmailSettings(**server.settings()))
        assert server.attempts == 4
        assert len(server.received) == 1
    assert rounds == 4
    [delivery] = store.deliveries()
    assert delivery.status == "sent" and delivery.attempts == 4
    assert delivery.last_error is None


def test_hostile_text_arrives_inert(store: AlertStore) -> None:
    store.raise_event(
        severity="critical",
        company="META",
        period="FY2025\r\nBcc: victim@evil.example",
        quote="<script>alert('x')</script> <b>bold</b> <!channel> <@U123> "
        "<https://evil.example|click> we expect $64-72 billion",
        title="Capex <img src=x onerror=alert(1)>\r\nX-Injected: yes",
        url="javascript:alert(document.cookie)",
    )
    with SmtpServer() as server:
        store.deliver_until_settled(EmailSettings(**server.settings()))
        [received] = server.received
    message = received.message
    assert message["Bcc"] is None and message["X-Injected"] is None
    assert sorted(received.recipients) == ["analyst@example.org", "desk@example.org"]
    assert "\n" not in message["Subject"] and "\r" not in message["Subject"]
    assert "Bcc: victim@evil.example" in message["Subject"]  # kept as words, not a header
    plain, html = parts(message)
    assert "<script" not in html and "<b>bold" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;!channel&gt;" in html and "&lt;@U123&gt;" in html
    assert "javascript:" not in html
    assert "<script>alert('x')</script>" in plain  # plain text is inert as it is


def test_subject_compact_range() -> None:
    assert compact_range(64 * B, 72 * B, "USD") == "$64-72 billion"
    assert compact_range(800_000_000, 1_200_000_000, "USD") == "$800 million to $1.2 billion"
    assert compact_range(30 * B, None, "USD") == "at least $30 billion"
    event = Event(
        key="k",
        rule="r",
        severity="high",
        company="MSFT",
        metric="capex/ocf",
        period="FY2026-Q1",
        change="record",
        quote="q",
        summary="MSFT capex/OCF ratio at a record 0.71\nnext line",
        value=0.71,
        previous=0.6,
        created_at=datetime.now(UTC) - timedelta(minutes=1),
    )
    assert event_subject(event) == "[capex-watcher] MSFT capex/OCF ratio at a record 0.71 next line"
