"""Each rule type words its own events: after importing Alphabet's companyfacts and one run,
no series alert says "guidance" and the FY2025-Q3 backlog jump names the backlog and its
percentage; events stored before migration 0006 get words from their figures."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text as sql

from tests.conftest import PROJECT
from tests.test_sec_rules import ALPHABET, needs_data
from watcher.store.db import make_engine, upgrade


@pytest.mark.slow
@needs_data
def test_series_alerts_say_what_happened(tmp_path, run_watcher):
    # The shipped rules, with every quarter counting as news (the file's last filing is
    # older than their 30 days).
    rules = tmp_path / "rules"
    rules.mkdir()
    for name in ("backlog-jump.yaml", "capex-ocf-record.yaml"):
        text = (PROJECT / "rules" / name).read_text()
        (rules / name).write_text(text + "\nmax_age_days: 100000\n")
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("sources: []\n")
    settings = {"rules__dir": str(rules), "sources__file": str(feeds)}
    assert run_watcher("sec", "import", str(ALPHABET), **settings).returncode == 0
    ran = run_watcher("run", "--once", **settings)
    assert ran.returncode == 0, ran.stderr
    events = [
        json.loads(line) for line in run_watcher("events", "--json", **settings).stdout.splitlines()
    ]
    assert len(events) == 8
    assert "guidance" not in ran.stdout.lower()
    for event in events:
        assert "guidance" not in json.dumps(event).lower()
    (jump,) = [e for e in events if e["rule"] == "backlog-jump" and e["period"] == "FY2025-Q3"]
    assert jump["headline"].startswith("GOOGL: Backlog (RPO) FY2025-Q3 up 46%")
    assert ["Backlog (RPO), FY2025-Q2", "$108.2 billion"] in jump["details"]
    assert ["Change", "+45.7%"] in jump["details"]
    (record,) = [
        e for e in events if e["rule"] == "capex-ocf-record" and e["period"] == "FY2025-Q2"
    ]
    assert "Capex / operating cash flow ratio" in record["headline"]
    assert any(label == "Previous high" and " in FY" in value for label, value in record["details"])
    preview = run_watcher("alerts", "preview", str(jump["id"]), "--channel", "slack", **settings)
    assert (
        "Backlog (RPO) FY2025-Q3 up 46%" in preview.stdout and "Old guidance" not in preview.stdout
    )


def test_migration_backfills_the_words_of_stored_events(db_url):
    from alembic import command

    from watcher.store.db import alembic_config

    engine = make_engine(db_url)
    try:
        upgrade(engine, "0005")
        with engine.begin() as connection:
            connection.execute(
                sql(
                    "INSERT INTO events (key, rule, severity, company, metric, period, change,"
                    " currency, low, high, prior_low, prior_high, change_pct, quote, summary,"
                    " confirmed, created_at) VALUES ('g', 'capex-guidance-change', 'high',"
                    " 'META', 'capex', 'FY2025', 'raised', 'USD', 64000000000, 72000000000,"
                    " 60000000000, 65000000000, 8.0, 'q', 'META raised', false,"
                    " CURRENT_TIMESTAMP)"
                )
            )
            connection.execute(
                sql(
                    "INSERT INTO events (key, rule, severity, company, metric, period, change,"
                    " currency, value, previous, change_pct, quote, summary, confirmed,"
                    " created_at) VALUES ('j', 'backlog-jump', 'medium', 'GOOGL', 'rpo',"
                    " 'FY2025-Q3', 'up', 'USD', 157.7e9, 108.2e9, 45.7, 'q',"
                    " 'GOOGL rpo jumped +45.7%', true, CURRENT_TIMESTAMP)"
                )
            )
        upgrade(engine)
        with engine.connect() as connection:
            rows = {
                key: (headline, details if isinstance(details, list) else json.loads(details))
                for key, headline, details in connection.execute(
                    sql("SELECT key, headline, details FROM events")
                )
            }
        assert rows["g"][0] == "META raised FY2025 capex guidance"
        assert ["Old guidance", "$60 billion to $65 billion"] in rows["g"][1]
        assert rows["j"][0] == "GOOGL rpo jumped +45.7%"
        assert "guidance" not in json.dumps(rows["j"]).lower()
        command.downgrade(alembic_config(engine), "0005")
        upgrade(engine)
    finally:
        engine.dispose()
