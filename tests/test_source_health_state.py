"""Source health that tells the truth (issue 10): a source that is not polled by design (an SEC
source without `sec.contact`, a source disabled in the feeds file) is shown as such by
`watcher sources` and `/metrics`, never counted as failing and never alerted on; a failing
source says since when; URLs are shortened without cutting their host."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
import yaml
from sqlmodel import select

from tests.support.feed_server import FeedServer
from tests.test_end_to_end import UNRELATED, rss
from watcher.metrics import Metrics
from watcher.sources.config import SourceConfig, load_sources
from watcher.sources.http import make_client
from watcher.sources.poll import FetchLimits, poll_sources, sync_sources
from watcher.store.db import make_engine, session_scope, upgrade
from watcher.store.models import Source
from watcher.store.source_state import SourceState, describe_state, source_state

PROJECT = Path(__file__).resolve().parent.parent
CYCLES = 6  # sources.stale_after_intervals: the sixth failure in a row would alert

ECB = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" '
    b'xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">'
    b'<Cube><Cube time="2025-06-02"><Cube currency="USD" rate="1.1400"/>'
    b'<Cube currency="JPY" rate="163.50"/></Cube></Cube></gesmes:Envelope>'
)


def shipped_feeds_served_locally(tmp_path: Path, server: FeedServer) -> tuple[Path, list[str]]:
    """The shipped feeds file with every URL pointing at the local server (an SEC source's
    too, so nothing here could reach the internet); returns it and the SEC sources' names."""
    document = yaml.safe_load((PROJECT / "config" / "feeds.yaml").read_text(encoding="utf-8"))
    sec = []
    for source in document["sources"]:
        path = f"/{source['name']}"
        source["url"] = server.url(path)
        kind = source.get("kind", "rss")
        if kind.startswith("sec_"):
            sec.append(source["name"])  # not served: a request would fail the source
        elif kind == "ecb_rates":
            server.set(path, ECB, content_type="application/xml")
        else:
            server.set(path, rss(UNRELATED), content_type="application/rss+xml")
    path = tmp_path / "feeds.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path, sec


@pytest.mark.slow
def test_fresh_install_without_sec_contact_raises_no_source_alert(tmp_path, run_watcher, db_url):
    with FeedServer() as server:
        feeds, sec = shipped_feeds_served_locally(tmp_path, server)
        assert len(sec) >= 6
        settings = {"sources__file": str(feeds)}  # and no sec.contact
        for _ in range(CYCLES):
            run = run_watcher("run", "--once", **settings)
            assert run.returncode == 0, run.stderr
            assert "source-health" not in run.stdout
            assert "(failed 0," in run.stdout, run.stdout
        requested = {request.path.split("?")[0] for request in server.requests}
        health = run_watcher("sources", **settings)
    assert not requested & {f"/{name}" for name in sec}  # never fetched

    events = run_watcher("events", "--json", **settings)
    assert events.returncode == 0, events.stderr
    rules = [json.loads(line)["rule"] for line in events.stdout.splitlines() if line.strip()]
    assert "source-health" not in rules

    assert health.returncode == 0, health.stderr
    lines = health.stdout.splitlines()
    for name in sec:
        (row,) = [line for line in lines if re.search(rf"\b{re.escape(name)}\b", line)]
        assert "not polled" in row and "failing" not in row
    # URLs are shown whole or shortened after their host, never cut inside it.
    shown = re.findall(r"https?://\S+", health.stdout)
    assert shown and all(url.startswith(server.base_url) for url in shown)

    engine = make_engine(db_url)
    try:
        scrape = Metrics(engine).render().decode()
    finally:
        engine.dispose()
    for name in sec:
        assert f'watcher_source_state{{source="{name}",state="not_polled"}} 1.0' in scrape
        assert f'watcher_source_consecutive_failures{{source="{name}"}}' not in scrape
    assert 'watcher_source_state{source="ecb-reference-rates",state="ok"} 1.0' in scrape


def poll(engine, *, rng_seed: int = 1):
    with make_client(user_agent="test") as client:
        return poll_sources(engine, client, FetchLimits(), force=True, rng=random.Random(rng_seed))


def test_failing_since_disabled_in_the_feeds_file_and_back(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    try:
        with FeedServer() as server:
            server.set("/a.rss", b"<html>an error page</html>", content_type="text/html")
            server.set("/b.rss", rss(UNRELATED), content_type="application/rss+xml")
            configs = [
                SourceConfig(name="a", url=server.url("/a.rss")),
                SourceConfig(name="b", url=server.url("/b.rss"), enabled=False),
            ]
            sync_sources(engine, configs)
            poll(engine)
            with session_scope(engine) as session:
                a = session.exec(select(Source).where(Source.name == "a")).one()
                b = session.exec(select(Source).where(Source.name == "b")).one()
                first_failure = a.failing_since
                assert source_state(a) is SourceState.FAILING and first_failure is not None
                assert describe_state(a).startswith("failing since ")
                assert describe_state(a).endswith("(1 poll)")
                assert source_state(b) is SourceState.DISABLED
                assert describe_state(b) == "disabled: disabled in the feeds file (enabled: false)"
            assert not any(r.path == "/b.rss" for r in server.requests)

            poll(engine)
            with session_scope(engine) as session:
                a = session.exec(select(Source).where(Source.name == "a")).one()
                assert a.failing_since == first_failure  # the streak's start, kept
                assert describe_state(a).endswith("(2 polls)")

            server.set("/a.rss", rss(UNRELATED), content_type="application/rss+xml")
            sync_sources(engine, [configs[0], configs[1].model_copy(update={"enabled": True})])
            poll(engine)
            with session_scope(engine) as session:
                rows = session.exec(select(Source))
                states = {s.name: (source_state(s), s.failing_since) for s in rows}
            assert states == {"a": (SourceState.OK, None), "b": (SourceState.OK, None)}
    finally:
        engine.dispose()


def test_feeds_file_enabled_flag(tmp_path):
    path = tmp_path / "feeds.yaml"
    path.write_text("sources:\n  - name: a\n    url: https://x.example/\n    enabled: false\n")
    (source,) = load_sources(path)
    assert source.enabled is False
