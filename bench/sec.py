"""SEC companyfacts benchmark: every companyfacts JSON file under ../shared/data/sec/ is imported
through `parse_companyfacts` + `quarterly_series` (every metric the company has), against
`json.loads` of the same bytes in the same process (the floor any import pays). Prints, per file
and in total, the size, time per MB, peak memory (tracemalloc) and the ratio to `json.loads`
(target: at most 3x). Times are the best of --repeat runs, taken with tracemalloc off.

    .venv/bin/python bench/sec.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from watcher.extract import load_companies  # noqa: E402
from watcher.sources.sec_facts import parse_companyfacts, quarterly_series  # noqa: E402

SEC = PROJECT.parent / "shared" / "data" / "sec"
FOLDERS = ("companyfacts", "companyfacts-2022")
MB = 1024 * 1024


def import_file(data: bytes, fiscal_months: dict[int, tuple[str, int]]) -> int:
    """Parse one body and build every series; returns the number of quarters."""
    facts = parse_companyfacts(data)
    company, month = fiscal_months.get(facts.cik or 0, (f"CIK{facts.cik}", 12))
    return sum(
        len(quarterly_series(facts, company=company, metric=m, fiscal_year_end_month=month))
        for m in facts.metrics()
    )


def best_time(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def peak_bytes(fn: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (best kept)")
    args = parser.parse_args()

    files = sorted(p for folder in FOLDERS for p in (SEC / folder).glob("*.json"))
    if not files:
        print(f"no companyfacts files under {SEC}", file=sys.stderr)
        return 2
    registry = load_companies(PROJECT / "config" / "companies.yaml")
    fiscal_months = {c.cik: (c.id, c.fiscal_year_end_month) for c in registry.companies if c.cik}

    header = f"{'file':<40} {'MB':>6} {'quarters':>8} {'ms/MB':>7} {'json ms/MB':>10} "
    header += f"{'peak MB':>8} {'json peak':>9} {'ratio':>6}"
    print(header)
    total_mb = total_import = total_json = 0.0
    total_peak = 0
    for path in files:
        data = path.read_bytes()
        mb = len(data) / MB
        quarters = import_file(data, fiscal_months)
        t_import = best_time(lambda d=data: import_file(d, fiscal_months), args.repeat)
        t_json = best_time(lambda d=data: json.loads(d), args.repeat)
        peak = peak_bytes(lambda d=data: import_file(d, fiscal_months))
        json_peak = peak_bytes(lambda d=data: json.loads(d))
        name = f"{path.parent.name}/{path.name}"
        print(
            f"{name:<40} {mb:>6.2f} {quarters:>8} {1000 * t_import / mb:>7.1f} "
            f"{1000 * t_json / mb:>10.1f} {peak / MB:>8.1f} {json_peak / MB:>9.1f} "
            f"{t_import / t_json:>5.2f}x"
        )
        total_mb += mb
        total_import += t_import
        total_json += t_json
        total_peak = max(total_peak, peak)
    print(
        f"{'total':<40} {total_mb:>6.2f} {'':>8} {1000 * total_import / total_mb:>7.1f} "
        f"{1000 * total_json / total_mb:>10.1f} {total_peak / MB:>8.1f} {'':>9} "
        f"{total_import / total_json:>5.2f}x   (target <= 3x)"
    )
    stored = store_all(files, registry)
    print(
        f"{'with storage (watcher sec import path)':<40} {total_mb:>6.2f} {'':>8} "
        f"{1000 * stored / total_mb:>7.1f} {1000 * total_json / total_mb:>10.1f} {'':>8} {'':>9} "
        f"{stored / total_json:>5.2f}x"
    )
    return 0


def store_all(files: list[Path], registry) -> float:  # type: ignore[no-untyped-def]
    """Seconds to import every file into a fresh SQLite file, as `watcher sec import` does."""
    from watcher.sources.kinds import PollContext, companyfacts_series, store_facts
    from watcher.store.db import make_engine, session_scope, upgrade
    from watcher.store.models import utcnow

    by_cik = {c.cik: c.id for c in registry.companies if c.cik}
    context = PollContext(
        fiscal_year_end={c.id: c.fiscal_year_end_month for c in registry.companies}
    )
    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{scratch}/bench.db")
        upgrade(engine)
        start = time.perf_counter()
        for path in files:
            data = path.read_bytes()
            parsed = parse_companyfacts(data)
            facts = companyfacts_series(parsed, by_cik[parsed.cik], context)
            with session_scope(engine) as session:
                store_facts(session, None, facts, utcnow())
        elapsed = time.perf_counter() - start
        engine.dispose()
    return elapsed


if __name__ == "__main__":
    raise SystemExit(main())
