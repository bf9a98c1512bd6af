"""Digests against a real SMTP server: one multipart message per slot, company groups in
materiality order, an inline PNG chart per company referenced from the HTML, nothing sent when
empty (unless configured), and one message per slot however many runs race for it."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlmodel import select

from tests.support.smtp_server import SmtpServer
from tests.test_email import AlertStore, B, parts
from watcher.alerts.digest import (
    digest_trigger,
    group_by_company,
    latest_slot,
    run_digest,
)
from watcher.settings import EmailSettings
from watcher.store.db import make_engine, session_scope, upgrade
from watcher.store.models import DigestRun, Document, Event, Fact, Observation

SLOT = datetime(2026, 3, 4, 7, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path, db_url) -> AlertStore:
    store = AlertStore(db_url)
    _add_history(store)
    return store


def _add_history(store: AlertStore) -> None:
    """Chart material: META guidance observations, MSFT quarterly capex facts."""
    with session_scope(store.engine) as session:
        document = session.exec(select(Document)).first()
        if document is None:
            document = Document(source_id=1, key="history", text="...", content_hash="h")
            session.add(document)
            session.flush()
        for days, low, high in ((400, 35, 40), (300, 38, 40), (120, 60, 65), (30, 64, 72)):
            session.add(
                Observation(
                    document_id=document.id,
                    company="META",
                    metric="capex",
                    kind="guidance",
                    period="FY2025" if days < 200 else "FY2024",
                    low=low * B,
                    high=high * B,
                    quote="...",
                    published_at=SLOT - timedelta(days=days),
                )
            )
        for quarter in range(8):
            end = date(2024, 3, 31) + timedelta(days=91 * quarter)
            session.add(
                Fact(
                    company="MSFT",
                    metric="capex",
                    period=f"FY{2024 + quarter // 4}-Q{quarter % 4 + 1}",
                    end=end,
                    value=(14 + 2 * quarter) * B,
                    tag="PaymentsToAcquirePropertyPlantAndEquipment",
                    accn=f"a{quarter}",
                    filed=end + timedelta(days=30),
                    first_value=(14 + 2 * quarter) * B,
                    first_accn=f"a{quarter}",
                    first_filed=end + timedelta(days=30),
                )
            )


def _raise_three(store: AlertStore, at: datetime) -> None:
    """META: a high +12% and a medium +3%; MSFT: a critical +20% and a high +30%."""
    store.raise_event(company="META", severity="medium", change_pct=3.0, created_at=at)
    store.raise_event(company="META", severity="high", change_pct=12.0, created_at=at)
    store.raise_event(
        company="MSFT", severity="high", change_pct=30.0, created_at=at, low=80 * B, high=80 * B
    )
    store.raise_event(
        company="MSFT", severity="critical", change_pct=20.0, created_at=at, low=90 * B, high=95 * B
    )


def _images(message: EmailMessage) -> list[EmailMessage]:
    return [part for part in message.walk() if part.get_content_type() == "image/png"]


def test_digest_groups_companies_by_materiality_with_inline_charts(
    store: AlertStore,
) -> None:
    _raise_three(store, SLOT - timedelta(hours=3))
    with SmtpServer() as server:
        outcome = run_digest(store.engine, EmailSettings(**server.settings()), SLOT)
        [message] = server.messages
    assert outcome.status == "sent" and outcome.events == 4
    assert outcome.companies == ["MSFT", "META"]  # MSFT has the critical event
    assert message.get_content_type() == "multipart/alternative"
    assert "digest 2026-03-04: 4 events (MSFT, META)" in message["Subject"]
    plain, html = parts(message)
    assert plain.index("== MSFT") < plain.index("== META")
    assert html.index(">MSFT</h3>") < html.index(">META</h3>")
    # Within a company: severity first, then the size of the change.
    msft = plain[plain.index("== MSFT") : plain.index("== META")]
    assert msft.index("[CRITICAL]") < msft.index("[HIGH]")
    meta = plain[plain.index("== META") :]
    assert meta.index("[HIGH]") < meta.index("[MEDIUM]")
    related = message.get_body(preferencelist=("related",))
    assert related is not None and related.get_content_type() == "multipart/related"
    images = _images(message)
    assert len(images) == 2
    for image in images:
        content_id = image["Content-ID"].strip("<>")
        assert f'src="cid:{content_id}"' in html
        assert image.get_content().startswith(b"\x89PNG\r\n\x1a\n")
        assert image.get_content_disposition() == "inline"


def test_empty_digest_is_not_sent_unless_configured(store: AlertStore) -> None:
    _raise_three(store, SLOT - timedelta(hours=3))
    with SmtpServer() as server:
        settings = EmailSettings(**server.settings())
        assert run_digest(store.engine, settings, SLOT).status == "sent"
        # The next slot starts after the one sent: nothing new, nothing sent.
        empty = run_digest(store.engine, settings, SLOT + timedelta(days=1))
        assert empty.status == "empty" and empty.events == 0
        assert len(server.messages) == 1
        configured = EmailSettings(**server.settings(digest_send_empty=True))
        sent = run_digest(store.engine, configured, SLOT + timedelta(days=2))
        assert sent.status == "sent" and len(server.messages) == 2
        assert "no new events" in server.messages[1]["Subject"]
        assert _images(server.messages[1]) == []
    with session_scope(store.engine) as session:
        statuses = [run.status for run in session.exec(select(DigestRun).order_by(DigestRun.slot))]
    assert statuses == ["sent", "empty", "sent"]


def test_failed_digest_leaves_its_events_to_the_next(store: AlertStore) -> None:
    store.raise_event(company="META", created_at=SLOT - timedelta(hours=1))
    with SmtpServer() as server:
        settings = EmailSettings(**server.settings())
        server.fail_next(1)
        failed = run_digest(store.engine, settings, SLOT)
        assert failed.status == "failed" and "451" in (failed.error or "")
        store.raise_event(company="MSFT", created_at=SLOT + timedelta(hours=1))
        later = run_digest(store.engine, settings, SLOT + timedelta(days=1))
        assert later.status == "sent" and later.companies == ["MSFT", "META"]
        assert len(server.messages) == 1


def test_a_slot_is_sent_once_when_two_runs_race(store: AlertStore, tmp_path: Path, db_url) -> None:
    _raise_three(store, SLOT - timedelta(hours=3))
    # Two "replicas": each its own engine (connection pool) on the same database.
    engines = [make_engine(db_url) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []
    with SmtpServer() as server:
        settings = EmailSettings(**server.settings())

        def replica(index: int) -> None:
            barrier.wait()
            outcomes.append(run_digest(engines[index], settings, SLOT + timedelta(seconds=0.4)))

        threads = [threading.Thread(target=replica, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        # And a late third run for the same slot.
        outcomes.append(run_digest(store.engine, settings, SLOT))
        assert len(server.messages) == 1
    assert sorted(outcome.status for outcome in outcomes) == ["sent", "skipped", "skipped"]


def test_materiality_order_of_groups() -> None:
    def event(company: str, severity: str, pct: float) -> Event:
        return Event(
            key=f"{company}{severity}{pct}",
            rule="r",
            severity=severity,
            company=company,
            metric="capex",
            change_pct=pct,
            quote="",
            summary="",
        )

    groups = group_by_company(
        [event("AMZN", "high", 5), event("GOOGL", "high", -25), event("AMZN", "low", 90)]
    )
    assert [g.name for g in groups] == ["GOOGL", "AMZN"]  # |-25%| beats 5% at equal severity
    assert [e.severity for e in groups[1].events] == ["high", "low"]


def test_schedule_slot_in_the_configured_timezone() -> None:
    settings = EmailSettings(
        host="smtp.example.org", to=["a@example.org"], timezone="Europe/Berlin"
    )
    trigger = digest_trigger(settings)
    assert trigger is not None
    # 07:00 in Berlin is 06:00 UTC in winter; a job running late computes the same slot.
    for now in (
        "2026-03-04T06:00:00+00:00",
        "2026-03-04T06:40:00+00:00",
        "2026-03-05T05:59:00+00:00",
    ):
        assert latest_slot(trigger, datetime.fromisoformat(now)) == datetime(
            2026, 3, 4, 6, 0, tzinfo=UTC
        )
    assert digest_trigger(EmailSettings(host="h", to=["a@b"], digest_cron="")) is None
    assert digest_trigger(EmailSettings(to=["a@b"])) is None  # no host


@pytest.mark.slow
def test_cli_digest_send_now(run_watcher, tmp_path: Path, db_url) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(db_url)
    upgrade(engine)
    store = AlertStore.__new__(AlertStore)
    store.engine, store.email_min_severity = engine, "high"
    with session_scope(engine) as session:
        from watcher.store.models import Source

        session.add(Source(name="wire", url="https://wire.example/f", config_url="x"))
    store.raise_event(company="META", created_at=datetime.now(UTC) - timedelta(minutes=5))
    engine.dispose()
    with SmtpServer() as server:
        result = run_watcher(
            "digest",
            "send",
            "--now",
            email__host=server.host,
            email__port=str(server.port),
            email__security="none",
            email__to='["analyst@example.org"]',
        )
        assert result.returncode == 0, result.stderr
        assert "sent 1 events (META)" in result.stdout
        assert len(server.messages) == 1
        again = run_watcher(
            "digest",
            "send",
            "--now",
            email__host=server.host,
            email__port=str(server.port),
            email__security="none",
            email__to='["analyst@example.org"]',
        )
        assert "no events since the last digest" in again.stdout
        assert len(server.messages) == 1
    missing = run_watcher("digest", "send", "--now")
    assert missing.returncode == 2 and "email.host" in missing.stderr


def test_two_digests_asked_for_within_one_second_are_two(store: AlertStore) -> None:
    """`digest send --now` twice in one second: the second finds nothing new, instead of
    seeing the first's slot as claimed by another run (scheduled slots are whole seconds, the
    same on every replica; one asked for now is its own)."""
    _raise_three(store, SLOT - timedelta(hours=3))
    first, second = SLOT.replace(microsecond=100), SLOT.replace(microsecond=900_000)
    with SmtpServer() as server:
        settings = EmailSettings(**server.settings())
        assert run_digest(store.engine, settings, first, scheduled=False).status == "sent"
        again = run_digest(store.engine, settings, second, scheduled=False)
        assert again.status == "empty" and len(server.messages) == 1
        # the same scheduled slot, asked twice, is one digest
        assert run_digest(store.engine, settings, SLOT + timedelta(days=1)).status == "empty"
        assert run_digest(store.engine, settings, SLOT + timedelta(days=1)).status == "skipped"
