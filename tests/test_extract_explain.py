"""`watcher extract --explain`: every money amount with the decision and the reason of each
pass, for an analyst to trust a figure and an engineer to fix one."""

from __future__ import annotations

import datetime as dt
import json
import subprocess

from tests.conftest import WATCHER, watcher_env
from watcher.extract import explain, extract, load_companies

PARAGRAPH = (
    "Northwind Daily, 30 October 2025. Alphabet said quarterly revenue climbed to $102.3 "
    "billion. The search giant lifted its 2025 capital expenditure guidance to between $91 "
    "billion and $93 billion, up from $85 billion previously, and repurchased $15 billion of "
    "its shares."
)


def test_explain_json_keeps_the_capex_guidance_and_drops_revenue_with_reasons(tmp_path):
    document = tmp_path / "note.txt"
    document.write_text(PARAGRAPH, encoding="utf-8")
    run = subprocess.run(
        [str(WATCHER), "extract", "--explain", "--json", "--date", "2025-10-30", str(document)],
        env=watcher_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    rows = [json.loads(line) for line in run.stdout.splitlines()]
    by_amount = {row["amount"]: row for row in rows}
    assert set(by_amount) == {
        "$102.3 billion",
        "$91 billion and $93 billion",
        "$85 billion",
        "$15 billion",
    }
    revenue = by_amount["$102.3 billion"]
    assert revenue["decision"] == "dropped"
    assert "revenue" in revenue["reason"] and revenue["why"]["metric"] == revenue["reason"]
    assert "observation" not in revenue

    kept = by_amount["$91 billion and $93 billion"]
    assert kept["decision"] == "kept"
    assert set(kept["why"]) >= {"metric", "kind", "prior", "company", "period", "change"}
    assert "capital expenditure" in kept["why"]["metric"]
    assert "guidance" in kept["why"]["kind"]
    assert "search giant" in kept["why"]["company"]  # pointed back to Alphabet
    assert "2025" in kept["why"]["period"]
    observation = kept["observation"]
    assert observation["company"] == "GOOGL"
    assert (observation["kind"], observation["period"], observation["change"]) == (
        "guidance",
        "FY2025",
        "raised",
    )
    assert (observation["low"], observation["high"]) == (91_000_000_000, 93_000_000_000)
    assert (observation["prior_low"], observation["prior_high"]) == (85e9, 85e9)

    prior = by_amount["$85 billion"]
    assert prior["decision"] == "dropped" and "previous outlook" in prior["reason"]
    buyback = by_amount["$15 billion"]
    assert buyback["decision"] == "dropped" and buyback["reason"]


def test_explain_text_output_names_each_pass(tmp_path):
    document = tmp_path / "note.txt"
    document.write_text(PARAGRAPH, encoding="utf-8")
    run = subprocess.run(
        [str(WATCHER), "extract", "--explain", "--date", "2025-10-30", str(document)],
        env=watcher_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert any(line.startswith("KEPT") and "GOOGL capex guidance FY2025" in line for line in lines)
    assert any(line.startswith("DROPPED $102.3 billion") for line in lines)
    assert any(line.strip().startswith("company") for line in lines)


def test_explain_agrees_with_extract():
    """The kept findings are exactly the observations `extract` returns."""
    registry = load_companies("config/companies.yaml")
    day = dt.date(2025, 10, 30)
    findings = explain(PARAGRAPH, date=day, companies=registry)
    kept = [f.observation for f in findings if f.decision == "kept"]
    assert kept == extract(PARAGRAPH, date=day, companies=registry)
    assert all(f.why for f in findings)
    assert [f.start for f in findings] == sorted(f.start for f in findings)
