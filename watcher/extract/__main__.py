"""Command line: `python -m watcher.extract [--date YYYY-MM-DD] [--json] [--companies PATH]
PATH...` prints the observations of each document ("-" reads standard input)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import TextIO

from watcher.errors import ConfigError

from . import extract, load_companies
from .companies import CompanyRegistry
from .observation import Observation

DEFAULT_COMPANIES = Path("config/companies.yaml")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from exc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="watcher extract", description="Print the capex/OCF/RPO observations of documents."
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="a file, or - for standard input")
    parser.add_argument("--date", type=_date, help="publication date, for relative periods")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--companies", type=Path, default=DEFAULT_COMPANIES, help="company registry")
    parser.add_argument("--company", help="the company the documents are about, if they do not say")
    return parser


def run(
    paths: list[str],
    date: dt.date | None,
    as_json: bool,
    registry: CompanyRegistry,
    company_hint: str | None = None,
    out: TextIO = sys.stdout,
) -> int:
    """Extract from each path and print; returns the exit status."""
    status = 0
    for path in paths:
        try:
            text = sys.stdin.read() if path == "-" else _read(Path(path))
        except OSError as exc:
            print(f"watcher extract: {path}: {exc.strerror or exc}", file=sys.stderr)
            status = 2
            continue
        source = None if path == "-" else Path(path).name
        for obs in extract(text, date=date, companies=registry, source=source, company_hint=company_hint):
            out.write((json.dumps(obs.to_dict(), ensure_ascii=False) if as_json else _line(obs)) + "\n")
    return status


def _read(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _line(o: Observation) -> str:
    def num(v: int | None) -> str:
        return "-" if v is None else f"{v / 1e9:g}B"

    change = f" {o.change}" if o.change else ""
    prior = f" (prior {num(o.prior_low)}..{num(o.prior_high)})" if o.prior_low or o.prior_high else ""
    return (
        f"{o.source or '-'}: {o.company or '-'} {o.metric} {o.kind} {o.period or '-'} "
        f"{num(o.low)}..{num(o.high)} {o.currency}{change}{prior} | {o.quote[:160]}"
    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        registry = load_companies(args.companies)
    except ConfigError as exc:
        print(f"watcher extract: {exc}", file=sys.stderr)
        return 2
    return run(args.paths, args.date, args.json, registry, args.company)


cli_main = main

if __name__ == "__main__":
    sys.exit(main())
