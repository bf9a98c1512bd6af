"""Rule evaluation benchmark: the cost of evaluating one new SEC fact and one new observation
with 1k, 100k and 1M facts and observations already stored (issue 13: at most 1.5x the 1k
cost at 1M).

For each size a SQLite file (the default database) is upgraded with the migrations and filled
through the models (bulk inserts): `size` quarterly facts and `size` observations, with the
documents, events, event sources and deliveries a history of that size brings. History grows
the way it does in use, by companies and by years: 10 years of quarters per company at 1k,
25 at 100k, 40 at 1M, and as many companies as the size needs (8, 333, 2,083). Observations
are spread over those companies, metrics, kinds and fiscal periods; the company the bench
reports on has the same guidance history for its current year at every size (12 earlier
figures), since what one company said about one year does not grow with everyone's history.

Then, in rounds alternated over the sizes (so a busy machine slows every size alike), two
things are timed, each undone afterwards so every round starts from the same database:

- fact: one new capex fact of the latest quarter (its OCF and backlog already filed in the same
  10-Q), then `evaluate_facts` with the shipped rules: a capex/OCF record and a backlog jump;
- observation: one new capex guidance observation raising the year's guidance, then
  `evaluate_pending`: one guidance-change event with its source and outbox rows.

Printed per size: the fill, the median time of each and the median of the per-round ratios
to the smallest size (the baseline, measured in the same process).

    .venv/bin/python bench/rules.py [--sizes 1000,100000,1000000] [--rounds 25] [--dir PATH]

With --dir the filled databases are kept there and reused by later runs (a file is refilled
when its counts do not match). Filling 1M takes a few minutes on a 2-core machine.
"""

from __future__ import annotations

import argparse
import logging
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from _fill import bulk  # noqa: E402  (bench/, the script's folder)
from sqlalchemy import Engine, delete, func  # noqa: E402
from sqlmodel import Session, SQLModel, col, select  # noqa: E402

from watcher.engine.evaluate import evaluate_facts, evaluate_pending  # noqa: E402
from watcher.engine.rules import load_rules  # noqa: E402
from watcher.engine.series_rules import period_name  # noqa: E402
from watcher.engine.types import Rule  # noqa: E402
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

SIZES = (1_000, 100_000, 1_000_000)
RATIO_TARGET = 1.5
METRICS = ("capex", "ocf", "rpo")
KINDS = ("guidance", "actual", "estimate")
TARGET = "C00000"  # the company every timed evaluation is about
GUIDANCE_HISTORY = 12
BILLION = 1_000_000_000


@dataclass(frozen=True)
class Shape:
    """How a history of `size` facts and `size` observations is laid out."""

    size: int
    years: int
    companies: int

    @classmethod
    def of(cls, size: int) -> Shape:
        years = max(5, round(10 * (size / 1_000) ** 0.2))
        return cls(size, years, max(1, size // (len(METRICS) * 4 * years)))


def today() -> date:
    return datetime.now(UTC).date()


def latest_quarter(day: date) -> int:
    """The quarter number (as `series_rules.quarter_number`) of the last completed quarter."""
    return day.year * 4 + (day.month - 1) // 3 - 1


def quarter_end(number: int) -> date:
    year, quarter = divmod(number, 4)
    return date(year, 3 * quarter + 3, 28)


# --- filling ------------------------------------------------------------------------------------


def company(index: int) -> str:
    return f"C{index:05d}"


def fact_rows(shape: Shape, day: date) -> Iterator[dict]:
    """Every company's quarters, oldest first; the target's latest capex is left out (it is
    the fact each round adds), its latest OCF and backlog were filed ten days ago."""
    rnd = random.Random(shape.size)
    latest = latest_quarter(day)
    first = latest - 4 * shape.years + 1
    row_id = 0
    stamp = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    for index in range(shape.companies):
        for number in range(first, latest + 1):
            end = quarter_end(number)
            filed = day - timedelta(days=10) if number == latest else end + timedelta(days=35)
            base = (index + 1) * BILLION * (1 + (number - first) / 40)
            values = {
                "capex": int(base * rnd.uniform(0.25, 0.4)),
                "ocf": int(base),
                "rpo": int(base * 3 * rnd.uniform(0.95, 1.1)),
            }
            if index == 0 and number == latest:
                values["rpo"] = int(base * 3 * 1.5)  # a backlog jump in the latest quarter
            for metric, value in values.items():
                if index == 0 and number == latest and metric == "capex":
                    continue
                row_id += 1
                yield {
                    "id": row_id,
                    "company": company(index),
                    "metric": metric,
                    "period": period_name(number),
                    "start": None if metric == "rpo" else end - timedelta(days=89),
                    "end": end,
                    "value": value,
                    "currency": "USD",
                    "derived": False,
                    "tag": "Bench",
                    "accn": f"0000000000-{number % 100:02d}-{index:06d}",
                    "filed": filed,
                    "first_value": value,
                    "first_accn": f"0000000000-{number % 100:02d}-{index:06d}",
                    "first_filed": filed,
                    "source_id": 2,
                    "updated_at": stamp,
                    "evaluated": True,
                }


def document_row(doc_id: int, published: datetime) -> dict:
    return {
        "id": doc_id,
        "source_id": 1,
        "key": f"bench-{doc_id}",
        "url": f"https://news.example.com/{doc_id}",
        "title": f"Bench article {doc_id}",
        "text": "A stored article.",
        "content_hash": f"{doc_id:016x}",
        "published_at": published,
        "fetched_at": published,
        "extracted_hash": f"{doc_id:016x}",
    }


def observation_row(obs_id: int, doc_id: int, **fields: object) -> dict:
    low = fields.pop("low")
    high = fields.pop("high")
    return {
        "id": obs_id,
        "document_id": doc_id,
        "currency": "USD",
        "low": low,
        "high": high,
        "usd_low": low,
        "usd_high": high,
        "quote": "We expect capital expenditures in the range stated.",
        "created_at": fields["published_at"],
        "evaluated": True,
        **fields,
    }


def target_guidance(number: int, published: datetime, year: int) -> dict:
    """The target's `number`-th capex guidance figure for `year` (rising)."""
    low = (50 + 2 * number) * BILLION
    return {
        "company": TARGET,
        "metric": "capex",
        "kind": "guidance",
        "period": f"FY{year}",
        "low": low,
        "high": low + 4 * BILLION,
        "published_at": published,
    }


def history_rows(shape: Shape, day: date) -> tuple[list[dict], list[dict]]:
    """Documents and observations: four observations per document, spread at random over the
    companies, metrics, kinds and periods of the history; the target's guidance history last."""
    rnd = random.Random(shape.size + 1)
    now = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    first_year = day.year - shape.years + 1
    documents: list[dict] = []
    observations: list[dict] = []
    regular = shape.size - GUIDANCE_HISTORY
    for obs_id in range(1, regular + 1):
        if obs_id % 4 == 1:
            published = now - timedelta(days=rnd.uniform(30, 365 * shape.years))
            documents.append(document_row(len(documents) + 1, published))
        year = rnd.randint(first_year, day.year)
        period = f"FY{year}" if rnd.random() < 0.4 else f"FY{year}-Q{rnd.randint(1, 4)}"
        low = rnd.randint(1, 100) * BILLION
        observations.append(
            observation_row(
                obs_id,
                len(documents),
                # never the target: its guidance history is the same at every size
                company=company(1 + rnd.randrange(max(1, shape.companies - 1))),
                metric=rnd.choice(METRICS),
                kind=rnd.choice(KINDS),
                period=period,
                low=low,
                high=low + rnd.choice((0, 4 * BILLION)),
                published_at=documents[-1]["published_at"],
            )
        )
    for number in range(GUIDANCE_HISTORY):
        published = now - timedelta(days=300 - 20 * number)
        documents.append(document_row(len(documents) + 1, published))
        fields = target_guidance(number, published, day.year)
        observations.append(observation_row(len(observations) + 1, len(documents), **fields))
    return documents, observations


def event_rows(
    shape: Shape, day: date, documents: int
) -> tuple[list[dict], list[dict], list[dict]]:
    """One event per 20 observations, each with one source and one sent delivery."""
    rnd = random.Random(shape.size + 2)
    events, sources, deliveries = [], [], []
    stamp = datetime(2020, 1, 1, tzinfo=UTC)
    for event_id in range(1, shape.size // 20 + 1):
        metric = rnd.choice(METRICS)
        who = company(rnd.randrange(shape.companies))
        events.append(
            {
                "id": event_id,
                "key": f"bench|{event_id}",
                "rule": "capex-guidance-change" if metric == "capex" else "backlog-jump",
                "severity": "medium",
                "company": who,
                "metric": metric,
                "period": f"FY{day.year - rnd.randrange(shape.years)}",
                "change": "raised",
                "currency": "USD",
                "low": rnd.randint(1, 100) * BILLION,
                "high": None,
                "quote": "A stored figure.",
                "summary": f"{who} raised {metric}",
                "headline": f"{who} raised {metric}",
                "details": [],
                "confirmed": False,
                "created_at": stamp,
            }
        )
        sources.append(
            {
                "id": event_id,
                "event_id": event_id,
                "document_id": rnd.randint(1, documents),
                "source_name": "bench-news",
                "added_at": stamp,
            }
        )
        deliveries.append(
            {
                "id": event_id,
                "event_id": event_id,
                "channel": "console",
                "update_key": "",
                "status": "sent",
                "attempts": 1,
                "next_attempt_at": stamp,
                "created_at": stamp,
                "sent_at": stamp,
            }
        )
    return events, sources, deliveries


def counts(engine: Engine) -> tuple[int, int]:
    with session_scope(engine) as session:
        facts = session.exec(select(func.count()).select_from(Fact)).one()
        observations = session.exec(select(func.count()).select_from(Observation)).one()
    return int(facts), int(observations)


def fill(engine: Engine, shape: Shape, day: date) -> None:
    with session_scope(engine) as session:
        session.add(Source(id=1, name="bench-news", url="https://n.example", config_url="x"))
        session.add(
            Source(id=2, name="bench-sec", url="https://s.example", config_url="y", official=True)
        )
    bulk(engine, Fact, fact_rows(shape, day))
    documents, observations = history_rows(shape, day)
    bulk(engine, Document, documents)
    bulk(engine, Observation, observations)
    events, sources, deliveries = event_rows(shape, day, len(documents))
    bulk(engine, Event, events)
    bulk(engine, EventSource, sources)
    bulk(engine, Delivery, deliveries)
    with engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")


def prepared(folder: Path, shape: Shape, day: date) -> Engine:
    """The database of one size: reused when its counts match, else filled."""
    path = folder / f"rules-{shape.size}-{day.isoformat()}.db"
    expected = (shape.companies * len(METRICS) * 4 * shape.years - 1, shape.size)
    if path.exists():
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        if counts(engine) == expected:
            print(f"size {shape.size:>9,}: reusing {path}")
            return engine
        engine.dispose()
        path.unlink()
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    start = time.perf_counter()
    fill(engine, shape, day)
    facts, observations = counts(engine)
    print(
        f"size {shape.size:>9,}: filled {facts:,} facts and {observations:,} observations "
        f"({shape.companies:,} companies x {shape.years} years) in "
        f"{time.perf_counter() - start:.0f} s"
    )
    return engine


# --- the timed evaluations ----------------------------------------------------------------------


MARKED = (Delivery, EventSource, Event, Observation, Document, Fact)


def marks(engine: Engine) -> dict[type[SQLModel], int]:
    with session_scope(engine) as session:
        return {
            model: int(session.exec(select(func.max(col(model.id)))).one() or 0) for model in MARKED
        }


def undo(engine: Engine, before: dict[type[SQLModel], int]) -> None:
    """Delete every row added since `before` (children first)."""
    with session_scope(engine) as session:
        for model in MARKED:
            session.execute(delete(model).where(col(model.id) > before[model]))


def add_fact(session: Session, day: date) -> None:
    number = latest_quarter(day)
    filed = day - timedelta(days=10)
    ocf = session.exec(
        select(Fact)
        .where(Fact.company == TARGET, Fact.metric == "ocf")
        .where(Fact.period == period_name(number))
    ).one()
    value = int(ocf.value * 0.9)  # far above the ~0.33 of the quarters before: a record
    session.add(
        Fact(
            company=TARGET,
            metric="capex",
            period=period_name(number),
            start=quarter_end(number) - timedelta(days=89),
            end=quarter_end(number),
            value=value,
            tag="Bench",
            accn=ocf.accn,
            filed=filed,
            first_value=value,
            first_accn=ocf.accn,
            first_filed=filed,
            source_id=2,
        )
    )


def add_observation(session: Session, day: date) -> None:
    published = datetime.now(UTC)
    document = Document(
        source_id=1,
        key=f"bench-new-{published.timestamp()}",
        text="Raised guidance.",
        content_hash="new",
        published_at=published,
    )
    session.add(document)
    session.flush()
    assert document.id is not None
    fields = target_guidance(GUIDANCE_HISTORY, published, day.year)
    session.add(Observation(**observation_row(None, document.id, **fields) | {"evaluated": False}))


def timed_run(
    engine: Engine, prepare: Callable[[Session], None], evaluate: Callable[[], int]
) -> tuple[float, int]:
    """Add the new row, time its evaluation, then undo everything it added."""
    before = marks(engine)
    with session_scope(engine) as session:
        prepare(session)
    start = time.perf_counter()
    events = evaluate()
    elapsed = time.perf_counter() - start
    undo(engine, before)
    return elapsed, events


@dataclass
class Timings:
    fact: list[float]
    observation: list[float]


def one_round(engine: Engine, rules: list[Rule], day: date) -> tuple[float, float]:
    def console(_draft: object) -> list[str]:
        return ["console"]

    fact, fact_events = timed_run(
        engine,
        lambda session: add_fact(session, day),
        lambda: evaluate_facts(engine, rules, console, today=day).events,
    )
    observation, observation_events = timed_run(
        engine,
        lambda session: add_observation(session, day),
        lambda: evaluate_pending(engine, rules, console).events,
    )
    # The bench measures the path that raises events: a record and a jump, and one raise.
    assert fact_events == 2, f"the new fact raised {fact_events} events, expected 2"
    assert observation_events == 1, f"the new observation raised {observation_events} events"
    return fact, observation


def report(shapes: list[Shape], timings: dict[int, Timings]) -> None:
    base = shapes[0].size
    print(
        f"\n{'stored':>10} {'companies':>9} {'years':>5}   {'fact ms':>8} {'ratio':>6}"
        f"   {'observation ms':>14} {'ratio':>6}"
    )
    worst = 0.0
    for shape in shapes:
        mine, first = timings[shape.size], timings[base]
        ratios = []
        for name in ("fact", "observation"):
            pairs = zip(getattr(mine, name), getattr(first, name), strict=True)
            ratios.append(statistics.median(a / b for a, b in pairs))
        worst = max(worst, *ratios)
        print(
            f"{shape.size:>10,} {shape.companies:>9,} {shape.years:>5}   "
            f"{1000 * statistics.median(mine.fact):>8.2f} {ratios[0]:>5.2f}x"
            f"   {1000 * statistics.median(mine.observation):>14.2f} {ratios[1]:>5.2f}x"
        )
    verdict = "ok" if worst <= RATIO_TARGET else "ABOVE TARGET"
    print(f"worst ratio to {base:,} stored: {worst:.2f}x (target <= {RATIO_TARGET:g}x) {verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=",".join(str(size) for size in SIZES),
        help="stored facts (and observations) per database, comma-separated; the first is "
        "the baseline",
    )
    parser.add_argument("--rounds", type=int, default=25, help="alternated rounds per size")
    parser.add_argument("--dir", type=Path, help="keep (and reuse) the databases here")
    args = parser.parse_args()
    logging.disable(logging.INFO)  # the rules log what they skip; not what is measured
    shapes = [Shape.of(int(size)) for size in args.sizes.split(",")]
    day = today()
    rules = load_rules(PROJECT / "rules")
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.dir or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        engines = {shape.size: prepared(folder, shape, day) for shape in shapes}
        timings = {shape.size: Timings([], []) for shape in shapes}
        for shape in shapes:  # warm up: imports, statement caches, the pages touched
            one_round(engines[shape.size], rules, day)
        for _ in range(args.rounds):
            for shape in shapes:
                fact, observation = one_round(engines[shape.size], rules, day)
                timings[shape.size].fact.append(fact)
                timings[shape.size].observation.append(observation)
        report(shapes, timings)
        for engine in engines.values():
            engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
