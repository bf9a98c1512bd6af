"""Alerts: `watcher digest send`, `watcher silence add|list|expire`, `watcher alerts preview`
and `watcher status` (deliveries per channel, failing sources, active silences)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from watcher.cli.app import (
    alerts_app,
    app,
    digest_app,
    logged_settings,
    migrated_engine,
    out,
    silence_app,
    stamp,
)
from watcher.errors import WatcherError


@digest_app.command("send")
def digest_send(
    now: Annotated[
        bool, typer.Option("--now", help="a digest of its own, for this moment, sent at once")
    ] = False,
) -> None:
    """Send the digest of the schedule's latest slot (if no replica sent it yet), or with
    --now a digest of everything since the last one; print what was sent."""
    from watcher.alerts.digest import digest_trigger, latest_slot, run_digest
    from watcher.store.models import utcnow

    settings = logged_settings()
    email = settings.email
    if not email.host or not email.to:
        raise WatcherError("digest: set email.host and email.to to send digests")
    slot = utcnow()
    if not now:
        trigger = digest_trigger(email)
        latest = latest_slot(trigger, slot) if trigger else None
        if latest is None:
            raise WatcherError("digest: email.digest_cron is empty and --now not given")
        slot = latest
    outcome = run_digest(migrated_engine(settings), email, slot, scheduled=not now)
    out().print(outcome.describe(), highlight=False, markup=False, soft_wrap=True)
    if outcome.status == "failed":
        raise typer.Exit(1)


@silence_app.command("add")
def silence_add(
    until: Annotated[str, typer.Option(help="ISO date/datetime (UTC) or a duration: 2h, 3d")],
    reason: Annotated[str, typer.Option(help="why (shown in `silence list`)")],
    company: Annotated[str | None, typer.Option(help="company id; omit for every company")] = None,
    rule: Annotated[str | None, typer.Option(help="one rule's name; omit for every rule")] = None,
) -> None:
    """Hold the alerts of a company (and optionally one rule) until a time: they are stored
    and shown, not sent."""
    from watcher.alerts.silences import add_silence, parse_until
    from watcher.store.db import session_scope

    if company is None and rule is None:
        raise WatcherError("silence add: give --company, --rule or both")
    when = parse_until(until)
    engine = migrated_engine(logged_settings())
    with session_scope(engine) as session:
        silence = add_silence(session, company=company, rule=rule, until=when, reason=reason)
        out().print(
            f"silence {silence.id} added: {_silence_line(silence)}", highlight=False, markup=False
        )


@silence_app.command("list")
def silence_list(
    show_all: Annotated[bool, typer.Option("--all", help="also ended and expired ones")] = False,
) -> None:
    """List active silences (with --all, ended ones too)."""
    from rich.table import Table
    from rich.text import Text

    from watcher.alerts.silences import is_active, list_silences
    from watcher.store.db import session_scope
    from watcher.store.models import utcnow

    engine = migrated_engine(logged_settings())
    table = Table("id", "company", "rule", "until", "state", "reason", "created")
    with session_scope(engine) as session:
        silences = list_silences(session, include_ended=show_all)
        now = utcnow()
        for silence in silences:
            state = "active" if is_active(silence, now) else "ended"
            if silence.expired_at is not None:
                state = "expired"
            table.add_row(
                str(silence.id),
                silence.company or "(all)",
                silence.rule or "(all)",
                stamp(silence.until),
                state,
                Text(silence.reason),
                stamp(silence.created_at),
            )
    if not silences:
        out().print("no active silences" if not show_all else "no silences", highlight=False)
        return
    out().print(table)


@silence_app.command("expire")
def silence_expire(
    silence_id: Annotated[str, typer.Argument(metavar="ID", help="the silence's id")],
) -> None:
    """End a silence now."""
    from watcher.alerts.silences import expire_silence
    from watcher.store.db import session_scope

    if not silence_id.isdigit():
        raise WatcherError(f"ID: not a silence id: {silence_id!r}")
    engine = migrated_engine(logged_settings())
    with session_scope(engine) as session:
        silence = expire_silence(session, int(silence_id))
        out().print(
            f"silence {silence.id} expired: {_silence_line(silence)}", highlight=False, markup=False
        )


def _silence_line(silence) -> str:
    scope = f"company {silence.company or '(all)'}, rule {silence.rule or '(all)'}"
    return f"{scope} until {stamp(silence.until)} UTC ({silence.reason})"


@alerts_app.command("preview")
def alerts_preview(
    event_id: Annotated[
        str, typer.Argument(metavar="EVENT_ID", help="an id from `watcher events`")
    ],
    channel: Annotated[
        str, typer.Option(help="a channel: console, slack, email, webhook or apprise")
    ] = "slack",
) -> None:
    """Render an event's message for a channel without sending it."""
    from watcher.alerts.channels import CHANNELS, names
    from watcher.alerts.status import load_event, parse_event_id, preview
    from watcher.store.db import session_scope

    if channel not in CHANNELS:
        raise WatcherError(f"--channel: use one of {', '.join(names())}, not {channel!r}")
    wanted = parse_event_id(event_id)
    settings = logged_settings()
    engine = migrated_engine(settings)
    with session_scope(engine) as session:
        event = load_event(session, wanted)
        text = preview(session, event, channel, settings)
    print(text)


@app.command()
def status() -> None:
    """Deliveries per channel (pending, sending, sent, failed, silenced), the failed ones with
    their last error, the oldest pending delivery, failing sources, documents whose extraction
    fails and active silences."""
    from rich.table import Table

    from watcher.alerts.status import STATUSES, status_report
    from watcher.store.db import session_scope
    from watcher.terminal import printable

    engine = migrated_engine(logged_settings())
    with session_scope(engine) as session:
        report = status_report(session)
    table = Table("channel", *STATUSES)
    for channel, counts in sorted(report.counts.items()):
        table.add_row(channel, *(str(counts.get(name, 0)) for name in STATUSES))
    out().print("deliveries:" if report.counts else "deliveries: none yet", highlight=False)
    if report.counts:
        out().print(table)
    age = report.oldest_pending
    out().print(
        f"oldest pending: {_age(age)}" if age is not None else "oldest pending: none",
        highlight=False,
    )
    for failed in report.failed:
        what = f" update {failed.update_key}" if failed.update_key else ""
        out().print(
            printable(
                f"failed: delivery {failed.id} (event {failed.event_id}{what}) to "
                f"{failed.channel} after {failed.attempts} attempts: {failed.last_error[:200]}"
            ),
            highlight=False,
            markup=False,
            soft_wrap=True,  # one line each, for grep, however narrow the terminal
        )
    for pending in report.retrying:
        what = f" update {pending.update_key}" if pending.update_key else ""
        out().print(
            printable(
                f"pending: delivery {pending.id} (event {pending.event_id}{what}) to "
                f"{pending.channel}, {pending.attempts} attempts, next "
                f"{stamp(pending.next_attempt)}: {pending.last_error[:200]}"
            ),
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    failing = report.failing_sources
    out().print(
        f"sources: {report.sources_total}, failing: {len(failing)}, "
        f"disabled: {len(report.disabled_sources)}",
        highlight=False,
    )
    for source in failing:
        out().print(
            printable(
                f"failing source: {source.name}: {source.failures} failures, "
                f"last success {stamp(source.last_success)}: {source.last_error[:200]}"
            ),
            highlight=False,
            markup=False,
        )
    for source in report.disabled_sources:
        out().print(
            printable(
                f"disabled source: {source.name}: {source.last_error[:200] or 'no reason recorded'}"
            ),
            highlight=False,
            markup=False,
        )
    out().print(
        f"documents failing extraction: {report.documents_failing}",
        highlight=False,
    )
    for document in report.failing_documents:
        title = f" ({document.title[:60]})" if document.title else ""
        out().print(
            printable(
                f"failing document: {document.source} document {document.id}{title}: "
                f"{document.attempts} attempts, next retry {stamp(document.next_attempt)}: "
                f"{document.error[:200]}"
            ),
            highlight=False,
            markup=False,
            soft_wrap=True,  # one line per document, however long
        )
    unlisted = report.documents_failing - len(report.failing_documents)
    if unlisted > 0:
        out().print(
            f"... and {unlisted} more (see `watcher sources`)", highlight=False, markup=False
        )
    for silence in report.silences:
        out().print(
            f"silence {silence.id}: {_silence_line(silence)}", highlight=False, markup=False
        )


def _age(age: dt.timedelta) -> str:
    seconds = int(age.total_seconds())
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60}m"
    return f"{seconds // 3600}h {seconds % 3600 // 60}m"
