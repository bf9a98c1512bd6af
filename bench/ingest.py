"""Ingest benchmark: polling N feeds served by a local HTTP server into a fresh SQLite file,
against a baseline run in the same process: a bare httpx GET of the same URLs with the same
concurrency plus feedparser.parse of each body (the floor any ingest pays). Prints ratios,
since wall-clock numbers drift on shared machines.

    .venv/bin/python bench/ingest.py [--sources 300] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import logging
import resource
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import feedparser
import httpx

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from tests.support.feed_server import FeedServer  # noqa: E402
from watcher.extract import load_companies  # noqa: E402
from watcher.extraction import extract_pending  # noqa: E402
from watcher.sources.config import SourceConfig  # noqa: E402
from watcher.sources.http import make_client  # noqa: E402
from watcher.sources.poll import FetchLimits, poll_sources, sync_sources  # noqa: E402
from watcher.store.db import make_engine, upgrade  # noqa: E402

REAL_FEEDS = PROJECT.parent / "shared" / "data" / "feeds" / "real"


def real_feed_bodies() -> list[bytes]:
    files = sorted(
        p
        for p in REAL_FEEDS.rglob("*")
        if p.is_file() and p.suffix in {".xml", ".rss", ""} and not p.name.startswith("LICENSE")
    )
    bodies = [p.read_bytes() for p in files]
    return [b for b in bodies if b.lstrip().startswith(b"<")]


def baseline(urls: list[str], concurrency: int) -> float:
    started = time.perf_counter()
    with httpx.Client() as client, ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda url: feedparser.parse(client.get(url).content), urls))
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)  # failing feeds are counted below, not logged
    bodies = real_feed_bodies()
    if not bodies:
        print(f"no feeds under {REAL_FEEDS}", file=sys.stderr)
        return 1
    total_mb = 0.0
    with FeedServer() as server, tempfile.TemporaryDirectory() as scratch:
        configs = []
        for index in range(args.sources):
            body = bodies[index % len(bodies)]
            total_mb += len(body) / 1e6
            server.set(f"/f/{index}", body, content_type="application/rss+xml", etag=f'"{index}"')
            configs.append(SourceConfig(name=f"feed-{index}", url=server.url(f"/f/{index}")))
        urls = [config.url for config in configs]
        base = baseline(urls, args.concurrency)
        engine = make_engine(f"sqlite:///{scratch}/bench.db")
        upgrade(engine)
        sync_sources(engine, configs)
        limits = FetchLimits(concurrency=args.concurrency)
        with make_client(user_agent="capex-watcher-bench") as client:
            started = time.perf_counter()
            first = poll_sources(engine, client, limits, force=True)
            cold = time.perf_counter() - started
            started = time.perf_counter()
            second = poll_sources(engine, client, limits, force=True)
            warm = time.perf_counter() - started
        started = time.perf_counter()
        extracted = extract_pending(engine, load_companies(PROJECT / "config" / "companies.yaml"))
        extract_seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"sources: {args.sources} ({len(bodies)} distinct real feeds, {total_mb:.1f} MB), "
        f"concurrency {args.concurrency}"
    )
    print(f"baseline (httpx GET + feedparser.parse): {base:.2f}s")
    print(
        f"first poll (fetch, parse, store {first.new_documents} documents): {cold:.2f}s "
        f"= {cold / base:.2f}x baseline; failed {first.failed}"
    )
    print(
        f"second poll (all 304: {second.not_modified}): {warm:.2f}s = {warm / base:.2f}x baseline"
    )
    print(
        f"extraction of {extracted.documents} documents: {extract_seconds:.2f}s "
        f"= {extract_seconds / base:.2f}x baseline; {extracted.observations} observations"
    )
    print(f"peak memory: {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
