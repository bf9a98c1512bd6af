"""Extraction speed and memory.

Run from the project root:

    .venv/bin/python bench/extract.py

It extracts every transcript in ../shared/data/transcripts and the 10-K HTML filings in
../shared/data/sec/filings, and prints:

- per corpus (transcripts, news and releases, 10-K filings): throughput (MB/s) and the median,
  over alternated runs in the same process, of the ratio of extraction time to a single-pass
  `re.finditer` scan for currency amounts in the six languages over the same text (the floor
  any pattern-based extractor pays; target: at most 5x on every corpus), and the ratio to a
  scan for dollar amounts only;
- peak Python memory (tracemalloc) while extracting the largest file (target: under 200 MB);
- time on synthetic 1, 2, 5 and 10 MB documents of digits, currency signs and metric words,
  to show that time grows linearly with size (must finish in seconds).

Exit status is 0 whatever the numbers say; read the lines.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from watcher.extract import extract, load_companies  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
RATIO_TARGET = 5.0
ROUNDS = 5
MEMORY_TARGET_MB = 200
# A single-pass scan for currency amounts, the floor any pattern-based extractor pays. The fair
# one reads money in the six languages extract() reads ("$64 billion", "US$ 45,000 millones",
# "60 Mrd. Euro", "4,200억 달러", "1200亿元", "600億ドル"): the target is at most 5x this.
# DOLLAR_FLOOR, the dollar-only scan this bench used first, is printed beside it.
SCALE = (
    r"(?:trillion|billion|million|bn|mn|Milliarden|Millionen|Mrd\.?|Mio\.?|(?:mil\s+)?millones"
    r"|billones)"
)
FLOOR = re.compile(
    rf"(?:US\$|\$|€|£|¥|₩|USD|EUR)\s?\d[\d,.]*(?:\s?{SCALE})?"
    rf"|\b\d[\d,.]*\s?{SCALE}\b"
    r"|\d[\d,.]*\s?[조억만兆亿億万萬](?:\s?\d[\d,.]*\s?[억만천亿億万萬千])*"
    r"\s?(?:달러|원|美元|元|ドル|円|위안|엔|유로|ユーロ)?",
    re.IGNORECASE,
)
DOLLAR_FLOOR = re.compile(
    r"(?:US\$|\$)\s?\d{1,3}(?:,\d{3})*(?:\.\d+)?(?:\s?(?:trillion|billion|million|bn|mn))?"
    r"|\b\d{1,3}(?:,\d{3})*(?:\.\d+)?\s?(?:trillion|billion|million)\b",
    re.IGNORECASE,
)


def corpora() -> dict[str, list[tuple[str, str]]]:
    """The documents of each corpus: earnings-call transcripts, news and releases (the dev
    sets), and 10-K filings in HTML."""
    groups = {
        "transcripts": sorted((DATA / "transcripts").glob("*_20*.txt")),
        "news": sorted((DATA / "news").glob("*.txt")),
        "10-K filings": sorted((DATA / "sec" / "filings").glob("*.html")),
    }
    return {
        name: [(p.name, p.read_text(encoding="utf-8")) for p in paths]
        for name, paths in groups.items()
        if paths
    }


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def alternated(
    rounds: int, a: Callable[[], object], b: Callable[[], object]
) -> list[tuple[float, float]]:
    """Times of a and b run one after the other, `rounds` times, so that a busy machine
    slows both alike; the ratio of each pair is what to read."""
    return [(timed(a), timed(b)) for _ in range(rounds)]


def floor_scan(texts: list[str], floor: re.Pattern[str] = FLOOR) -> int:
    return sum(1 for t in texts for _ in floor.finditer(t))


def synthetic(size: int, seed: int = 7) -> str:
    """Prose-like noise: numbers, currency signs, metric and guidance words, periods."""
    rnd = random.Random(seed)
    words = re.split(
        r"\s+",
        "$ US$ 12.5 billion 1,234 64-72 million capex capital expenditures RPO backlog "
        "operating cash flow we expect 2025 Q3 fiscal year revenue was approximately over "
        "the and of in Microsoft Meta 88 trillion won 1200 yuan ($16.5 billion) lower than "
        "we thought | 2024 capex |",
    )
    out: list[str] = []
    n = 0
    while n < size:
        sentence = " ".join(rnd.choice(words) for _ in range(rnd.randint(5, 30)))
        sentence += rnd.choice((". ", ".\n", "? ", "\n\n", " "))
        out.append(sentence)
        n += len(sentence)
    return "".join(out)[:size]


def main() -> int:
    registry = load_companies(ROOT / "config" / "companies.yaml")
    day = dt.date(2025, 5, 1)
    groups = corpora()
    docs = [d for group in groups.values() for d in group]
    for name, text in docs:  # warm up: imports, regex compilation, registry patterns
        extract(text, date=day, companies=registry, source=name)
    worst = 0.0
    totals = [0.0, 0.0]
    for corpus, group in groups.items():
        texts = [t for _, t in group]
        mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6

        def run(group: list[tuple[str, str]] = group) -> None:
            for name, text in group:
                extract(text, date=day, companies=registry, source=name)

        pairs = alternated(ROUNDS, run, lambda texts=texts: floor_scan(texts))
        ratio = statistics.median(e / f for e, f in pairs)
        extract_s = statistics.median(e for e, _ in pairs)
        floor_s = statistics.median(f for _, f in pairs)
        dollar = alternated(ROUNDS, run, lambda texts=texts: floor_scan(texts, DOLLAR_FLOOR))
        dollar_ratio = statistics.median(e / f for e, f in dollar)
        worst = max(worst, ratio)
        totals[0] += extract_s
        totals[1] += floor_s
        verdict = "ok" if ratio <= RATIO_TARGET else "ABOVE TARGET"
        print(
            f"extract {corpus}: {mb:.2f} MB ({len(group)} documents) in {extract_s:.2f} s = "
            f"{mb / extract_s:.1f} MB/s; floor {floor_s:.3f} s; median ratio of {ROUNDS} "
            f"alternated runs {ratio:.1f}x (target <= {RATIO_TARGET:g}x) {verdict}; "
            f"{dollar_ratio:.1f}x the dollar-only scan"
        )
    print(
        f"extract: all corpora together {totals[0] / totals[1]:.1f}x the floor; worst corpus "
        f"{worst:.1f}x (target <= {RATIO_TARGET:g}x on every corpus)"
    )

    name, largest = max(docs, key=lambda d: len(d[1]))
    tracemalloc.start()
    extract(largest, date=day, companies=registry, source=name)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak_mb = peak / 1e6
    verdict = "ok" if peak_mb < MEMORY_TARGET_MB else "ABOVE TARGET"
    print(
        f"memory: peak {peak_mb:.1f} MB extracting {name} ({len(largest) / 1e6:.1f} MB) "
        f"(target < {MEMORY_TARGET_MB} MB) {verdict}"
    )

    per_mb: list[float] = []
    for size_mb in (1, 2, 5, 10):
        text = synthetic(size_mb * 1_000_000)
        ((seconds, floor),) = alternated(
            1,
            lambda t=text: extract(t, date=day, companies=registry),
            lambda t=text: floor_scan([t]),
        )
        per_mb.append(seconds / size_mb)
        print(
            f"linear: synthetic {size_mb:>2} MB in {seconds:.2f} s "
            f"({seconds / size_mb:.2f} s/MB; floor {floor:.3f} s, ratio {seconds / floor:.1f}x)"
        )
    growth = per_mb[-1] / per_mb[0]
    verdict = "linear" if growth < 2 else "SUPERLINEAR"
    print(f"linear: s/MB at 10 MB is {growth:.2f}x s/MB at 1 MB ({verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
