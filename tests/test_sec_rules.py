"""SEC history end to end on real companyfacts files: `watcher sec import`, `watcher series`
and `watcher rules test` for the shipped backlog-jump and capex-ocf-record rules, plus the
series rules on small hand-made series (gaps, TTM, groups)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.conftest import SHARED_DATA
from watcher.engine.rules import load_rule_file
from watcher.engine.series_rules import Point, RatioRecordRule, ThresholdRule

ALPHABET = SHARED_DATA / "sec" / "companyfacts" / "CIK0001652044.json"
needs_data = pytest.mark.skipif(not ALPHABET.is_file(), reason="../shared/data/sec is not present")


def lines(result) -> list[dict]:
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


@pytest.mark.slow
@needs_data
def test_alphabet_history(run_watcher):
    imported = run_watcher("sec", "import", str(ALPHABET))
    assert imported.returncode == 0, imported.stderr
    assert "GOOGL" in imported.stdout

    rpo = {row["period"]: row for row in lines(run_watcher("series", "GOOGL", "rpo", "--json"))}
    assert rpo["FY2025-Q4"]["value"] == 242_800_000_000  # the 10-K filed 2026-02-05
    assert "start" not in rpo["FY2025-Q4"]  # an instant

    capex = lines(run_watcher("series", "GOOGL", "capex", "--json"))
    periods = [row["period"] for row in capex]
    assert periods == sorted(periods, key=lambda p: (int(p[2:6]), p[-1]))  # oldest first
    q4 = next(row for row in capex if row["period"] == "FY2025-Q4")
    assert (q4["start"], q4["end"], q4["value"], q4["derived"]) == (
        "2025-10-01",
        "2025-12-31",
        27_851_000_000,
        True,
    )

    # Backlog up 25% or more in a quarter: the quarters a reader of the series picks out
    # (2020-Q3 +28%, 2020-Q4 +57%, 2021-Q4 +37%, 2025-Q3 +46%, 2025-Q4 +54%, 2026-Q1 +93%);
    # 2022-Q4 (+23%) stays below the bar.
    jumps = lines(run_watcher("rules", "test", "backlog-jump", "--json"))
    assert [(e["company"], e["period"]) for e in jumps] == [
        ("GOOGL", "FY2020-Q3"),
        ("GOOGL", "FY2020-Q4"),
        ("GOOGL", "FY2021-Q4"),
        ("GOOGL", "FY2025-Q3"),
        ("GOOGL", "FY2025-Q4"),
        ("GOOGL", "FY2026-Q1"),
    ]
    assert jumps[3]["value"] == pytest.approx(157.7e9, rel=0.01)
    assert jumps[3]["previous"] == pytest.approx(108.2e9, rel=0.01)

    # Capex over operating cash flow at a high of at least 8 quarters: Q1 2018 (7.3/11.6)
    # and Q2 2025 (22.4/27.7 = 0.81); Q1 2026 (35.7/45.8 = 0.78) is high but no record.
    records = lines(run_watcher("rules", "test", "capex-ocf-record", "--json"))
    assert [(e["company"], e["period"]) for e in records] == [
        ("GOOGL", "FY2018-Q1"),
        ("GOOGL", "FY2025-Q2"),
    ]
    assert records[1]["value"] == pytest.approx(22_446 / 27_732, rel=0.02)

    since = lines(run_watcher("rules", "test", "backlog-jump", "--json", "--since", "2025-01-01"))
    assert [e["period"] for e in since] == ["FY2025-Q3", "FY2025-Q4", "FY2026-Q1"]
    assert run_watcher("events", "--json").stdout.strip() == ""  # a replay stores nothing


@needs_data
def test_first_import_alerts_only_on_newly_filed_quarters(tmp_path, db_url):
    from sqlmodel import select

    from tests.conftest import PROJECT
    from watcher.engine.evaluate import evaluate_facts
    from watcher.engine.rules import load_rules
    from watcher.extract import load_companies
    from watcher.sources.kinds import PollContext, companyfacts_series, store_facts
    from watcher.store.db import make_engine, session_scope, upgrade
    from watcher.store.models import Event, utcnow

    engine = make_engine(db_url)
    upgrade(engine)
    registry = load_companies(PROJECT / "config" / "companies.yaml")
    context = PollContext(
        fiscal_year_end={c.id: c.fiscal_year_end_month for c in registry.companies}
    )
    with session_scope(engine) as session:
        store_facts(
            session, None, companyfacts_series(ALPHABET.read_bytes(), "GOOGL", context), utcnow()
        )
    # Five days after the 10-Q of 2026-04-30: only the quarter it first reported is news,
    # not the older quarters it repeats as comparatives.
    counts = evaluate_facts(
        engine,
        load_rules(PROJECT / "rules"),
        lambda draft: ["console"],
        today=date(2026, 5, 5),
    )
    with session_scope(engine) as session:
        events = [(e.rule, e.period) for e in session.exec(select(Event))]
    assert counts.events == 1
    assert events == [("backlog-jump", "FY2026-Q1")]


def test_unknown_company_file_is_refused(run_watcher, tmp_path):
    path = tmp_path / "CIK0000000001.json"
    path.write_text(json.dumps({"cik": 1, "entityName": "Nobody Inc", "facts": {}}))
    result = run_watcher("sec", "import", str(path))
    assert result.returncode == 2 and "CIK 1" in result.stderr


def series_of(metric_values: dict[str, dict[str, int]]) -> dict:
    return {
        metric: {
            period: Point(period, value, date(2025, 1, 1), "accn", date(2025, 1, 1))
            for period, value in values.items()
        }
        for metric, values in metric_values.items()
    }


def rule_from(tmp_path, text: str):
    path = tmp_path / "rule.yaml"
    path.write_text(text)
    return load_rule_file(path)


def test_ratio_record_needs_consecutive_quarters(tmp_path):
    rule = rule_from(tmp_path, "type: ratio_record\nname: r\nquarters: 4\n")
    assert isinstance(rule, RatioRecordRule)
    quarters = [f"FY2024-Q{q}" for q in (1, 2, 3, 4)] + ["FY2025-Q2", "FY2025-Q3"]
    capex = dict(zip(quarters, [10, 12, 11, 13, 30, 31], strict=True))
    ocf = dict.fromkeys(quarters, 100)
    found = rule.evaluate_series("X", series_of({"capex": capex, "ocf": ocf}))
    # 2024-Q4 is a 4-quarter high; after the missing 2025-Q1 no run is long enough.
    assert [item.draft.period for item in found] == ["FY2024-Q4"]


def test_ratio_record_ttm(tmp_path):
    rule = rule_from(tmp_path, "type: ratio_record\nname: r\nquarters: 2\nbasis: ttm\n")
    quarters = [f"FY2024-Q{q}" for q in (1, 2, 3, 4)] + ["FY2025-Q1"]
    capex = dict(zip(quarters, [10, 10, 10, 10, 30], strict=True))
    found = rule.evaluate_series(
        "X", series_of({"capex": capex, "ocf": dict.fromkeys(quarters, 100)})
    )
    (record,) = found
    assert record.draft.period == "FY2025-Q1"
    assert record.draft.value == pytest.approx(60 / 400)


def test_group_threshold_sums_only_complete_quarters(tmp_path):
    rule = rule_from(
        tmp_path,
        "type: threshold\nname: t\nmetric: capex\nlevel: 100\n"
        "companies: [AAA, BBB]\ngroup_name: the pair\n",
    )
    assert isinstance(rule, ThresholdRule)
    everyone = {
        "AAA": series_of({"capex": {"FY2025-Q1": 40, "FY2025-Q2": 60, "FY2025-Q3": 70}}),
        "BBB": series_of({"capex": {"FY2025-Q1": 40, "FY2025-Q2": 50}}),
    }
    found = rule.evaluate_series(None, rule.group_series(everyone))
    (crossing,) = found
    assert crossing.draft.period == "FY2025-Q2" and crossing.draft.company is None
    assert crossing.draft.value == 110 and "the pair" in crossing.draft.summary
