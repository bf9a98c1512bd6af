"""Web view benchmark (issue 11): the events page `/` and a company page `/companies/{ID}`
rendered with 100,000 stored observations and 10,000 events on SQLite (target: under 200 ms
each), against a bare SELECT of the rows the page shows.

A SQLite file (the default database) is upgraded with the migrations and filled through the
models (bulk inserts): 40 sources, a document per 5 observations, the observations spread over
10 companies (10,000 each: capex, OCF and backlog figures of guidance, estimates and actuals for
fiscal years and quarters over eight years), 10,000 events over those companies with one to
three sources each and a delivery, and 40 quarters of SEC facts (capex, OCF, backlog) per
company, so a company page draws every chart.

The app (`create_app(engine)` with the shipped rules' defaults) answers in-process through
httpx's ASGITransport, each request a full render: queries, charts, template, headers. The
bare SELECT reads the same rows with the sqlite3 module and does nothing with them:

- `/`: the 50 newest events and their sources (one joined SELECT);
- `/companies/{ID}`: the company's facts, the figures of its latest four fiscal years of capex
  guidance (100 each at most, as the charts), its 20 latest events and 20 latest observations
  with their documents.

Rounds alternate page and SELECT, so a busy machine slows both alike; printed per page: the
median of each, and the median of the per-round ratios.

    .venv/bin/python bench/web.py [--rounds 30] [--observations 100000] [--events 10000]
                                  [--db PATH]

With --db the filled database is kept there and reused by later runs (refilled when its counts
do not match).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

import httpx  # noqa: E402
from _fill import bulk  # noqa: E402  (bench/, the script's folder)
from sqlalchemy import Engine, func  # noqa: E402
from sqlmodel import select  # noqa: E402

from watcher.engine.series_rules import period_name  # noqa: E402
from watcher.store.db import make_engine, session_scope, upgrade  # noqa: E402
from watcher.store.models import (  # noqa: E402
    Delivery,
    Document,
    Event,
    EventSource,
    Fact,
    Observation,
    Source,
)
from watcher.web import create_app  # noqa: E402
from watcher.web.company import FIGURES_PER_YEAR, YEARS_SHOWN  # noqa: E402
from watcher.web.pages import COMPANY_EVENTS_SHOWN, COMPANY_OBSERVATIONS_SHOWN, PER_PAGE  # noqa: E402

TARGET_MS = 200
COMPANIES = ("MSFT", "AMZN", "GOOGL", "META", "ORCL", "NVDA", "AAPL", "TSLA", "IBM", "CRWV")
SHOWN = "MSFT"  # the company page timed
SOURCES = 40
OBSERVATIONS_PER_DOCUMENT = 5
QUARTERS = 40
BILLION = 1_000_000_000
NOW = datetime(2026, 6, 1, tzinfo=UTC)
YEARS = range(NOW.year - 7, NOW.year + 2)  # fiscal years figures are given for


# --- filling ------------------------------------------------------------------------------------


def source_rows() -> Iterator[dict]:
    for n in range(1, SOURCES + 1):
        yield {
            "id": n,
            "name": f"wire-{n:02d}",
            "url": f"https://news{n}.example/feed.xml",
            "config_url": f"https://news{n}.example/feed.xml",
            "kind": "rss",
            "interval_seconds": 900,
            "enabled": True,
            "consecutive_failures": 0,
            "moved_seen": 0,
            "last_polled_at": NOW,
            "last_success_at": NOW,
            "next_poll_at": NOW + timedelta(minutes=15),
        }


def published(rnd: random.Random, year: int) -> datetime:
    """A moment in the two years before the fiscal year's end (figures for a year are given
    from a year ahead until its results), never after NOW."""
    end = min(datetime(year, 12, 31, tzinfo=UTC), NOW)
    return end - timedelta(seconds=rnd.uniform(0, 2 * 365 * 86400))


def document_rows(count: int) -> Iterator[dict]:
    rnd = random.Random(1)
    for n in range(1, count + 1):
        when = NOW - timedelta(seconds=rnd.uniform(0, 8 * 365 * 86400))
        yield {
            "id": n,
            "source_id": 1 + n % SOURCES,
            "key": f"https://news.example/article/{n}",
            "url": f"https://news.example/article/{n}",
            "title": f"Article {n} on capital spending",
            "text": "A stored article about capital spending.",
            "content_hash": f"{n:016x}",
            "published_at": when,
            "fetched_at": when,
            "extracted_hash": f"{n:016x}",
            "extract_attempts": 0,
        }


def observation_rows(count: int) -> Iterator[dict]:
    """`count` observations, the same number for each company, over capex (most), OCF and
    backlog; guidance, estimates and actuals; fiscal years and quarters."""
    rnd = random.Random(2)
    documents = count // OBSERVATIONS_PER_DOCUMENT
    for n in range(1, count + 1):
        company = COMPANIES[n % len(COMPANIES)]
        metric = rnd.choices(("capex", "ocf", "rpo"), weights=(6, 2, 2))[0]
        kind = rnd.choices(("guidance", "estimate", "actual"), weights=(6, 3, 1))[0]
        year = rnd.choice(YEARS)
        period = f"FY{year}" if rnd.random() < 0.7 else f"FY{year}-Q{rnd.randint(1, 4)}"
        base = (10 + COMPANIES.index(company) * 5 + (year - YEARS[0]) * 4) * BILLION
        low = int(base * rnd.uniform(0.9, 1.1))
        high = low + rnd.choice((0, 2, 5)) * BILLION
        raised = rnd.random() < 0.2
        yield {
            "id": n,
            "document_id": 1 + n % documents,
            "company": company,
            "metric": metric,
            "kind": kind,
            "period": period,
            "low": low,
            "high": high,
            "currency": "USD",
            "change": "raised" if raised else None,
            "prior_low": low - 3 * BILLION if raised else None,
            "prior_high": high - 3 * BILLION if raised else None,
            "usd_low": low,
            "usd_high": high,
            "quote": (
                f"{company} expects {period} {metric} of ${low // BILLION} billion to "
                f"${high // BILLION} billion, as it builds out data centers for AI."
            ),
            "published_at": published(rnd, year),
            "created_at": NOW,
            "evaluated": True,
        }


RULES = ("capex-guidance-change", "backlog-jump", "capex-ocf-record")
SEVERITIES = ("low", "medium", "high", "critical")


def event_rows(count: int, observations: int) -> Iterator[dict]:
    rnd = random.Random(3)
    for n in range(1, count + 1):
        company = COMPANIES[n % len(COMPANIES)]
        rule = RULES[n % len(RULES)]
        low = (50 + n % 40) * BILLION
        yield {
            "id": n,
            "key": f"{rule}:{company}:{n}",
            "rule": rule,
            "severity": rnd.choice(SEVERITIES),
            "company": company,
            "metric": "rpo" if rule == "backlog-jump" else "capex",
            "period": f"FY{rnd.choice(YEARS)}",
            "change": "raised",
            "currency": "USD",
            "low": low,
            "high": low + 5 * BILLION,
            "prior_low": low - 4 * BILLION,
            "prior_high": low,
            "change_pct": 8.8,
            "quote": f"{company} now anticipates capex of ${low // BILLION} billion.",
            "summary": f"{company} raised capex guidance to ${low // BILLION} billion.",
            "headline": f"{company} raised capex guidance (event {n})",
            "details": [["Old guidance", "$46 billion"], ["New guidance", "$50 billion"]],
            "confirmed": n % 3 == 0,
            "observation_id": 1 + n % observations,
            "created_at": NOW - timedelta(hours=count - n),
        }


def event_source_rows(events: int, documents: int) -> Iterator[dict]:
    row_id = 0
    for n in range(1, events + 1):
        for k in range(1 + n % 3):
            row_id += 1
            document = 1 + (n * 7 + k) % documents
            yield {
                "id": row_id,
                "event_id": n,
                "document_id": document,
                "source_name": f"wire-{1 + document % SOURCES:02d}",
                "url": f"https://news.example/article/{document}",
                "title": f"Article {document} on capital spending",
                "added_at": NOW - timedelta(hours=events - n),
            }


def delivery_rows(events: int) -> Iterator[dict]:
    for n in range(1, events + 1):
        created = NOW - timedelta(hours=events - n)
        yield {
            "id": n,
            "event_id": n,
            "channel": "slack",
            "update_key": "",
            "status": "sent",
            "attempts": 1,
            "next_attempt_at": created,
            "created_at": created,
            "sent_at": created,
        }


def fact_rows() -> Iterator[dict]:
    """40 quarters of capex, OCF and backlog per company, the last one in the latest quarter."""
    rnd = random.Random(4)
    last = NOW.year * 4 + (NOW.month - 1) // 3 - 1
    row_id = 0
    for index, company in enumerate(COMPANIES):
        for number in range(last - QUARTERS + 1, last + 1):
            year, quarter = divmod(number, 4)
            end = date(year, 3 * quarter + 3, 28)
            filed = end + timedelta(days=35)
            base = (index + 1) * BILLION * (1 + (number - last + QUARTERS) / 20)
            for metric, value in (
                ("capex", int(base * rnd.uniform(0.25, 0.45))),
                ("ocf", int(base)),
                ("rpo", int(base * 3 * rnd.uniform(0.95, 1.2))),
            ):
                row_id += 1
                accn = f"0000{index:06d}-{year % 100:02d}-{quarter:06d}"
                yield {
                    "id": row_id,
                    "company": company,
                    "metric": metric,
                    "period": period_name(number),
                    "start": None if metric == "rpo" else end - timedelta(days=89),
                    "end": end,
                    "value": value,
                    "currency": "USD",
                    "derived": False,
                    "tag": "Bench",
                    "accn": accn,
                    "filed": filed,
                    "first_value": value,
                    "first_accn": accn,
                    "first_filed": filed,
                    "updated_at": NOW,
                    "evaluated": True,
                }


def counts(engine: Engine) -> tuple[int, int]:
    with session_scope(engine) as session:
        observations = session.exec(select(func.count()).select_from(Observation)).one()
        events = session.exec(select(func.count()).select_from(Event)).one()
    return observations, events


def fill(engine: Engine, observations: int, events: int) -> None:
    documents = max(1, observations // OBSERVATIONS_PER_DOCUMENT)
    started = time.perf_counter()
    bulk(engine, Source, source_rows())
    bulk(engine, Document, document_rows(documents))
    bulk(engine, Observation, observation_rows(observations))
    bulk(engine, Event, event_rows(events, observations))
    sources = bulk(engine, EventSource, event_source_rows(events, documents))
    bulk(engine, Delivery, delivery_rows(events))
    facts = bulk(engine, Fact, fact_rows())
    with engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
    print(
        f"filled in {time.perf_counter() - started:.1f} s: {observations:,} observations, "
        f"{events:,} events ({sources:,} event sources, {events:,} deliveries), "
        f"{documents:,} documents, {SOURCES} sources, {facts:,} SEC facts, "
        f"{len(COMPANIES)} companies"
    )


# --- the bare reads -----------------------------------------------------------------------------


def bare_events_page(db: sqlite3.Connection) -> int:
    events = db.execute(
        "SELECT * FROM events ORDER BY created_at DESC, id DESC LIMIT ?", (PER_PAGE,)
    ).fetchall()
    ids = [row[0] for row in events]
    sources = db.execute(
        "SELECT event_sources.*, documents.published_at, documents.fetched_at FROM event_sources"
        " JOIN documents ON documents.id = event_sources.document_id"
        f" WHERE event_sources.event_id IN ({','.join('?' * len(ids))})"
        " ORDER BY event_sources.id",
        ids,
    ).fetchall()
    return len(events) + len(sources)


OBSERVATION_ROWS = (
    "SELECT observations.*, sources.name, documents.url, documents.title, documents.key"
    " FROM observations JOIN documents ON documents.id = observations.document_id"
    " JOIN sources ON sources.id = documents.source_id"
)


def bare_company_page(db: sqlite3.Connection, company: str) -> int:
    rows = db.execute("SELECT * FROM facts WHERE company = ?", (company,)).fetchall()
    years = db.execute(
        "SELECT DISTINCT period FROM observations WHERE company = ? AND metric = 'capex'"
        " AND period NOT LIKE '%-%' ORDER BY period DESC LIMIT ?",
        (company, YEARS_SHOWN),
    ).fetchall()
    for (period,) in years:
        rows += db.execute(
            OBSERVATION_ROWS + " WHERE observations.company = ? AND observations.metric = 'capex'"
            " AND observations.period = ?"
            " ORDER BY observations.published_at DESC, observations.id DESC LIMIT ?",
            (company, period, FIGURES_PER_YEAR),
        ).fetchall()
    events = db.execute(
        "SELECT * FROM events WHERE company = ? ORDER BY created_at DESC, id DESC LIMIT ?",
        (company, COMPANY_EVENTS_SHOWN),
    ).fetchall()
    ids = [row[0] for row in events]
    rows += events
    rows += db.execute(
        "SELECT event_sources.*, documents.published_at FROM event_sources"
        " JOIN documents ON documents.id = event_sources.document_id"
        f" WHERE event_sources.event_id IN ({','.join('?' * len(ids))})",
        ids,
    ).fetchall()
    rows += db.execute(
        OBSERVATION_ROWS + " WHERE observations.company = ?"
        " ORDER BY observations.published_at DESC, observations.id DESC LIMIT ?",
        (company, COMPANY_OBSERVATIONS_SHOWN),
    ).fetchall()
    return len(rows)


# --- timing -------------------------------------------------------------------------------------


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


async def bench(engine: Engine, path: Path, rounds: int) -> dict[str, tuple[float, float, float]]:
    app = create_app(engine)
    db = sqlite3.connect(path)
    pages = {
        "/": lambda: bare_events_page(db),
        f"/companies/{SHOWN}": lambda: bare_company_page(db, SHOWN),
    }
    transport = httpx.ASGITransport(app=app)
    results: dict[str, tuple[float, float, float]] = {}
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for url in pages:  # warm up: templates compiled, caches filled, the file read once
            reply = await client.get(url)
            assert reply.status_code == 200, (url, reply.status_code, reply.text[:300])
            print(f"{url}: {len(reply.content) / 1024:.0f} KB, {pages[url]()} rows read bare")
        samples: dict[str, tuple[list[float], list[float]]] = {url: ([], []) for url in pages}
        for _ in range(rounds):
            for url, bare in pages.items():
                started = time.perf_counter()
                reply = await client.get(url)
                page_ms = (time.perf_counter() - started) * 1000
                assert reply.status_code == 200
                samples[url][0].append(page_ms)
                samples[url][1].append(timed(bare))
        for url, (page_ms, bare_ms) in samples.items():
            ratios = [p / b for p, b in zip(page_ms, bare_ms, strict=True)]
            results[url] = (
                statistics.median(page_ms),
                statistics.median(bare_ms),
                statistics.median(ratios),
            )
    db.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--observations", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--db", type=Path, help="keep the filled database here, reuse it")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as scratch:
        path = args.db or Path(scratch) / "web.db"
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        if path.exists() and counts(engine) == (args.observations, args.events):
            print(f"reusing {path}")
        else:
            if counts(engine) != (0, 0):
                engine.dispose()
                path.unlink()
                engine = make_engine(f"sqlite:///{path}")
                upgrade(engine)
            fill(engine, args.observations, args.events)
        results = asyncio.run(bench(engine, path, args.rounds))
        engine.dispose()
    print(f"\nmedians of {args.rounds} alternated rounds (target: a page under {TARGET_MS} ms)")
    print(f"{'page':<18} {'render':>10} {'bare SELECT':>12} {'ratio':>8}")
    slow = False
    for url, (page_ms, bare_ms, ratio) in results.items():
        over = page_ms >= TARGET_MS
        slow |= over
        mark = "  over target" if over else ""
        print(f"{url:<18} {page_ms:>7.1f} ms {bare_ms:>9.2f} ms {ratio:>7.1f}x{mark}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
