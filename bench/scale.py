"""Scale benchmark: poll cycles over 2,000 feeds, against bare httpx GETs in the same process.

A local feed server (in a process of its own) serves 2,000 small RSS feeds, each with an ETag.
By default every measure runs in this process, in alternated pairs with its baseline (the
baseline first in even pairs, second in odd ones), each pair on a fresh database, and the
medians of the pairs' ratios are printed with the corpus they were measured on:

- cold poll stage (`Pipeline.poll(force=True)`, every feed new: fetch, parse, store 6,000
  documents) vs a bare threaded httpx client GETting the same URLs at the same concurrency
  (target: at most 1.5x);
- all-304 poll stage (the same feeds polled again, nothing changed) vs bare conditional GETs
  with the same If-None-Match headers (target: at most 1.2x);
- extraction stage (`Pipeline.extract()` on the 6,000 documents the cold poll stored) vs
  `extract()` alone on the same documents, given what the stage gives it (target: 1.5x);
- the whole cold cycle (poll, extract, evaluate) vs bare GETs plus `extract()` alone.

    .venv/bin/python bench/scale.py [--feeds 2000] [--pairs 3] [--concurrency N]
    .venv/bin/python bench/scale.py --postgres [ADMIN_URL]

SQLite (a file per pair) is the default; `--postgres` uses PostgreSQL: the admin URL given,
else WATCHER_TEST_POSTGRES_URL, else a throwaway server started by scripts/postgres.sh; each
pair gets a database of its own. Concurrency is `sources.concurrency` (WATCHER_SOURCES__
CONCURRENCY, else config/watcher.toml), or --concurrency. Takes a few minutes on 2 cores.

`--replicas 1,2` runs the replica mode instead (PostgreSQL): replicas in processes of their
own, built like `watcher run --once`, run three forced cycles together on a fresh database
(cold; a few feeds changed, --changing; unchanged), each compared with bare GETs run just
before it; it prints requests per second, responses by status (a source polled twice by two
replicas would show as more than 2,000 requests) and peak memory (VmHWM) per replica.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from multiprocessing.connection import Connection
from pathlib import Path

import httpx

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

RESULT_MARK = "SCALE-RESULT "
COMPANIES = ["Microsoft", "Alphabet", "Meta", "Amazon", "Oracle", "Alibaba", "CoreWeave"]
TOPICS = [
    "opens a new data center campus",
    "signs a long-term power purchase agreement",
    "expands its GPU cluster for model training",
    "reports strong cloud demand in the quarter",
    "breaks ground on a liquid-cooled facility",
    "announces a networking partnership",
]


# --- feeds -----------------------------------------------------------------------------------


def feed_body(index: int, version: int) -> bytes:
    """A small RSS 2.0 feed: three items, the newest first; each version adds one item. One
    item in three also gives the company's capex outlook, a figure extraction reads."""
    company = COMPANIES[index % len(COMPANIES)]
    items = []
    for number in range(version + 3, version, -1):
        topic = TOPICS[(index + number) % len(TOPICS)]
        day = formatdate(1_735_689_600 + number * 86_400 + index, usegmt=True)
        outlook = ""
        if (index + number) % 3 == 0:
            outlook = (
                f" {company} expects {2025 + number % 2} capital expenditures of about "
                f"${20 + (index + number) % 60} billion."
            )
        items.append(
            f"<item><title>{company} {topic} (update {number})</title>"
            f"<link>https://news.example.com/{index}/{number}</link>"
            f'<guid isPermaLink="false">feed-{index}-item-{number}</guid>'
            f"<pubDate>{day}</pubDate>"
            f"<description>{company} said on Tuesday that it {topic}, part of its push to "
            f"add capacity for artificial-intelligence workloads.{outlook} Item {number} of "
            f"feed {index}.</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>Infrastructure news {index}</title><link>https://news.example.com/{index}</link>"
        f"<description>AI infrastructure news, feed {index}</description>{''.join(items)}"
        "</channel></rss>"
    ).encode()


def feed_etag(index: int, version: int) -> str:
    return f'"f{index}-v{version}"'


def feed_path(index: int) -> str:
    return f"/feeds/{index:04d}.xml"


def serve_feeds(count: int, conn: Connection) -> None:
    """The feed server process: serves `count` feeds and answers commands over `conn`:
    ("change", [indices]) publishes a new version of those feeds, ("stats",) returns the
    responses by status since the last ("clear",), ("stop",) ends it."""
    from tests.support.feed_server import FeedServer

    versions = [1] * count
    with FeedServer() as server:
        # Headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm and
        # the client's delayed ACK stall every 200 response by ~40 ms.
        server._httpd.RequestHandlerClass.disable_nagle_algorithm = True
        # A backlog of 5 (socketserver's) drops connections when many open at once, and a
        # dropped SYN is retried after a second: the poller opens a connection per request.
        server._httpd.socket.listen(1024)
        for index in range(count):
            _publish(server, index, versions[index])
        conn.send(server.base_url)
        while True:
            command, *args = conn.recv()
            if command == "change":
                for index in args[0]:
                    versions[index] += 1
                    _publish(server, index, versions[index])
                conn.send(True)
            elif command == "stats":
                conn.send(_server_stats(server))
            elif command == "clear":
                server.clear()
                conn.send(True)
            else:
                conn.send(True)
                return


def _publish(server: object, index: int, version: int) -> None:
    server.set(  # type: ignore[attr-defined]
        feed_path(index),
        feed_body(index, version),
        content_type="application/rss+xml; charset=utf-8",
        etag=feed_etag(index, version),
    )


def _server_stats(server: object) -> dict:
    with server._lock:  # type: ignore[attr-defined]
        requests = list(server.requests)  # type: ignore[attr-defined]
    per_path = Counter(request.path for request in requests)
    times = os.times()
    return {
        "cpu": times.user + times.system,
        "statuses": dict(Counter(request.status for request in requests)),
        "requests": len(requests),
        "paths": len(per_path),
        "max_per_path": max(per_path.values(), default=0),
    }


class FeedServerProcess:
    """Runs `serve_feeds` in a child process, so neither the baseline client nor the replicas
    share a GIL with the server."""

    def __init__(self, count: int) -> None:
        self._conn, child = multiprocessing.Pipe()
        self._process = multiprocessing.Process(
            target=serve_feeds, args=(count, child), daemon=True
        )
        self._process.start()
        self.base_url: str = self._conn.recv()

    def ask(self, *command: object) -> object:
        self._conn.send(command)
        return self._conn.recv()

    def stop(self) -> None:
        self.ask("stop")
        self._process.join(5)


# --- PostgreSQL ------------------------------------------------------------------------------


@contextmanager
def postgres_admin_url() -> Iterator[str]:
    """WATCHER_TEST_POSTGRES_URL, else a throwaway server from scripts/postgres.sh, kept
    running (by a shell waiting on its stdin) until the benchmark ends."""
    url = os.environ.get("WATCHER_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    shell = subprocess.Popen(
        ["bash", "-c", '. scripts/postgres.sh >&2; echo "URL=$WATCHER_TEST_POSTGRES_URL"; read _'],
        cwd=PROJECT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = shell.stdout.readline().strip() if shell.stdout else ""
    try:
        if not line.startswith("URL=") or line == "URL=":
            raise SystemExit(
                "no PostgreSQL: set WATCHER_TEST_POSTGRES_URL to an admin URL, or install "
                "Debian's postgresql package so that scripts/postgres.sh can start one"
            )
        yield line.removeprefix("URL=")
    finally:
        if shell.stdin:
            shell.stdin.close()  # the shell reads EOF, exits, and its trap stops the server
        shell.wait(30)


@contextmanager
def fresh_database(admin_url: str) -> Iterator[str]:
    """A database of its own on the admin URL's server, dropped afterwards."""
    import psycopg

    name = f"watcher_scale_{uuid.uuid4().hex[:10]}"
    plain = admin_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(plain, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- replicas --------------------------------------------------------------------------------


def worker() -> int:
    """A replica (`--worker`): builds the pipeline from WATCHER_* settings like `watcher run
    --once`, says it is ready, then runs one forced cycle per line read on stdin and prints
    its timings as one JSON line each."""
    import logging

    from watcher.pipeline import Pipeline
    from watcher.settings import load_settings

    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
    started = time.perf_counter()
    pipeline = Pipeline(load_settings())
    _report({"ready": True, "startup_seconds": time.perf_counter() - started})
    try:
        for _line in sys.stdin:
            _report(_timed_cycle(pipeline))
    finally:
        pipeline.close()
    return 0


def _timed_cycle(pipeline: object) -> dict:
    """One forced cycle, as `run_cycle(force=True)` does it, with each stage timed."""
    started = time.perf_counter()
    poll = pipeline.poll(force=True)  # type: ignore[attr-defined]
    polled_at = time.perf_counter()
    extracted = pipeline.extract()  # type: ignore[attr-defined]
    pipeline.evaluate()  # type: ignore[attr-defined]
    pipeline.deliver()  # type: ignore[attr-defined]
    ended = time.perf_counter()
    return {
        "poll_seconds": polled_at - started,
        "cycle_seconds": ended - started,
        "polled": poll.polled,
        "failed": poll.failed,
        "not_modified": poll.not_modified,
        "new_documents": poll.new_documents,
        "changed_documents": poll.changed_documents,
        "extracted": extracted.documents,
        "vm_hwm_mb": _vm_hwm_mb(),
    }


def _vm_hwm_mb() -> float:
    """This process's peak resident memory (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _report(data: dict) -> None:
    print(RESULT_MARK + json.dumps(data), flush=True)


class Replica:
    """One replica process, driven a cycle at a time over its stdin."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log
        self._stderr = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--worker"],
            cwd=PROJECT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
        )
        self.startup_seconds = self.result()["startup_seconds"]

    def start_cycle(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("cycle\n")
        self.process.stdin.flush()

    def result(self) -> dict:
        """The next result line; other output (console alerts) is skipped."""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith(RESULT_MARK):
                return json.loads(line.removeprefix(RESULT_MARK))
        self.process.wait()
        tail = self.log.read_text()[-2000:]
        raise SystemExit(f"replica exited with {self.process.returncode}:\n{tail}")

    def stop(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(60)
        self._stderr.close()


def replica_env(database_url: str, feeds_file: Path, concurrency: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHER_")}
    env.update(
        {
            "WATCHER_DATABASE__URL": database_url,
            "WATCHER_SOURCES__FILE": str(feeds_file),
            "WATCHER_SOURCES__CONCURRENCY": str(concurrency),
            "WATCHER_HTTP__PORT": "0",
        }
    )
    return env


def write_feeds_file(path: Path, base_url: str, count: int) -> None:
    lines = ["sources:"]
    for index in range(count):
        lines += [
            f"  - name: feed-{index:04d}",
            f"    url: {base_url}{feed_path(index)}",
            "    kind: rss",
            "    interval: 15m",
        ]
    path.write_text("\n".join(lines) + "\n")


# --- the baseline ----------------------------------------------------------------------------


def bare_httpx(urls: list[str], etags: list[str | None], concurrency: int) -> float:
    """Seconds a bare httpx client takes to GET `urls` with `concurrency` threads (with
    If-None-Match where an ETag is given), reading every body."""

    def get(client: httpx.Client, url: str, etag: str | None) -> int:
        headers = {"If-None-Match": etag} if etag else {}
        response = client.get(url, headers=headers)
        return len(response.content)

    started = time.perf_counter()
    with httpx.Client() as client, ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda pair: get(client, *pair), zip(urls, etags, strict=True)))
    return time.perf_counter() - started


# --- one run ---------------------------------------------------------------------------------


@dataclass
class CycleRun:
    name: str
    replicas: int
    wall: float
    baseline: float
    results: list[dict]
    server: dict
    extra: dict = field(default_factory=dict)

    @property
    def poll_wall(self) -> float:
        return max(result["poll_seconds"] for result in self.results)


def run_cycle(
    name: str,
    replicas: list[Replica],
    server: FeedServerProcess,
    baseline: float,
) -> CycleRun:
    """Start one cycle in every replica at once and wait for all of them."""
    server.ask("clear")
    started = time.perf_counter()
    for replica in replicas:
        replica.start_cycle()
    results = [replica.result() for replica in replicas]
    wall = time.perf_counter() - started
    stats = server.ask("stats")
    return CycleRun(name, len(replicas), wall, baseline, results, stats)  # type: ignore[arg-type]


def run_replicas(
    count: int,
    admin_url: str,
    server: FeedServerProcess,
    feeds: int,
    changing: int,
    concurrency: int,
    scratch: Path,
    versions: list[int],
) -> list[CycleRun]:
    """Cold, changed and unchanged cycles with `count` replicas on a fresh database."""
    urls = [server.base_url + feed_path(index) for index in range(feeds)]
    feeds_file = scratch / "feeds.yaml"
    write_feeds_file(feeds_file, server.base_url, feeds)
    runs = []
    with fresh_database(admin_url) as database_url:
        env = replica_env(database_url, feeds_file, concurrency)
        # One after the other: the first applies the migrations and adds the sources.
        replicas = [Replica(env, scratch / f"replica-{count}-{n}.log") for n in range(count)]
        try:
            base = bare_httpx(urls, [None] * feeds, concurrency)
            runs.append(run_cycle("cold (all new)", replicas, server, base))
            seen = [feed_etag(index, versions[index]) for index in range(feeds)]
            changed = change_some(server, versions, changing, count)
            base = bare_httpx(urls, seen, concurrency)
            runs.append(run_cycle(f"changed ({len(changed)} feeds)", replicas, server, base))
            seen = [feed_etag(index, versions[index]) for index in range(feeds)]
            base = bare_httpx(urls, seen, concurrency)
            runs.append(run_cycle("unchanged", replicas, server, base))
        finally:
            for replica in replicas:
                replica.stop()
        for run in runs:
            run.extra["startup"] = [replica.startup_seconds for replica in replicas]
    return runs


def change_some(
    server: FeedServerProcess, versions: list[int], changing: int, salt: int
) -> list[int]:
    """Publish a new version of `changing` feeds spread over the list."""
    step = max(1, len(versions) // max(1, changing))
    indices = [(salt + n * step) % len(versions) for n in range(changing)]
    for index in indices:
        versions[index] += 1
    server.ask("change", indices)
    return indices


# --- the stages in this process, against their baselines, in alternated pairs -------------


@dataclass
class Pair:
    """One measure and its baseline, each run once per pair, in alternated order."""

    name: str
    baseline_name: str
    measured: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)

    def add(self, measured: float, baseline: float) -> None:
        self.measured.append(measured)
        self.baseline.append(baseline)

    def ratio(self) -> float:
        return statistics.median(m / b for m, b in zip(self.measured, self.baseline, strict=True))

    def line(self, target: float | None) -> str:
        verdict = ""
        if target is not None:
            verdict = f" (target <= {target}x: {'ok' if self.ratio() <= target else 'MISSED'})"
        pairs = ", ".join(
            f"{m:.2f}/{b:.2f}" for m, b in zip(self.measured, self.baseline, strict=True)
        )
        return (
            f"{self.name}: median {statistics.median(self.measured):.2f}s vs "
            f"{self.baseline_name} {statistics.median(self.baseline):.2f}s -> "
            f"{self.ratio():.2f}x{verdict}  [pairs s/s: {pairs}]"
        )


def timed(work: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def alternated(
    index: int, measure: Callable[[], object], baseline: Callable[[], object]
) -> tuple[float, object, float]:
    """Run both, the baseline first in even pairs and second in odd ones: (measure's seconds,
    measure's result, baseline's seconds)."""
    if index % 2 == 0:
        base, _ = timed(baseline)
        seconds, result = timed(measure)
    else:
        seconds, result = timed(measure)
        base, _ = timed(baseline)
    return seconds, result, base


@contextmanager
def database(postgres: str | None, scratch: Path, index: int) -> Iterator[str]:
    """A fresh database for one pair: a SQLite file, or a PostgreSQL database of its own."""
    if postgres is None:
        yield f"sqlite:///{scratch / f'pair-{index}.db'}"
        return
    with fresh_database(postgres) as url:
        yield url


def pipeline_settings(database_url: str, feeds_file: Path, concurrency: int) -> object:
    from watcher.settings import Settings

    return Settings(
        database={"url": database_url},
        sources={"file": feeds_file, "concurrency": concurrency},
        rules={"dir": PROJECT / "rules"},
        companies={"file": PROJECT / "config" / "companies.yaml"},
        http={"port": 0},
    )


def stored_documents(engine: object) -> list[tuple[str, object, str, str | None]]:
    """(text, date, source, company hint) of every stored document, as the extraction stage
    hands them to extract()."""
    from sqlmodel import select

    from watcher.store.db import session_scope
    from watcher.store.models import Document, Source

    with session_scope(engine) as session:  # type: ignore[arg-type]
        rows = session.exec(
            select(Document, Source.name, Source.company).join(
                Source,
                Document.source_id == Source.id,  # type: ignore[arg-type]
            )
        )
        found = []
        for document, name, company in rows:
            published = document.published_at or document.fetched_at
            text = "\n\n".join(part for part in (document.title, document.text) if part)
            found.append((text, published.date(), document.url or name, company))
    return found


def fetch_alone(urls: list[str], etags: list[str | None], concurrency: int) -> int:
    """The project's fetch() of each URL (conditional with an ETag), with the same
    concurrency, client and limits as the poll stage, nothing else; the bytes read."""
    from watcher.settings import load_settings
    from watcher.sources.http import fetch, make_client

    sources = load_settings().sources

    def get(client: httpx.Client, url: str, etag: str | None) -> int:
        fetched = fetch(client, url, etag=etag, max_bytes=sources.max_bytes)
        return len(fetched.body or b"")

    client = make_client(
        user_agent=sources.user_agent,
        connect_timeout=sources.connect_timeout,
        read_timeout=sources.read_timeout,
    )
    with client, ThreadPoolExecutor(concurrency) as pool:
        return sum(pool.map(lambda pair: get(client, *pair), zip(urls, etags, strict=True)))


def parse_alone(feeds: int) -> float:
    """Seconds feedparser (through parse_feed) takes on every feed's body, in one thread."""
    from watcher.sources.feeds import parse_feed

    bodies = [feed_body(index, 1) for index in range(feeds)]
    started = time.perf_counter()
    for body in bodies:
        parse_feed(body, url="http://127.0.0.1/feed.xml", content_type="application/rss+xml")
    return time.perf_counter() - started


def extract_alone(documents: list, companies: object) -> int:
    """extract() on each document, nothing else: the floor of the extraction stage."""
    from watcher.extract import extract

    return sum(
        len(extract(text, date=day, companies=companies, source=source, company_hint=hint))  # type: ignore[arg-type]
        for text, day, source, hint in documents
    )


@dataclass
class PairRuns:
    cold: Pair = field(default_factory=lambda: Pair("cold poll stage", "bare GETs"))
    unchanged: Pair = field(
        default_factory=lambda: Pair("all-304 poll stage", "bare conditional GETs")
    )
    extraction: Pair = field(
        default_factory=lambda: Pair("extraction stage", "extract() alone on the same documents")
    )
    cycle: Pair = field(
        default_factory=lambda: Pair(
            "whole cold cycle (poll, extract, evaluate)", "bare GETs + extract() alone"
        )
    )
    # Where the poll stage's time goes: the project's fetch() alone (no parsing, no storing)
    # against bare GETs, and feedparser alone on the bodies, one thread.
    fetch_cold: Pair = field(default_factory=lambda: Pair("fetch() alone, cold", "bare GETs"))
    fetch_304: Pair = field(
        default_factory=lambda: Pair("fetch() alone, all 304", "bare conditional GETs")
    )
    parse_seconds: list[float] = field(default_factory=list)
    # Bare cold GETs: (wall, CPU seconds of this process, CPU seconds of the feed server).
    bare_cpu: list[tuple[float, float, float]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def run_pair(
    index: int,
    runs: PairRuns,
    server: FeedServerProcess,
    feeds: int,
    concurrency: int,
    postgres: str | None,
    scratch: Path,
) -> None:
    """One pair of each measure on a fresh database: the cold poll, the extraction of what it
    stored and the evaluation, then the all-304 poll."""
    from watcher.pipeline import Pipeline

    urls = [server.base_url + feed_path(n) for n in range(feeds)]
    feeds_file = scratch / "feeds.yaml"
    write_feeds_file(feeds_file, server.base_url, feeds)
    with database(postgres, scratch, index) as url:
        pipeline = Pipeline(pipeline_settings(url, feeds_file, concurrency))  # type: ignore[arg-type]
        try:
            cold, polled, bare = alternated(
                index,
                lambda: pipeline.poll(force=True),
                lambda: bare_httpx(urls, [None] * feeds, concurrency),
            )
            runs.cold.add(cold, bare)
            documents = stored_documents(pipeline.engine)
            stage, extracted, alone = alternated(
                index, pipeline.extract, lambda: extract_alone(documents, pipeline.companies)
            )
            runs.extraction.add(stage, alone)
            evaluate, _ = timed(pipeline.evaluate)
            runs.cycle.add(cold + stage + evaluate, bare + alone)
            server.ask("clear")
            etags = [feed_etag(n, 1) for n in range(feeds)]
            warm, again, bare_304 = alternated(
                index,
                lambda: pipeline.poll(force=True),
                lambda: bare_httpx(urls, etags, concurrency),
            )
            runs.unchanged.add(warm, bare_304)
            stats = server.ask("stats")
            seconds, _, base = alternated(
                index,
                lambda: fetch_alone(urls, [None] * feeds, concurrency),
                lambda: bare_httpx(urls, [None] * feeds, concurrency),
            )
            runs.fetch_cold.add(seconds, base)
            seconds, _, base = alternated(
                index,
                lambda: fetch_alone(urls, etags, concurrency),
                lambda: bare_httpx(urls, etags, concurrency),
            )
            runs.fetch_304.add(seconds, base)
            runs.parse_seconds.append(parse_alone(feeds))
            runs.bare_cpu.append(bare_cpu(server, urls, concurrency))
        finally:
            pipeline.close()
    runs.notes.append(
        f"pair {index + 1}: cold polled {polled.polled} (failed {polled.failed}), "  # type: ignore[attr-defined]
        f"{polled.new_documents} documents; extracted {extracted.documents} "  # type: ignore[attr-defined]
        f"({extracted.observations} observations, {len(documents)} documents given to "  # type: ignore[attr-defined]
        f"extract() alone); evaluate {evaluate:.2f}s; unchanged cycle: {again.not_modified} "  # type: ignore[attr-defined]
        f"not modified, server saw {stats['statuses']} over both clients"  # type: ignore[index]
    )


def run_pairs(args: argparse.Namespace, concurrency: int) -> int:
    postgres = None
    if args.postgres is not None:
        postgres = args.postgres or os.environ.get("WATCHER_TEST_POSTGRES_URL")
    where = "PostgreSQL" if args.postgres is not None else "SQLite (a file per pair)"
    print(
        f"corpus: {args.feeds} synthetic RSS 2.0 feeds from a local server (bench/scale.py "
        f"feed_body: 3 news items each, {len(feed_body(0, 1))} bytes, with an ETag), so "
        f"{3 * args.feeds} short English news items, one in three with a capex outlook "
        f"figure; database: {where}; concurrency "
        f"{concurrency}; {args.pairs} alternated pairs; {os.cpu_count()} CPUs"
    )
    runs = PairRuns()
    with contextlib.ExitStack() as stack:
        if args.postgres is not None and not postgres:
            postgres = stack.enter_context(postgres_admin_url())
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        server = FeedServerProcess(args.feeds)
        stack.callback(server.stop)
        for index in range(args.pairs):
            run_pair(index, runs, server, args.feeds, concurrency, postgres, scratch)
            print(runs.notes[-1], flush=True)
    print()
    print(runs.cold.line(1.5))
    print(runs.unchanged.line(1.2))
    print(runs.extraction.line(1.5))
    print(runs.cycle.line(None))
    print("\nwhere the poll stage's time goes:")
    print(runs.fetch_cold.line(None))
    print(runs.fetch_304.line(None))
    print(
        f"feedparser alone on the {args.feeds} bodies, one thread: median "
        f"{statistics.median(runs.parse_seconds):.2f}s "
        f"({statistics.median(runs.parse_seconds) / statistics.median(runs.cold.baseline):.2f}x "
        "the bare cold GETs)"
    )
    wall, client, served = (
        statistics.median(values) for values in zip(*runs.bare_cpu, strict=True)
    )
    cores = os.cpu_count() or 1
    print(
        f"bare cold GETs: median {wall:.2f}s wall, {client:.2f} CPU-s in the client and "
        f"{served:.2f} in the feed server ({(client + served) / wall:.1f} of {cores} cores busy)"
    )
    return 0


def bare_cpu(
    server: FeedServerProcess, urls: list[str], concurrency: int
) -> tuple[float, float, float]:
    """Bare cold GETs once more: (wall seconds, CPU seconds of this process, of the server)."""
    served = server.ask("stats")["cpu"]  # type: ignore[index]
    before = os.times()
    wall = bare_httpx(urls, [None] * len(urls), concurrency)
    after = os.times()
    client = after.user + after.system - before.user - before.system
    return wall, client, server.ask("stats")["cpu"] - served  # type: ignore[index]


# --- output ----------------------------------------------------------------------------------


def print_run(run: CycleRun, feeds: int) -> None:
    statuses = ", ".join(f"{status}: {n}" for status, n in sorted(run.server["statuses"].items()))
    polled = sum(result["polled"] for result in run.results)
    new = sum(result["new_documents"] + result["changed_documents"] for result in run.results)
    print(
        f"  {run.name:<22} poll {run.poll_wall:6.2f}s, whole cycle {run.wall:6.2f}s, "
        f"{run.server['requests'] / run.poll_wall:6.0f} req/s; bare httpx {run.baseline:5.2f}s "
        f"-> poll/httpx = {run.poll_wall / run.baseline:.2f}x"
    )
    print(
        f"  {'':<22} responses {run.server['requests']} ({statuses}); sources polled {polled} "
        f"(per replica {[r['polled'] for r in run.results]}), documents new or changed {new}"
    )
    if run.server["requests"] != feeds or run.server["max_per_path"] != 1:
        print(
            f"  {'':<22} !! expected each of {feeds} feeds fetched once: {run.server['paths']} "
            f"fetched, at most {run.server['max_per_path']} times"
        )


def print_summary(runs: list[CycleRun], feeds: int, target: float) -> None:
    for count in sorted({run.replicas for run in runs}):
        mine = [run for run in runs if run.replicas == count]
        peaks = [
            max(r["vm_hwm_mb"] for r in col) for col in zip(*[m.results for m in mine], strict=True)
        ]
        startup = ", ".join(f"{s:.1f}s" for s in mine[0].extra["startup"])
        print(
            f"\n{count} replica(s): startup {startup}; peak memory (VmHWM) per replica: "
            + ", ".join(f"{peak:.0f} MB" for peak in peaks)
        )
        for run in mine:
            print_run(run, feeds)
    print()
    for run in runs:
        ratio = run.poll_wall / run.baseline
        verdict = "ok" if ratio <= target else "MISSED"
        print(
            f"RATIO {run.replicas} replica(s), {run.name}: poll/bare-httpx {ratio:.2f}x "
            f"(target <= {target}x: {verdict})"
        )
    for run in runs:
        if run.name == "unchanged":
            only_304 = set(run.server["statuses"]) == {304} and run.server["requests"] == feeds
            print(
                f"UNCHANGED {run.replicas} replica(s): {run.server['statuses']} -> "
                f"{'only 304s' if only_304 else 'NOT only 304s'}"
            )


# --- main ------------------------------------------------------------------------------------


def default_concurrency() -> int:
    from watcher.settings import load_settings

    return load_settings().sources.concurrency


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=2000)
    parser.add_argument("--pairs", type=int, default=3, help="alternated pairs per measure")
    parser.add_argument(
        "--postgres",
        nargs="?",
        const="",
        metavar="ADMIN_URL",
        help="PostgreSQL instead of SQLite (default URL: WATCHER_TEST_POSTGRES_URL)",
    )
    parser.add_argument("--concurrency", type=int, help="default: sources.concurrency")
    parser.add_argument("--replicas", help="replica mode (PostgreSQL), replica counts: 1,2")
    parser.add_argument("--changing", type=int, default=20, help="replica mode: feeds changed")
    parser.add_argument("--target", type=float, default=1.5, help="replica mode: target ratio")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker()
    concurrency = args.concurrency or default_concurrency()
    if args.replicas is None:
        return run_pairs(args, concurrency)
    return run_replica_mode(args, concurrency)


def run_replica_mode(args: argparse.Namespace, concurrency: int) -> int:
    counts = [int(part) for part in args.replicas.split(",")]
    print(
        f"feeds: {args.feeds} ({len(feed_body(0, 1))} bytes each), {args.changing} changing per "
        f"cycle; concurrency {concurrency}; replicas {counts}; {os.cpu_count()} CPUs"
    )
    runs: list[CycleRun] = []
    versions = [1] * args.feeds  # the server's, which live on across the replica counts
    with contextlib.ExitStack() as stack:
        admin_url = args.postgres or stack.enter_context(postgres_admin_url())
        scratch = stack.enter_context(tempfile.TemporaryDirectory())
        server = FeedServerProcess(args.feeds)
        try:
            for count in counts:
                runs += run_replicas(
                    count,
                    admin_url,
                    server,
                    args.feeds,
                    args.changing,
                    concurrency,
                    Path(scratch),
                    versions,
                )
        finally:
            server.stop()
    print_summary(runs, args.feeds, args.target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
