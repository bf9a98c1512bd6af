"""`watcher extract`: the observations in documents given on the command line, or why each
money amount was kept or dropped (`--explain`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from watcher.cli.app import app, load_settings, parse_date
from watcher.errors import WatcherError


@app.command("extract")
def extract_command(
    paths: Annotated[list[str], typer.Argument(help="files (plain text or HTML), or - for stdin")],
    date: Annotated[str | None, typer.Option(help="publication date YYYY-MM-DD")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object a line")] = False,
    company: Annotated[
        str | None, typer.Option(help="the company the documents are about, if they do not say")
    ] = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="list every money amount seen, kept or dropped, with the reasons of each pass",
        ),
    ] = False,
) -> None:
    """Print the observations in documents. A document the extractor fails on is reported on
    stderr and skipped; the exit status is then 1."""
    from watcher.extract import ExtractionError, extract, load_companies
    from watcher.extract import explain as explain_document

    settings = load_settings()
    published = parse_date(date, "--date") if date else None
    companies = load_companies(settings.companies.file)
    failed = 0
    for name in paths:
        text = _read_document(name)
        source = "stdin" if name == "-" else Path(name).name
        try:
            if explain:
                findings = explain_document(
                    text, date=published, companies=companies, source=source, company_hint=company
                )
                _print_findings(findings, source, as_json)
                continue
            found = extract(
                text, date=published, companies=companies, source=source, company_hint=company
            )
        except ExtractionError as exc:
            print(f"watcher: {name}: extraction failed: {exc.reason}", file=sys.stderr)
            failed += 1
            continue
        for observation in found:
            data = observation.to_dict()
            if as_json:
                print(json.dumps(data, ensure_ascii=False))
            else:
                print(_observation_line(data))
    if failed:
        raise typer.Exit(1)


def _print_findings(findings: list, source: str, as_json: bool) -> None:
    """`extract --explain`: one line (or JSON object) per money amount, with its reasons."""
    for f in findings:
        why = {name: reason for name, reason in f.why}
        if as_json:
            data: dict = {"source": source, "amount": f.text, "start": f.start, "end": f.end}
            data |= {"decision": f.decision, "why": why}
            if f.decision == "dropped":
                data["reason"] = f.reason
            if f.observation is not None and f.decision == "kept":
                data["observation"] = f.observation.to_dict()
            print(json.dumps(data, ensure_ascii=False))
            continue
        head = f"{f.decision.upper():8}{' '.join(f.text.split())}"
        if f.decision == "kept" and f.observation is not None:
            head += "  ->  " + _observation_line(f.observation.to_dict()).split('  "')[0]
        print(head)
        for name, reason in f.why:
            print(f"    {name:9}{reason}")


def _read_document(name: str) -> str:
    """A document's text: UTF-8 when it is valid UTF-8, else Latin-1 (which never fails)."""
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as exc:
        raise WatcherError(f"{name}: cannot read: {exc.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _observation_line(data: dict) -> str:
    from watcher.formatting import format_range

    figure = format_range(data.get("low"), data.get("high"), data.get("currency") or "USD")
    change = f" {data['change']}" if data.get("change") else ""
    return (
        f"{data.get('company') or '-'} {data['metric']} {data['kind']} "
        f'{data.get("period") or "-"}: {figure}{change}  "{data.get("quote", "")[:120]}"'
    )
