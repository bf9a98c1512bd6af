"""python -m tests.grammar --report [--failures PATH] [--seed N] [--lang ko] [--family prior]

Builds the grammar's cases, runs the extractor over them, prints the pass-rate table and a few
failing examples per (language, family), and writes every failure to PATH."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import DEFAULT_SEED, build_cases
from .scoring import describe, examples, rates, run, table

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.grammar", description=__doc__)
    ap.add_argument("--report", action="store_true", help="run the extractor and print rates")
    ap.add_argument("--failures", type=Path, help="write every failing case to this file")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--lang", action="append", help="only these languages")
    ap.add_argument("--family", action="append", help="only these families")
    ap.add_argument("--examples", type=int, default=3, help="failures shown per cell")
    ap.add_argument("--dump", action="store_true", help="print the cases, no extraction")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    cases = [
        c for c in build_cases(args.seed)
        if (not args.lang or c.lang in args.lang) and (not args.family or c.family in args.family)
    ]
    print(f"{len(cases)} cases (seed {args.seed}) in {time.perf_counter() - t0:.2f}s")
    if args.dump:
        for c in cases:
            labels = [o.as_dict() for o in c.expected]
            print(f"{c.lang}\t{c.family}\t{c.date}\t{c.text!r}\t{labels}")
        return 0
    if not args.report and not args.failures:
        ap.print_help()
        return 2

    from watcher.extract import load_companies

    registry = load_companies(ROOT / "config" / "companies.yaml")
    t0 = time.perf_counter()
    results = run(cases, registry)
    print(f"extracted in {time.perf_counter() - t0:.1f}s\n")
    print(table(results))
    failing = [r for r in results if not r.ok]
    if args.examples:
        print("\nfailing examples:\n" + examples(results, args.examples))
    if args.failures:
        args.failures.write_text(
            f"# {len(failing)} failing of {len(results)} (seed {args.seed})\n\n"
            + "\n\n".join(describe(r) for r in failing) + "\n",
            encoding="utf-8",
        )
        print(f"\n{len(failing)} failures written to {args.failures}")
    passed, total = rates(results)[("all", "all")]
    print(f"\noverall {passed}/{total} = {passed / total:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
