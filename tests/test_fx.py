"""Currency conversion: the ECB reference-rate source through the poller into fx_rates, the
converter (daily rates, then the shipped fallback table), US-dollar values on stored
observations, and the guidance rule comparing across currencies."""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from tests.support.feed_server import FeedServer
from tests.test_rules_and_outbox import B, Store
from watcher.errors import WatcherError
from watcher.sources.config import SourceConfig
from watcher.sources.ecb import parse_reference_rates
from watcher.sources.http import make_client
from watcher.sources.poll import FetchLimits, poll_sources, sync_sources
from watcher.store.db import session_scope
from watcher.store.fx import FxConverter, load_fallback
from watcher.store.models import FxRate, Observation

# A small file in the ECB's eurofxref layout, with made-up rates.
RATES_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01"
    xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
  <gesmes:subject>Reference rates</gesmes:subject>
  <Cube>
    <Cube time="2026-03-03">
      <Cube currency="USD" rate="1.10"/>
      <Cube currency="KRW" rate="1540.0"/>
      <Cube currency="CNY" rate="7.92"/>
    </Cube>
    <Cube time="2026-03-02">
      <Cube currency="USD" rate="1.12"/>
      <Cube currency="KRW" rate="1568.0"/>
      <Cube currency="CNY" rate="bogus"/>
    </Cube>
  </Cube>
</gesmes:Envelope>"""


def test_parse_reference_rates():
    rates = parse_reference_rates(RATES_XML)
    assert len(rates) == 5  # the unreadable CNY rate is skipped
    assert {(r.day, r.currency, r.per_eur) for r in rates} >= {
        (dt.date(2026, 3, 3), "USD", 1.10),
        (dt.date(2026, 3, 2), "KRW", 1568.0),
    }


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html><body>maintenance</body></html>",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
        b"\x00\xff garbage",
    ],
)
def test_bad_rate_files_are_source_errors(body):
    with pytest.raises(WatcherError):
        parse_reference_rates(body)


def test_converter_daily_then_fallback():
    fx = FxConverter(
        {"USD": [(dt.date(2026, 3, 3), 1.10)], "KRW": [(dt.date(2026, 3, 3), 1540.0)]},
        fallback={"KRW": {2024: 1364.0, 2025: 1415.0}},
    )
    assert fx.per_usd("KRW", dt.date(2026, 3, 3)) == pytest.approx(1400.0)
    assert fx.per_usd("KRW", dt.date(2026, 3, 8)) == pytest.approx(1400.0)  # the weekend
    assert fx.per_usd("KRW", dt.date(2026, 6, 1)) == 1415.0  # too far: fallback, last year
    assert fx.per_usd("KRW", dt.date(2020, 1, 1)) == 1364.0  # before the table: first year
    assert fx.per_usd("EUR", dt.date(2026, 3, 3)) == pytest.approx(1 / 1.10)
    assert fx.to_usd(1_400_000_000_000, "KRW", dt.date(2026, 3, 3)) == 1_000_000_000
    assert fx.per_usd("USD", dt.date(2026, 3, 3)) == 1.0
    assert fx.per_usd("XAU", dt.date(2026, 3, 3)) is None


def test_shipped_fallback_covers_the_news_currencies():
    table = load_fallback()
    for currency in ("EUR", "CNY", "JPY", "KRW", "TWD"):
        assert currency in table and min(table[currency]) <= 2020


def test_ecb_source_polled_into_fx_rates(tmp_path, db_url):
    store = Store(db_url)
    with FeedServer() as server, make_client(user_agent="tests") as client:
        server.set("/eurofxref.xml", RATES_XML, content_type="text/xml", etag='"r1"')
        sync_sources(
            store.engine,
            [SourceConfig(name="ecb", url=server.url("/eurofxref.xml"), kind="ecb_rates")],
        )
        first = poll_sources(store.engine, client, FetchLimits(), force=True)
        second = poll_sources(store.engine, client, FetchLimits(), force=True)
    assert (first.failed, first.new_documents) == (0, 5)
    assert second.not_modified == 1
    with session_scope(store.engine) as session:
        assert len(session.exec(select(FxRate)).all()) == 5
        fx = FxConverter.from_session(session)
    assert fx.per_usd("KRW", dt.date(2026, 3, 3)) == pytest.approx(1400.0)


def test_rule_compares_across_currencies(tmp_path, db_url):
    store = Store(db_url)
    # 70 trillion won (~$50 billion), then $56 billion for the same year: a raise of 12%.
    store.report(70_000, 70_000, days=0, company="META")
    store.report(56, 56, days=5, company="META")
    _set_currency_and_usd(store, first_currency="KRW", per_usd=1400.0)
    store.evaluate()
    (event,) = store.events()
    assert event.change == "raised" and event.change_pct == pytest.approx(12.0)
    assert event.currency == "USD" and event.prior_low == 50 * B


def test_exchange_rate_drift_is_not_a_change(tmp_path, db_url):
    store = Store(db_url)
    store.report(70_000, 70_000, days=0, company="META")
    store.report(51, 51, days=5, company="META")  # +2% in dollars: drift
    _set_currency_and_usd(store, first_currency="KRW", per_usd=1400.0)
    store.evaluate()
    assert store.events() == []


def _set_currency_and_usd(store: Store, *, first_currency: str, per_usd: float) -> None:
    """Make the first observation a figure in `first_currency` (its low/high are read as
    units of that currency) and give every observation its US-dollar value."""
    with session_scope(store.engine) as session:
        observations = list(session.exec(select(Observation).order_by(Observation.id)))
        first = observations[0]
        first.currency = first_currency
        first.usd_low = round(first.low / per_usd)
        first.usd_high = round(first.high / per_usd)
        for other in observations[1:]:
            other.usd_low, other.usd_high = other.low, other.high
        for observation in observations:
            session.add(observation)


def test_pipeline_stores_usd_values(tmp_path, db_url):
    from tests.conftest import PROJECT
    from watcher.extract import load_companies
    from watcher.extraction import extract_pending
    from watcher.store.models import Document, Source

    store = Store(db_url)
    with session_scope(store.engine) as session:
        session.add(FxRate(day=dt.date(2026, 3, 3), currency="USD", per_eur=1.10))
        session.add(FxRate(day=dt.date(2026, 3, 3), currency="EUR", per_eur=1.0))
        source_id = session.exec(select(Source.id)).first()
        session.add(
            Document(
                source_id=source_id,
                key="k",
                text="Meta expects 2026 capital expenditures of $115 billion to $135 billion.",
                content_hash="h",
                published_at=datetime(2026, 3, 4, tzinfo=UTC) - timedelta(hours=1),
            )
        )
    extract_pending(store.engine, load_companies(PROJECT / "config" / "companies.yaml"))
    with session_scope(store.engine) as session:
        observation = session.exec(select(Observation)).one()
    assert (observation.usd_low, observation.usd_high) == (115 * B, 135 * B)
