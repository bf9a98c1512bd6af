"""What is stored: `watcher events`, `watcher sources` (each source's health) and `watcher
series` (a company's quarterly SEC series)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer

from watcher.cli.app import app, logged_settings, migrated_engine, out
from watcher.errors import WatcherError


@app.command()
def events(
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object a line")] = False,
    limit: Annotated[int, typer.Option(help="most recent N events")] = 50,
) -> None:
    """List stored events, newest first."""
    from rich.table import Table
    from sqlmodel import col, select

    from watcher.formatting import format_range
    from watcher.store.db import session_scope
    from watcher.store.events import event_sources
    from watcher.store.models import Delivery, Event, stored_id

    engine = migrated_engine(logged_settings())
    with session_scope(engine) as session:
        rows = list(
            session.exec(
                select(Event)
                .order_by(col(Event.created_at).desc(), col(Event.id).desc())
                .limit(limit)
            )
        )
        table = Table(
            "id",
            "when",
            "rule",
            "company",
            "period",
            "change",
            "new",
            "old",
            "sources",
            "confirmed",
            "delivered",
        )
        for event in rows:
            sources = event_sources(session, stored_id(event))
            deliveries = list(session.exec(select(Delivery).where(Delivery.event_id == event.id)))
            if as_json:
                data = event.model_dump(mode="json")
                data["sources"] = [
                    {"name": s.source_name, "url": s.url, "title": s.title} for s in sources
                ]
                data["deliveries"] = {d.channel: d.status for d in deliveries if not d.update_key}
                data["updates"] = [
                    {"channel": d.channel, "update": d.update_key, "status": d.status}
                    for d in deliveries
                    if d.update_key
                ]
                print(json.dumps(data, ensure_ascii=False))
                continue
            table.add_row(
                str(event.id),
                event.created_at.strftime("%Y-%m-%d %H:%M"),
                event.rule,
                event.company or "-",
                event.period or "-",
                event.change or "-",
                format_range(event.low, event.high, event.currency),
                format_range(event.prior_low, event.prior_high, event.currency),
                str(len(sources)),
                "yes" if event.confirmed else "no",
                _deliveries_cell(deliveries),
            )
    if not as_json:
        out().print(table)


def _deliveries_cell(deliveries: list) -> str:
    """The event's own deliveries as channel:status, and how many thread updates it has."""
    cell = ", ".join(f"{d.channel}:{d.status}" for d in deliveries if not d.update_key) or "-"
    updates = [d for d in deliveries if d.update_key]
    if updates:
        unsent = sum(d.status != "sent" for d in updates)
        cell += f" (+{len(updates)} updates" + (f", {unsent} not sent)" if unsent else ")")
    return cell


@app.command()
def sources() -> None:
    """Show each source's health: its state (ok, failing since when and for how many polls,
    disabled and why, not polled and why), its documents, last success and next poll; then
    each source's last error and its documents whose extraction fails, with the latest error."""
    from rich import box
    from rich.table import Table
    from rich.text import Text
    from sqlmodel import select

    from watcher.alerts.status import extract_failures_by_source
    from watcher.http_util import short_url
    from watcher.store.db import session_scope
    from watcher.store.models import Document, Source, stored_id
    from watcher.store.source_state import SourceState, describe_state, source_state
    from watcher.terminal import for_rich, printable

    def when(value: dt.datetime | None) -> str:
        return value.strftime("%Y-%m-%d %H:%M") if value else "never"

    engine = migrated_engine(logged_settings())
    rows, notes = [], []
    with session_scope(engine) as session:
        failing = extract_failures_by_source(session)
        for source in session.exec(select(Source).order_by(Source.name)):
            count = len(
                session.exec(select(Document.id).where(Document.source_id == source.id)).all()
            )
            polled = source_state(source) not in (SourceState.DISABLED, SourceState.NOT_POLLED)
            # A permanent redirect's target or a server's 410 reason is remote text.
            rows.append(
                (
                    for_rich(source.name),
                    for_rich(short_url(source.url, 40)),
                    Text(printable(describe_state(source))),
                    str(count),
                    when(source.last_success_at),
                    when(source.next_poll_at) if polled else "-",
                )
            )
            if source.last_error:
                notes.append(printable(f"{source.name}: last error: {source.last_error[:300]}"))
            extract_failing, extract_error = failing.get(stored_id(source), (0, ""))
            if extract_failing:
                notes.append(
                    printable(
                        f"{source.name}: {extract_failing} documents fail extraction, the latest "
                        f"with: {extract_error[:300]}"
                    )
                )
    table = Table(box=box.SIMPLE_HEAD)
    # Names and URLs are never cut (a URL is already short, its scheme and host whole); the
    # state wraps.
    for index, header in enumerate(("name", "url")):
        widest = max((len(row[index]) for row in rows), default=0)
        table.add_column(header, no_wrap=True, min_width=max(widest, len(header)))
    table.add_column("state", min_width=12)
    table.add_column("docs", justify="right", no_wrap=True)
    table.add_column("last success", no_wrap=True)
    table.add_column("next poll", no_wrap=True)
    for row in rows:
        table.add_row(*row)
    out().print(table)
    for note in notes:
        out().print(note, highlight=False, markup=False, soft_wrap=True)


@app.command()
def series(
    company: Annotated[str, typer.Argument(help="company id, e.g. GOOGL")],
    metric: Annotated[str, typer.Argument(help="capex, ocf or rpo")],
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object a line")] = False,
) -> None:
    """A company's quarterly series from SEC filings, oldest first."""
    from rich.table import Table
    from sqlmodel import select

    from watcher.engine.series_rules import quarter_number
    from watcher.store.db import session_scope
    from watcher.store.models import Fact

    engine = migrated_engine(logged_settings())
    with session_scope(engine) as session:
        rows = list(
            session.exec(select(Fact).where(Fact.company == company.upper(), Fact.metric == metric))
        )
    if not rows:
        raise WatcherError(f"no {metric} series stored for {company} (see `watcher sec import`)")
    rows.sort(key=lambda fact: (quarter_number(fact.period) or 0, fact.end))
    table = Table("period", "start", "end", "value", "derived", "accn", "filed", "first filed")
    for fact in rows:
        data = {
            "period": fact.period,
            "start": fact.start.isoformat() if fact.start else None,
            "end": fact.end.isoformat(),
            "value": fact.value,
            "currency": fact.currency,
            "derived": fact.derived,
            "accn": fact.accn,
            "filed": fact.filed.isoformat(),
        }
        if fact.first_accn != fact.accn:
            data.update(
                first_value=fact.first_value,
                first_accn=fact.first_accn,
                first_filed=fact.first_filed.isoformat(),
            )
        if data["start"] is None:
            del data["start"]
        if as_json:
            print(json.dumps(data))
            continue
        first = (
            "" if fact.first_accn == fact.accn else (f"{fact.first_value:,} ({fact.first_filed})")
        )
        table.add_row(
            fact.period,
            fact.start.isoformat() if fact.start else "-",
            fact.end.isoformat(),
            f"{fact.value:,}",
            "yes" if fact.derived else "",
            fact.accn,
            fact.filed.isoformat(),
            first,
        )
    if not as_json:
        out().print(table)
