"""The daemon's memory with 2,000 real feeds: idle after its first cycle (VmRSS) and peak
(VmHWM), against a bare interpreter.

A local feed server (a process of its own, as in bench/scale.py) serves 2,000 distinct URLs:
the real RSS feeds of ../shared/data/feeds/real (WSJ, Stratechery, TIME Tech and the
fastfeedparser integration feeds) and the files of ../shared/data/feeds/feedparser-corpus that
parse as feeds with at least one entry (feedparser's own test corpus), URL n serving file
n mod their number, real feeds first. Each round writes a feeds.yaml of 2,000 rss sources
(`sources.allow_local` true) and starts `watcher run` on a fresh SQLite database in a temp
folder, its web view on a socket handed over as the tests do (tests/support/daemon.py). It
waits (polling the database, with a deadline) until every source has been polled once and no
document is left to extract, and for the daemon's "cycle:" log line (evaluation and delivery
done too); then, after a few seconds of idling, reads VmRSS and VmHWM from the daemon's
/proc/PID/status, and those of its child processes (the isolated feed parser and extraction
worker), which are not in the daemon's figures. A bare `python -c` process is measured in
the same round. Prints every round and the medians.

    .venv/bin/python bench/memory.py [--rounds 3] [--feeds 2000]

Takes about 15 s a round on 2 cores. Exit status is 0 whatever the numbers say.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from tests.support.daemon import start_activated  # noqa: E402
from tests.support.feed_server import FeedServer  # noqa: E402

DATA = PROJECT.parent / "shared" / "data" / "feeds"
REAL = DATA / "real"
CORPUS = DATA / "feedparser-corpus"
TARGET_MB = 150.0
IDLE_SECONDS = 5.0  # after the cycle, before reading the idle figures
DEADLINE = 900.0  # seconds for the first cycle


# --- the corpus ------------------------------------------------------------------------------


def feed_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.xml") if p.is_file())


def parses_with_entries(path: Path) -> bool:
    from watcher.sources.errors import FeedParseError
    from watcher.sources.feeds import parse_feed

    try:
        parsed = parse_feed(
            path.read_bytes(), url="https://example.com/feed", content_type="application/xml"
        )
    except FeedParseError:
        return False
    return bool(parsed.entries)


def corpus() -> tuple[list[Path], list[Path]]:
    """(real feeds, feedparser-corpus files) that parse as feeds with entries. Checked in a
    child process, so that this one stays free of what parsing loads."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        real = [
            p
            for p, ok in zip(
                feed_files(REAL), pool.map(parses_with_entries, feed_files(REAL)), strict=True
            )
            if ok
        ]
        files = feed_files(CORPUS)
        extra = [
            p for p, ok in zip(files, pool.map(parses_with_entries, files, 64), strict=True) if ok
        ]
    return real, extra


def feed_path(index: int) -> str:
    return f"/feeds/{index:04d}.xml"


def serve(paths: list[Path], count: int, conn: Connection) -> None:
    """The feed server process: URL n serves paths[n % len(paths)]; ("stop",) ends it."""
    with FeedServer() as server:
        server._httpd.RequestHandlerClass.disable_nagle_algorithm = True  # type: ignore[attr-defined]
        server._httpd.socket.listen(1024)  # as bench/scale.py: no dropped connections
        bodies = [path.read_bytes() for path in paths]
        for index in range(count):
            server.set(
                feed_path(index), bodies[index % len(bodies)], content_type="application/xml"
            )
        conn.send(server.base_url)
        conn.recv()
        conn.send(True)


def write_feeds_file(path: Path, base_url: str, count: int) -> None:
    lines = ["sources:"]
    for index in range(count):
        lines += [
            f"  - name: feed-{index:04d}",
            f"    url: {base_url}{feed_path(index)}",
            "    kind: rss",
            "    interval: 1h",
        ]
    path.write_text("\n".join(lines) + "\n")


# --- measuring -------------------------------------------------------------------------------


def status_mb(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM of a process, in MB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return found


def children_rss_mb(pid: int) -> float:
    total = 0.0
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                with contextlib.suppress(OSError):
                    total += status_mb(int(child))["VmRSS"] + children_rss_mb(int(child))
    return total


def bare_python() -> dict[str, float]:
    code = "import os, sys; sys.stdout.write(open(f'/proc/{os.getpid()}/status').read())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    found = {}
    for line in done.stdout.splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return found


def cycle_state(database: Path) -> tuple[int, int, int, int]:
    """(sources, sources polled, documents, documents still to extract)."""
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5)) as db:
        sources, polled = db.execute(
            "SELECT count(*), count(last_polled_at) FROM sources"
        ).fetchone()
        documents, pending = db.execute(
            "SELECT count(*), coalesce(sum(CASE WHEN (extracted_hash IS NULL OR "
            "extracted_hash != content_hash) AND extract_error IS NULL THEN 1 ELSE 0 END), 0) "
            "FROM documents"
        ).fetchone()
    return sources, polled, documents, pending


def one_round(base_url: str, feeds: int, scratch: Path) -> dict[str, float]:
    feeds_file = scratch / "feeds.yaml"
    write_feeds_file(feeds_file, base_url, feeds)
    database = scratch / "watcher.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHER_")}
    env.update(
        WATCHER_DATABASE__URL=f"sqlite:///{database}",
        WATCHER_RULES__DIR=str(PROJECT / "rules"),
        WATCHER_COMPANIES__FILE=str(PROJECT / "config" / "companies.yaml"),
        WATCHER_SOURCES__FILE=str(feeds_file),
        WATCHER_SOURCES__ALLOW_LOCAL="true",
        WATCHER_HTTP__PORT="0",
    )
    watcher = str(Path(sys.executable).parent / "watcher")
    started = time.monotonic()
    process, _port = start_activated([watcher, "run"], cwd=scratch, env=env)
    lines: list[str] = []

    def read() -> None:
        for line in process.stderr or []:
            lines.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        state = (0, 0, 0, 0)
        while True:
            if process.poll() is not None:
                reader.join(5)
                raise SystemExit(
                    f"watcher run exited with {process.returncode}:\n" + "".join(lines[-30:])
                )
            if time.monotonic() - started > DEADLINE:
                raise SystemExit(f"no whole cycle within {DEADLINE:.0f} s: {state}")
            if database.exists():
                with contextlib.suppress(sqlite3.Error):
                    state = cycle_state(database)
            sources, polled, documents, pending = state
            cycle_logged = any(" cycle: " in line for line in lines)
            if sources == feeds and polled == feeds and pending == 0 and cycle_logged:
                break
            time.sleep(0.5)
        cycle_seconds = time.monotonic() - started
        time.sleep(IDLE_SECONDS)
        found = status_mb(process.pid)
        found["children"] = children_rss_mb(process.pid)
        found["cycle_seconds"] = cycle_seconds
        found["documents"] = documents
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--feeds", type=int, default=2000)
    args = parser.parse_args()
    real, extra = corpus()
    paths = real + extra
    megabytes = sum(p.stat().st_size for p in paths) / 1e6
    print(
        f"corpus: {len(real)} real feeds (../shared/data/feeds/real: WSJ, Stratechery, TIME "
        f"Tech, fastfeedparser integration) + {len(extra)} feedparser-corpus files that parse "
        f"as feeds with entries = {len(paths)} feeds ({megabytes:.1f} MB), "
        f"served as {args.feeds} URLs (URL n serves feed n mod {len(paths)}); "
        f"{os.cpu_count()} CPUs"
    )
    conn, child = multiprocessing.Pipe()
    server = multiprocessing.Process(target=serve, args=(paths, args.feeds, child), daemon=True)
    server.start()
    base_url = conn.recv()
    rounds = []
    try:
        for number in range(args.rounds):
            bare = bare_python()
            with tempfile.TemporaryDirectory() as folder:
                daemon = one_round(base_url, args.feeds, Path(folder))
            rounds.append((daemon, bare))
            print(
                f"round {number + 1}: first cycle {daemon['cycle_seconds']:.0f}s, "
                f"{daemon['documents']:.0f} documents; daemon idle VmRSS "
                f"{daemon['VmRSS']:.1f} MB, peak VmHWM {daemon['VmHWM']:.1f} MB "
                f"(its child processes: {daemon['children']:.1f} MB RSS); bare python -c: "
                f"VmRSS {bare['VmRSS']:.1f} MB, VmHWM {bare['VmHWM']:.1f} MB",
                flush=True,
            )
    finally:
        conn.send(("stop",))
        conn.recv()
        server.join(5)

    def median(key: str, which: int = 0) -> float:
        return statistics.median(r[which][key] for r in rounds)

    idle = median("VmRSS")
    print(
        f"median of {len(rounds)} rounds, {args.feeds} feeds: daemon idle VmRSS {idle:.1f} MB, "
        f"peak VmHWM {median('VmHWM'):.1f} MB, child processes {median('children'):.1f} MB; "
        f"bare python -c VmRSS {median('VmRSS', 1):.1f} MB, VmHWM {median('VmHWM', 1):.1f} MB; "
        f"daemon idle over bare {idle - median('VmRSS', 1):.1f} MB"
    )
    verdict = "yes" if idle < TARGET_MB else "NO"
    print(f"idle VmRSS < {TARGET_MB:.0f} MB: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
