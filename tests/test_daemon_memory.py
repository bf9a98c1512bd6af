"""The idle daemon keeps little of its cycle: the extraction worker (a child interpreter for
documents over 64K characters) is stopped after the extraction stage and started again by the
next cycle that needs it, and a cycle that did work hands the memory it freed back to the
system (`release_memory`). These check which processes remain and what was called, never how
much memory anything takes (that is bench/memory.py's figure)."""

from __future__ import annotations

import os
import platform
from pathlib import Path

import pytest

import watcher.daemon
from tests.conftest import PROJECT
from tests.support.documents import add_document, row
from watcher.daemon import Daemon, release_memory
from watcher.extract.bounded import INLINE_CHARS
from watcher.settings import Settings

LARGE = "Meta now expects 2025 capital expenditures of $64-72 billion.\n" * (INLINE_CHARS // 50)


def children() -> set[int]:
    """The live child processes of this process (any thread's)."""
    found: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            found.update(int(pid) for pid in (task / "children").read_text().split())
        except OSError:
            continue
    return found


@pytest.fixture
def daemon(tmp_path, db_url, monkeypatch):
    """A Daemon in this process (cycle() only, no endpoints), with the extraction worker on
    (extract_timeout); its one source is disabled, so a cycle only extracts what is stored."""
    monkeypatch.chdir(tmp_path)
    for name in [n for n in os.environ if n.startswith("WATCHER_")]:
        monkeypatch.delenv(name)
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(
        "sources:\n  - name: tech-wire\n    url: https://tech.example/feed\n    enabled: false\n"
    )
    settings = Settings(
        database={"url": db_url},
        sources={"file": feeds, "extract_timeout": 120},
        rules={"dir": PROJECT / "rules"},
        companies={"file": PROJECT / "config" / "companies.yaml"},
        http={"port": 0},
    )
    instance = Daemon(settings)
    yield instance
    instance.pipeline.close()


@pytest.mark.slow  # starts the extraction worker twice
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc")
def test_the_extraction_worker_does_not_outlive_the_cycle(daemon):
    before = children()
    first = add_document(daemon.pipeline.engine, "tech-wire", "large-1", None, LARGE)
    daemon.cycle()
    assert row(daemon.pipeline.engine, first).extracted_hash == "hash-large-1"
    assert children() - before == set()
    # The next cycle with a large document starts a worker again and extracts it.
    second = add_document(daemon.pipeline.engine, "tech-wire", "large-2", None, LARGE)
    daemon.cycle()
    assert row(daemon.pipeline.engine, second).extract_error is None
    assert row(daemon.pipeline.engine, second).extracted_hash == "hash-large-2"
    assert children() - before == set()


def test_memory_is_released_after_a_cycle_that_did_work_only(daemon, monkeypatch):
    calls: list[None] = []
    monkeypatch.setattr(watcher.daemon, "release_memory", lambda: calls.append(None))
    daemon.cycle()  # nothing to poll or extract
    assert calls == []
    add_document(daemon.pipeline.engine, "tech-wire", "small", None, "Capex rose.")
    daemon.cycle()
    assert calls == [None]


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_release_memory_trims_on_glibc():
    assert release_memory() is True
