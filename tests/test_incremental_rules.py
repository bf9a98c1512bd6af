"""Incremental rule evaluation (issue 13, item 1) on SQLite and PostgreSQL: a new fact is judged
on a window of its company's quarters and finds exactly what a judgement over every stored
series finds; the queries evaluation runs go through their indexes (EXPLAIN), never a scan of a
whole table nor a sort of one figure's history."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from tests.conftest import PROJECT
from tests.support.explain import Plan, plans, selects_during
from watcher.engine.evaluate import evaluate_facts, evaluate_pending
from watcher.engine.history import load_series
from watcher.engine.quarters import period_name, quarter_number
from watcher.engine.rules import load_rule_file, load_rules
from watcher.engine.types import Reach, Rule, RuleConfig, RuleContext
from watcher.store.db import make_engine, session_scope, upgrade
from watcher.store.drafts import EventDraft
from watcher.store.models import Document, Event, Fact, Observation, Source

B = 1_000_000_000
TODAY = date(2026, 5, 5)
LATEST = quarter_number("FY2026-Q1") or 0


def console(_draft: object) -> list[str]:
    return ["console"]


def quarter_end(number: int) -> date:
    return date(number // 4, 3 * (number % 4) + 3, 28)


def fact(company: str, metric: str, number: int, value: float, filed: date, new: bool) -> Fact:
    return Fact(
        company=company,
        metric=metric,
        period=period_name(number),
        end=quarter_end(number),
        value=int(value),
        tag="Test",
        accn=f"accn-{company}-{number}",
        filed=filed,
        first_value=int(value),
        first_accn=f"accn-{company}-{number}",
        first_filed=filed,
        evaluated=not new,
    )


def quarters(
    company: str, capex: list[float], ocf: list[float], rpo: list[float], *, news: int = 1
) -> list[Fact]:
    """Consecutive quarters ending with LATEST; the last `news` of them filed last week (not
    yet evaluated), the others long ago."""
    first = LATEST - len(capex) + 1
    rows = []
    for offset, values in enumerate(zip(capex, ocf, rpo, strict=True)):
        number = first + offset
        new = number > LATEST - news
        filed = TODAY - timedelta(days=7) if new else quarter_end(number) + timedelta(days=35)
        for metric, value in zip(("capex", "ocf", "rpo"), values, strict=True):
            rows.append(fact(company, metric, number, value * B, filed, new))
    return rows


def rule(tmp_path, name: str, text: str) -> Rule:
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"name: {name}\n{text}")
    return load_rule_file(path)


def series_rules(tmp_path) -> list[Rule]:
    """The shipped rules and one of each other series rule shape: a year-over-year jump, a
    trailing-twelve-month record, a threshold and a group's threshold."""
    return [
        *load_rules(PROJECT / "rules"),
        rule(tmp_path, "capex-yoy", "type: jump\nmetric: capex\ncompare: yoy\nmin_pct: 40\n"),
        rule(tmp_path, "ttm-record", "type: ratio_record\nbasis: ttm\nquarters: 4\n"),
        rule(tmp_path, "capex-10b", "type: threshold\nmetric: capex\nlevel: 10000000000\n"),
        rule(
            tmp_path,
            "pair-30b",
            "type: threshold\nmetric: capex\nlevel: 30000000000\ncompanies: [AAA, BBB]\n",
        ),
    ]


def engine_for(db_url: str) -> Engine:
    engine = make_engine(db_url)
    upgrade(engine)
    return engine


def judged_on_everything(session: Session, rules: list[Rule]) -> set[tuple[str, str]]:
    """What the series rules find for the changed companies when handed every stored series:
    how evaluation judged before it read a window."""
    changed = {row.company for row in session.exec(select(Fact).where(Fact.evaluated == False))}  # noqa: E712
    ctx = RuleContext(
        session,
        now=datetime.combine(TODAY, time(), tzinfo=UTC),
        series=load_series(session),
        changed=changed,
    )
    return {
        (draft.key, draft.summary)
        for rule in rules
        if rule.reads == "facts"
        for draft in rule.evaluate(ctx)
    }


def test_a_window_finds_what_the_whole_history_finds(tmp_path, db_url):
    engine = engine_for(db_url)
    rules = series_rules(tmp_path)
    # AAA: 20 quarters of capex at a third of OCF, then a record share in the newest quarter:
    # a 21-quarter high, a run far longer than the window a record needs (8 quarters).
    capex = [5.0 + 0.1 * n for n in range(20)] + [14.0]
    ocf = [15.0 + 0.3 * n for n in range(20)] + [16.0]
    rpo = [40.0 + n for n in range(20)] + [90.0]
    # BBB: a short history, newest quarter filed last week too; with AAA it crosses $30B.
    bbb = quarters("BBB", [8.0, 8.5, 9.0, 17.0], [30.0] * 4, [50.0, 52.0, 54.0, 56.0])
    # CCC: nothing new; a long history nobody needs to read.
    ccc = quarters("CCC", [4.0] * 40, [8.0] * 40, [20.0] * 40, news=0)
    with session_scope(engine) as session:
        session.add_all([*quarters("AAA", capex, ocf, rpo), *bbb, *ccc])
        # An old quarter of AAA restated: changed, but first filed years ago, so no news.
        restated = session.exec(
            select(Fact).where(
                Fact.company == "AAA",
                Fact.metric == "capex",
                Fact.period == period_name(LATEST - 12),
            )
        ).one()
        restated.value += B
        restated.evaluated = False
        session.add(restated)
    with session_scope(engine) as session:
        expected = judged_on_everything(session, rules)

    counts = evaluate_facts(engine, rules, console, today=TODAY)

    with session_scope(engine) as session:
        stored = {(e.key, e.summary) for e in session.exec(select(Event))}
        pending = session.exec(select(Fact).where(Fact.evaluated == False)).all()  # noqa: E712
    assert stored == expected
    assert counts.events == len(expected)
    assert not pending
    summaries = sorted(summary for _, summary in stored)
    assert any("capex/ocf ratio at a 21-quarter high in FY2026-Q1" in s for s in summaries)
    assert any(s.startswith("AAA rpo jumped") for s in summaries)
    assert any(s.startswith("AAA+BBB capex crossed above") for s in summaries)
    assert any(s.startswith("BBB capex crossed above $10") for s in summaries)


class RpoWatcher(Rule):
    """A facts-reading rule type of its own, no series rule: it reaches the changed companies'
    rpo, two quarters back, and keeps the series it is handed."""

    type_name = "rpo-watcher"
    config_model = RuleConfig
    reads = "facts"

    def __init__(self) -> None:
        super().__init__(RuleConfig(name="rpo-watcher", type="rpo-watcher"))
        self.seen: dict[str, Any] | None = None

    def reach(self, changed: set[str]) -> Reach:
        return Reach(frozenset(changed), frozenset({"rpo"}), lookback=2, max_age_days=30.0)

    def evaluate(self, ctx: RuleContext) -> list[EventDraft]:
        self.seen = ctx.series
        return []


def test_any_facts_rule_is_handed_what_it_reaches(db_url):
    # The evaluator reads what each facts-reading rule says it needs (`Rule.reach`), whatever
    # its type: here the newest quarter (news) and the two before it, of rpo only.
    engine = engine_for(db_url)
    watcher = RpoWatcher()
    with session_scope(engine) as session:
        session.add_all(quarters("AAA", [5.0] * 6, [15.0] * 6, [40.0 + n for n in range(6)]))
        session.add_all(quarters("CCC", [4.0] * 6, [8.0] * 6, [20.0] * 6, news=0))
    evaluate_facts(engine, [watcher], console, today=TODAY)
    assert watcher.seen is not None and set(watcher.seen) == {"AAA"}
    assert set(watcher.seen["AAA"]) == {"rpo"}
    assert sorted(watcher.seen["AAA"]["rpo"]) == [
        period_name(number) for number in range(LATEST - 2, LATEST + 1)
    ]


# --- EXPLAIN ------------------------------------------------------------------------------------


# Partial indexes that hold only the rows not evaluated yet: reading all of one reads only those.
PENDING = ("ix_observations_pending", "ix_facts_pending")


def full_scan(plan: Plan) -> bool:
    """A read of a whole table or index: SQLite's SCAN, PostgreSQL's Seq Scan."""
    return any(
        (line.startswith("SCAN ") and not any(index in line for index in PENDING))
        or "Seq Scan" in line
        for line in (ln.strip() for ln in plan.lines)
    )


def sorted_after_reading(plan: Plan) -> bool:
    return any(
        ("TEMP B-TREE" in line and "ORDER BY" in line) or "Sort" in line.split()
        for line in plan.lines
    )


def the(plans: list[Plan], *fragments: str) -> list[Plan]:
    """The plans of the statements holding every fragment (at least one)."""
    found = [plan for plan in plans if all(f in plan.sql for f in fragments)]
    assert found, f"no statement holds {fragments}"
    return found


QUOTE = "We expect capital expenditures of ..."


@dataclass
class Report:
    """A guidance report of a wire story: its document and its one observation."""

    published: datetime
    low: int = 60
    high: int = 64
    company: str = "META"
    quote: str = QUOTE
    evaluated: bool = False


def store_reports(session: Session, reports: list[Report]) -> None:
    """The reports, on a wire source of their own: FY2026 capex guidance, in billions."""
    source = Source(name="wire", url="https://wire.example", config_url="https://w")
    session.add(source)
    session.flush()
    for number, report in enumerate(reports):
        document = Document(
            source_id=source.id or 0,
            key=f"item-{number}",
            text=report.quote,
            content_hash="h",
            published_at=report.published,
        )
        session.add(document)
        session.flush()
        session.add(
            Observation(
                document_id=document.id or 0,
                company=report.company,
                metric="capex",
                kind="guidance",
                period="FY2026",
                low=report.low * B,
                high=report.high * B,
                quote=report.quote,
                published_at=report.published,
                evaluated=report.evaluated,
            )
        )


def history(engine: Engine) -> None:
    """Facts of two companies and a company's guidance: stored, evaluated, plus what is new
    (a quarter filed last week, a raised guidance figure and a repeat of it)."""
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        session.add_all(
            [
                *quarters("AAA", [5.0] * 11 + [14.0], [15.0] * 12, [40.0] * 11 + [80.0]),
                *quarters("BBB", [5.0] * 12, [15.0] * 12, [40.0] * 12, news=0),
            ]
        )
        figures = [(60, 64, 40), (62, 66, 30), (62, 66, 20), (66, 70, 2), (66, 70, 1)]
        store_reports(
            session,
            [
                Report(now - timedelta(days=days), low, high, evaluated=days > 2)
                for low, high, days in figures
            ],
        )


def test_evaluation_queries_use_their_indexes(tmp_path, db_url):
    engine = engine_for(db_url)
    history(engine)
    rules = series_rules(tmp_path)

    def evaluate() -> None:
        observed = evaluate_pending(engine, rules, console)
        facts = evaluate_facts(engine, rules, console, today=TODAY)
        # the raise, one more source of it; a capex/OCF record and a backlog jump
        assert (observed.events, observed.sources_added) == (1, 1)
        assert facts.events >= 2

    found = list(plans(engine, selects_during(engine, evaluate)))

    for plan in found:
        assert not full_scan(plan), f"{plan.sql}\n{plan.text}"
    expected = {
        # a figure's earlier reports: to judge (guidance_before), or still pending
        "ix_observations_history": ("FROM observations", "observations.kind ="),
        "ix_observations_pending": ("FROM observations", "WHERE observations.evaluated", "LIMIT"),
        "ix_facts_pending": ("FROM facts", "WHERE facts.evaluated"),
        "ix_events_figure": ("FROM events", "ORDER BY events.id DESC"),
        "ix_facts_news": ("FROM facts", "facts.first_filed >="),
    }
    for index, fragments in expected.items():
        for plan in the(found, *fragments):
            assert plan.uses(index), f"{index}?\n{plan.sql}\n{plan.text}"
            assert not sorted_after_reading(plan), f"{plan.sql}\n{plan.text}"
    # A window of quarters: the company's rows from a quarter on, found in an index that
    # starts with the company and bounds the period (the unique one, sqlite_autoindex_facts_1
    # on SQLite, or ix_facts_news, as the planner prices them).
    for plan in the(found, "FROM facts", "facts.period >="):
        bounds = [line for line in plan.lines if "SEARCH" in line or "Index Cond" in line]
        assert any("company" in line and "period" in line for line in bounds), plan.text


def test_a_figure_reported_many_times_is_read_once(db_url):
    """The history of one figure is its figures, not its reports: forty reports of $60-64
    billion and three of $62-66 billion come back as the newest report of each, newest first,
    and a rule judging a new report against them finds the move from the latest figure."""
    from watcher.engine.guidance import GuidanceChangeConfig, GuidanceChangeRule
    from watcher.engine.history import StoredHistory

    engine = engine_for(db_url)
    start = datetime(2026, 1, 5, tzinfo=UTC)
    reports = [(60, 64)] * 40 + [(62, 66)] * 3 + [(60, 64)] * 2 + [(62, 66)] * 1
    with session_scope(engine) as session:
        store_reports(
            session,
            [
                Report(start + timedelta(hours=number), low, high, evaluated=number < len(reports))
                for number, (low, high) in enumerate([*reports, (70, 74)])
            ],
        )
    with session_scope(engine) as session:
        new = session.exec(select(Observation).where(Observation.evaluated == False)).one()  # noqa: E712
        history = StoredHistory(session, now=start + timedelta(days=3))
        earlier = history.guidance_before(new)
        assert [(o.low, o.high, o.published_at) for o in earlier] == [
            (62 * B, 66 * B, start + timedelta(hours=45)),
            (60 * B, 64 * B, start + timedelta(hours=44)),
        ]
        rule = GuidanceChangeRule(GuidanceChangeConfig(name="capex-guidance-change"))
        (draft,) = rule.judge(new, history)
        assert (draft.change, draft.prior_low, draft.prior_high) == ("raised", 62 * B, 66 * B)


class Tripwire(Rule):
    """An observation rule that raises an event for each observation, and fails on the one
    quoting "boom" (a bug on one input)."""

    type_name = "tripwire"
    config_model = RuleConfig
    reads = "observations"

    def evaluate(self, ctx: RuleContext) -> list[EventDraft]:
        observation = ctx.observation
        assert observation is not None
        if "boom" in observation.quote:
            raise RuntimeError("a bug on this observation")
        return [
            EventDraft(
                key=f"tripwire|{observation.id}",
                rule=self.name,
                severity="low",
                company=observation.company,
                metric=observation.metric,
                period=observation.period,
                change="raised",
                currency=observation.currency,
                low=observation.low,
                high=observation.high,
                prior_low=None,
                prior_high=None,
                change_pct=None,
                quote=observation.quote,
                summary=f"seen {observation.quote}",
                observation_id=observation.id,
                document_id=observation.document_id,
            )
        ]


def test_observations_are_evaluated_in_groups_and_one_failing_loses_no_earlier_one(db_url, caplog):
    """Evaluated a group to a transaction: when one observation's evaluation fails, the group
    is evaluated again one at a time, so those before it keep their events and marks, the
    failure is raised, and it and those after it stay pending."""
    engine = engine_for(db_url)
    start = datetime(2026, 3, 2, tzinfo=UTC)
    quotes = [f"report {n}" for n in range(7)] + ["boom"] + [f"later {n}" for n in range(4)]
    with session_scope(engine) as session:
        store_reports(
            session,
            [
                Report(start + timedelta(hours=number), quote=quote)
                for number, quote in enumerate(quotes)
            ],
        )
    rule = Tripwire(RuleConfig(name="tripwire", type="tripwire", channels=["console"]))
    with (
        caplog.at_level("INFO", logger="watcher.engine.evaluate"),
        pytest.raises(RuntimeError, match="a bug on this observation"),
    ):
        evaluate_pending(engine, [rule], console)
    # each event announced once, after its commit (not also from the group rolled back)
    announced = [r.getMessage() for r in caplog.records if "raised event" in r.getMessage()]
    assert sorted(m.rpartition(": ")[2] for m in announced) == [
        f"seen report {n}" for n in range(7)
    ]
    with session_scope(engine) as session:
        marks = [
            (o.quote, o.evaluated)
            for o in session.exec(select(Observation).order_by(Observation.published_at))
        ]
        events = {event.summary for event in session.exec(select(Event))}
    assert marks == [(quote, number < 7) for number, quote in enumerate(quotes)]
    assert events == {f"seen report {n}" for n in range(7)}


def test_a_figure_another_replica_is_judging_is_left_for_later(db_url):
    """On PostgreSQL, while another replica's transaction judges reports of a figure (company,
    metric, period), this one leaves that figure's new reports pending, and returns rather
    than waiting or spinning; once the other is done, they are judged with what it recorded.
    SQLite has one writer: nothing is held."""
    from sqlalchemy import text

    from watcher.engine import evaluate as evaluation

    engine = engine_for(db_url)
    start = datetime(2026, 3, 2, tzinfo=UTC)
    with session_scope(engine) as session:
        store_reports(
            session,
            [
                Report(start + timedelta(hours=number), company=company)
                for number, company in enumerate(["META", "MSFT"])
            ],
        )
    rule = Tripwire(RuleConfig(name="tripwire", type="tripwire", channels=["console"]))

    def pending() -> set[str]:
        with session_scope(engine) as session:
            return {
                o.company or ""
                for o in session.exec(select(Observation).where(Observation.evaluated == False))  # noqa: E712
            }

    postgres = engine.dialect.name == "postgresql"
    with engine.connect() as other, other.begin() if postgres else nullcontext():
        if postgres:  # another replica's transaction holds META's figure
            other.execute(
                text("SELECT pg_advisory_xact_lock(:kind, :figure)"),
                {
                    "kind": evaluation.FIGURE_LOCKS,
                    "figure": evaluation.figure_key("META", "capex", "FY2026"),
                },
            )
        first = evaluate_pending(engine, [rule], console)
        held = pending()
    assert (first.observations, held) == ((1, {"META"}) if postgres else (2, set()))
    evaluate_pending(engine, [rule], console)
    assert pending() == set()


def test_a_group_holds_no_figure_of_a_row_judged_already(db_url):
    """A claimed group may hold a row another replica judged meanwhile: nothing is judged for
    it, so its figure stays free for the replica that has its next report (PostgreSQL)."""
    from sqlalchemy import text

    from watcher.engine import evaluate as evaluation

    engine = engine_for(db_url)
    if engine.dialect.name != "postgresql":
        pytest.skip("figure locks are PostgreSQL's; SQLite has one writer")
    start = datetime(2026, 3, 2, tzinfo=UTC)
    with session_scope(engine) as session:
        store_reports(
            session,
            [
                Report(start, company="META", evaluated=True),
                Report(start + timedelta(hours=1), company="MSFT"),
            ],
        )
    free: list[bool] = []

    class Probe(Rule):
        """While judging, asks from another connection whether META's figure can be taken."""

        type_name = "probe"
        config_model = RuleConfig
        reads = "observations"

        def evaluate(self, ctx: RuleContext) -> list[EventDraft]:
            with engine.connect() as other, other.begin():
                taken = other.execute(
                    text("SELECT pg_try_advisory_xact_lock(:kind, :figure)"),
                    {
                        "kind": evaluation.FIGURE_LOCKS,
                        "figure": evaluation.figure_key("META", "capex", "FY2026"),
                    },
                ).scalar_one()
            free.append(bool(taken))
            return []

    with session_scope(engine) as session:
        ids = [o.id for o in session.exec(select(Observation)) if o.id is not None]
    counts = evaluation.EvaluationCounts()
    probe = Probe(RuleConfig(name="probe", type="probe", channels=["console"]))
    evaluation._evaluate_group(engine, ids, [probe], console, lambda _c: True, counts)
    assert (counts.observations, free) == (1, [True])


class Recorder(Rule):
    """An observation rule that records the ids it judges, in order, and raises nothing."""

    type_name = "recorder"
    config_model = RuleConfig
    reads = "observations"

    def __init__(self, config: RuleConfig):
        super().__init__(config)
        self.judged: list[int] = []

    def evaluate(self, ctx: RuleContext) -> list[EventDraft]:
        assert ctx.observation is not None and ctx.observation.id is not None
        self.judged.append(ctx.observation.id)
        return []


def replica_reports(db_url: str, reports: list[Report]) -> tuple[Engine, list[int]]:
    """A PostgreSQL database holding `reports` (SQLite has one writer: the test is skipped),
    and their observations' ids in order."""
    engine = engine_for(db_url)
    if engine.dialect.name != "postgresql":
        pytest.skip("row claims between replicas are PostgreSQL's; SQLite has one writer")
    with session_scope(engine) as session:
        store_reports(session, reports)
        ids = [o.id for o in session.exec(select(Observation).order_by(Observation.id))]
    return engine, [id_ for id_ in ids if id_ is not None]


def judged_while_held(engine: Engine, held: int) -> tuple[list[int], list[int]]:
    """What evaluation judges while another replica holds observation `held` (its row
    claimed), and then everything it has judged once that replica let go, in order."""
    from sqlalchemy import text

    rule = Recorder(RuleConfig(name="recorder", type="recorder", channels=["console"]))
    with engine.connect() as other, other.begin():
        other.execute(text("SELECT id FROM observations WHERE id = :id FOR UPDATE"), {"id": held})
        evaluate_pending(engine, [rule], console)
        meanwhile = list(rule.judged)
    evaluate_pending(engine, [rule], console)
    return meanwhile, rule.judged


def test_a_figures_reports_are_judged_in_publication_order_across_replicas(db_url):
    """While another replica holds a figure's earlier report (its row claimed), this one leaves
    the figure's later reports pending rather than judge them first: a repeat judged before
    the report that raises the event would not be attached to it. Other figures go on."""
    start = datetime(2026, 3, 2, tzinfo=UTC)
    engine, ids = replica_reports(
        db_url,
        [
            Report(start, company="META"),
            Report(start + timedelta(hours=1), company="META", low=70, high=74),
            Report(start + timedelta(hours=2), company="MSFT"),
        ],
    )
    meanwhile, judged = judged_while_held(engine, ids[0])
    assert meanwhile == [ids[2]]  # MSFT's; META's second waits for its first
    assert judged == [ids[2], ids[0], ids[1]]


def test_a_report_held_elsewhere_between_two_of_a_group_splits_the_figure(db_url):
    """A group holding a figure's first and third reports, while another replica holds the
    second, judges the first only: the third waits for the second."""
    start = datetime(2026, 3, 2, tzinfo=UTC)
    engine, ids = replica_reports(
        db_url,
        [
            Report(start + timedelta(hours=hours), company="META", low=low, high=low + 4)
            for hours, low in enumerate([60, 64, 70])
        ],
    )
    meanwhile, judged = judged_while_held(engine, ids[1])
    assert meanwhile == [ids[0]]
    assert judged == ids


def test_figures_whose_lock_keys_collide_keep_their_own_order(db_url):
    """Two figures may share an advisory-lock key (a 32-bit hash): that costs some waiting,
    never order. While another replica holds one figure's first report, a group holding its
    second and the other figure's report judges the other figure's only."""
    from watcher.engine.evaluate import figure_key

    # Two tickers found by search whose capex FY2026 figures hash alike.
    assert figure_key("DLG", "capex", "FY2026") == figure_key("DKPK", "capex", "FY2026")
    start = datetime(2026, 3, 2, tzinfo=UTC)
    engine, ids = replica_reports(
        db_url,
        [
            Report(start, company="DLG"),
            Report(start + timedelta(hours=1), company="DLG", low=70, high=74),
            Report(start + timedelta(hours=2), company="DKPK"),
        ],
    )
    meanwhile, judged = judged_while_held(engine, ids[0])
    assert meanwhile == [ids[2]]
    assert judged == [ids[2], ids[0], ids[1]]
