"""Feed parsing figures that tests no longer assert (wall-clock and memory depend on the
machine): each XML entity bomb of tests/test_sources_feeds.py parsed in-process and in the
isolated worker (seconds and peak memory; targets: under 5 s and 200 MB each), and the
slowest files of the shared feed corpora (target: none over 5 s).

    .venv/bin/python bench/feeds.py

Exit status is 0 whatever the numbers say; read the lines.
"""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from tests.test_sources_corpus import corpus_files  # noqa: E402
from tests.test_sources_feeds import BOMBS, measure_bomb  # noqa: E402
from watcher.sources.errors import FeedParseError  # noqa: E402
from watcher.sources.feeds import parse_feed  # noqa: E402


def bombs() -> None:
    print(f"{'bomb':<22} {'mode':<8} {'seconds':>8} {'peak MB':>8}  outcome")
    for kind in BOMBS:
        for mode in ("inline", "isolate"):
            m = measure_bomb(kind, mode)
            print(
                f"{kind:<22} {mode:<8} {m['seconds']:>8.2f} {m['peak_mb']:>8.0f}  "
                f"{m['outcome'][:60]}"
            )


def corpus(top: int = 5) -> None:
    files = corpus_files()
    if not files:
        print("feed corpora not found under ../shared/data/feeds")
        return
    timings = []
    for path in files:
        content_type = "application/json" if path.suffix == ".json" else "application/xml"
        started = time.perf_counter()
        with contextlib.suppress(FeedParseError):
            parse_feed(path.read_bytes(), url="https://example.com/feed", content_type=content_type)
        timings.append((time.perf_counter() - started, path))
    timings.sort(reverse=True)
    total = sum(t for t, _ in timings)
    print(f"\ncorpus: {len(files)} files in {total:.1f} s; slowest:")
    for seconds, path in timings[:top]:
        print(f"  {seconds:6.2f} s  {path}")


if __name__ == "__main__":
    bombs()
    corpus()
