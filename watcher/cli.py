"""The `watcher` command line. Expected problems (bad settings, a bad rule file, a missing
path) end with a one-line reason on stderr and exit status 2, never a traceback."""

from __future__ import annotations

import datetime as dt
import functools
import json
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from watcher.errors import WatcherError

if TYPE_CHECKING:
    from rich.console import Console

    from watcher.settings import Settings

# Start-up: `watcher --help` and commands that never open the database import only typer
# (rich too, for help and tables) and what they use. Heavy modules (settings through
# pydantic-settings, SQLModel, matplotlib, the notifiers' clients) are imported inside the
# commands that need them; tests/test_startup.py checks that importing this module loads none
# of them.

app = typer.Typer(
    help="capex-watcher: alerts on AI-infrastructure capex guidance and figures.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
config_app = typer.Typer(help="Settings.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
rules_app = typer.Typer(help="Rule files.", no_args_is_help=True)
app.add_typer(config_app, name="config")
app.add_typer(db_app, name="db")
app.add_typer(rules_app, name="rules")
sec_app = typer.Typer(help="SEC EDGAR data.", no_args_is_help=True)
app.add_typer(sec_app, name="sec")
digest_app = typer.Typer(help="Email digests.", no_args_is_help=True)
app.add_typer(digest_app, name="digest")
silence_app = typer.Typer(
    help="Hold alerts about a company or rule for a while.", no_args_is_help=True
)
app.add_typer(silence_app, name="silence")
alerts_app = typer.Typer(help="Alert messages.", no_args_is_help=True)
app.add_typer(alerts_app, name="alerts")


@functools.cache
def _out() -> Console:
    """The console tables and reports are printed on (rich, imported when first needed): wide
    enough for the tables when output goes to a file or a pipe."""
    from rich.console import Console

    return Console(width=shutil.get_terminal_size((160, 24)).columns)


USAGE_ERROR = 2


def load_settings() -> Settings:
    """The effective settings (watcher.settings imported on first use)."""
    from watcher.settings import load_settings as load

    return load()


def _settings() -> Settings:
    from watcher.logs import configure_logging

    settings = load_settings()
    configure_logging(settings)
    return settings


def _engine(settings: Settings, *, create: bool = False):
    """The database, migrated. A SQLite folder that does not exist is created only with
    `create` (`watcher db upgrade`; `watcher run` through the pipeline); an unusable
    `database.url` is a DatabaseError (one line, exit 2)."""
    from watcher.store.db import make_engine, upgrade

    engine = make_engine(settings.database.url, echo=settings.database.echo, create_folder=create)
    upgrade(engine)
    return engine


@app.command()
def run(
    once: Annotated[
        bool, typer.Option("--once", help="one whole cycle over every source, then exit")
    ] = False,
) -> None:
    """Run the daemon (or one cycle with --once)."""
    from watcher.activation import inherited_socket
    from watcher.daemon import Daemon, run_once
    from watcher.store.db import daemon_lock

    settings = _settings()
    if once:
        summary = run_once(settings)
        for line in summary.lines():
            _out().print(line, highlight=False)
        return
    # One daemon per SQLite file (PostgreSQL: no limit); refused before anything starts.
    with daemon_lock(settings.database.url):
        Daemon(settings, listener=inherited_socket()).run()


@app.command()
def web(
    port: Annotated[
        int | None,
        typer.Option(help="port to listen on (default: http.port; 0 picks a free one)"),
    ] = None,
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
) -> None:
    """Serve the web view and its JSON/CSV API alone, against the configured database (no
    polling); stops on Ctrl-C or SIGTERM."""
    from watcher.web import create_app, server

    settings = _settings()
    chosen = settings.http.port if port is None else port
    if not 0 <= chosen < 65536:
        raise WatcherError(f"--port: not a port: {chosen}")
    application = create_app(settings, engine=_engine(settings))
    sock = server.bind(host, chosen, setting="--port" if port is not None else "http.port")
    where = sock.getsockname()
    shown = f"[{where[0]}]" if ":" in where[0] else where[0]
    print(f"watcher web: serving http://{shown}:{where[1]}/", flush=True)
    server.serve(application, sock)


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
    published = _parse_date(date, "--date") if date else None
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


def _parse_date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise WatcherError(f"{option}: not a date (YYYY-MM-DD): {value!r}") from None


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

    engine = _engine(_settings())
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
        _out().print(table)


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

    engine = _engine(_settings())
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
    _out().print(table)
    for note in notes:
        _out().print(note, highlight=False, markup=False, soft_wrap=True)


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else "never"


@config_app.command("show")
def config_show() -> None:
    """Print the effective settings, secrets masked."""
    from watcher.settings import config_file_path, masked_dump

    settings = load_settings()
    where = config_file_path()
    print(f"# settings file: {where if where else 'none (defaults and environment)'}")
    print(json.dumps(masked_dump(settings), indent=2, default=str))


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations."""
    from watcher.store.db import current_revision

    engine = _engine(_settings(), create=True)
    _out().print(f"database at revision {current_revision(engine)}", highlight=False)


@rules_app.command("check")
def rules_check() -> None:
    """Validate every rule file, its channels against the channel registry."""
    from watcher.alerts.channels import names
    from watcher.engine.rules import load_rules

    settings = load_settings()
    for rule in load_rules(settings.rules.dir, channel_names=names()):
        print(
            f"ok  {rule.name} ({rule.config.type}, severity {rule.config.severity}, "
            f"channels {', '.join(rule.config.channels)})"
        )


@sec_app.command("import")
def sec_import(
    paths: Annotated[list[Path], typer.Argument(help="companyfacts JSON files, as downloaded")],
) -> None:
    """Load SEC XBRL companyfacts files: quarterly capex, operating cash flow and backlog."""
    from watcher.extract import load_companies
    from watcher.sources.kinds import PollContext, companyfacts_series, store_facts
    from watcher.sources.sec_facts import parse_companyfacts
    from watcher.store.db import session_scope
    from watcher.store.models import utcnow

    settings = _settings()
    registry = load_companies(settings.companies.file)
    by_cik = {c.cik: c.id for c in registry.companies if c.cik is not None}
    context = PollContext(
        fiscal_year_end={c.id: c.fiscal_year_end_month for c in registry.companies}
    )
    engine = _engine(settings)
    for path in paths:
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise WatcherError(f"{path}: cannot read: {exc.strerror}") from None
        try:
            parsed = parse_companyfacts(body)
        except WatcherError as exc:
            raise WatcherError(f"{path}: {exc}") from None
        cik = parsed.cik
        company = by_cik.get(cik) if cik is not None else None
        if company is None:
            raise WatcherError(
                f"{path}: CIK {cik} is not in {settings.companies.file} (add the company first)"
            )
        facts = companyfacts_series(parsed, company, context)
        with session_scope(engine) as session:
            new, changed = store_facts(session, None, facts, utcnow())
        _out().print(
            f"{path.name}: {company}: {len(facts)} quarters ({new} new, {changed} changed)",
            highlight=False,
        )


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

    engine = _engine(_settings())
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
        _out().print(table)


@rules_app.command("test")
def rules_test(
    rule_name: Annotated[str, typer.Argument(metavar="RULE", help="a rule name or file")],
    since: Annotated[str | None, typer.Option(help="only events from this date YYYY-MM-DD")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object a line")] = False,
) -> None:
    """Replay stored history through one rule and print the events it would have raised,
    sending nothing."""
    from watcher.engine.replay import replay
    from watcher.engine.rules import load_rule_file, load_rules
    from watcher.terminal import printable

    settings = _settings()
    path = Path(rule_name)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        rule = load_rule_file(path)
    else:
        rules = {rule.name: rule for rule in load_rules(settings.rules.dir)}
        if rule_name not in rules:
            known = ", ".join(sorted(rules)) or "none"
            raise WatcherError(f"no rule named {rule_name!r} in {settings.rules.dir} ({known})")
        rule = rules[rule_name]
    start = _parse_date(since, "--since") if since else None
    engine = _engine(settings)
    found = replay(engine, rule, since=start)
    for item in found:
        if as_json:
            print(json.dumps(item, default=str))
        else:
            _out().print(
                f"{item['when']}  {printable(item['summary'])}", highlight=False, markup=False
            )
    if not as_json:
        _out().print(
            f"{len(found)} events would have been raised; nothing was sent.", highlight=False
        )


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

    settings = _settings()
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
    outcome = run_digest(_engine(settings), email, slot, scheduled=not now)
    _out().print(outcome.describe(), highlight=False, markup=False, soft_wrap=True)
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
    engine = _engine(_settings())
    with session_scope(engine) as session:
        silence = add_silence(session, company=company, rule=rule, until=when, reason=reason)
        _out().print(
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

    engine = _engine(_settings())
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
                _when(silence.until),
                state,
                Text(silence.reason),
                _when(silence.created_at),
            )
    if not silences:
        _out().print("no active silences" if not show_all else "no silences", highlight=False)
        return
    _out().print(table)


@silence_app.command("expire")
def silence_expire(
    silence_id: Annotated[str, typer.Argument(metavar="ID", help="the silence's id")],
) -> None:
    """End a silence now."""
    from watcher.alerts.silences import expire_silence
    from watcher.store.db import session_scope

    if not silence_id.isdigit():
        raise WatcherError(f"ID: not a silence id: {silence_id!r}")
    engine = _engine(_settings())
    with session_scope(engine) as session:
        silence = expire_silence(session, int(silence_id))
        _out().print(
            f"silence {silence.id} expired: {_silence_line(silence)}", highlight=False, markup=False
        )


def _silence_line(silence) -> str:
    scope = f"company {silence.company or '(all)'}, rule {silence.rule or '(all)'}"
    return f"{scope} until {_when(silence.until)} UTC ({silence.reason})"


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
    settings = _settings()
    engine = _engine(settings)
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

    engine = _engine(_settings())
    with session_scope(engine) as session:
        report = status_report(session)
    table = Table("channel", *STATUSES)
    for channel, counts in sorted(report.counts.items()):
        table.add_row(channel, *(str(counts.get(name, 0)) for name in STATUSES))
    _out().print("deliveries:" if report.counts else "deliveries: none yet", highlight=False)
    if report.counts:
        _out().print(table)
    age = report.oldest_pending
    _out().print(
        f"oldest pending: {_age(age)}" if age is not None else "oldest pending: none",
        highlight=False,
    )
    for failed in report.failed:
        what = f" update {failed.update_key}" if failed.update_key else ""
        _out().print(
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
        _out().print(
            printable(
                f"pending: delivery {pending.id} (event {pending.event_id}{what}) to "
                f"{pending.channel}, {pending.attempts} attempts, next "
                f"{_when(pending.next_attempt)}: {pending.last_error[:200]}"
            ),
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    failing = report.failing_sources
    _out().print(
        f"sources: {report.sources_total}, failing: {len(failing)}, "
        f"disabled: {len(report.disabled_sources)}",
        highlight=False,
    )
    for source in failing:
        _out().print(
            printable(
                f"failing source: {source.name}: {source.failures} failures, "
                f"last success {_when(source.last_success)}: {source.last_error[:200]}"
            ),
            highlight=False,
            markup=False,
        )
    for source in report.disabled_sources:
        _out().print(
            printable(
                f"disabled source: {source.name}: {source.last_error[:200] or 'no reason recorded'}"
            ),
            highlight=False,
            markup=False,
        )
    _out().print(
        f"documents failing extraction: {report.documents_failing}",
        highlight=False,
    )
    for document in report.failing_documents:
        title = f" ({document.title[:60]})" if document.title else ""
        _out().print(
            printable(
                f"failing document: {document.source} document {document.id}{title}: "
                f"{document.attempts} attempts, next retry {_when(document.next_attempt)}: "
                f"{document.error[:200]}"
            ),
            highlight=False,
            markup=False,
            soft_wrap=True,  # one line per document, however long
        )
    unlisted = report.documents_failing - len(report.failing_documents)
    if unlisted > 0:
        _out().print(
            f"... and {unlisted} more (see `watcher sources`)", highlight=False, markup=False
        )
    for silence in report.silences:
        _out().print(
            f"silence {silence.id}: {_silence_line(silence)}", highlight=False, markup=False
        )


def _age(age: dt.timedelta) -> str:
    seconds = int(age.total_seconds())
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60}m"
    return f"{seconds // 3600}h {seconds % 3600 // 60}m"


def main() -> None:
    """Entry point: click reports usage errors itself (exit 2); our expected errors become
    one line on stderr and exit 2."""
    try:
        app()
    except WatcherError as exc:
        print(f"watcher: {exc}", file=sys.stderr)
        sys.exit(USAGE_ERROR)
    except Exception as exc:
        # A database that fails a command while in use (locked past the busy timeout,
        # read-only, gone): one line naming database.url, not a traceback.
        error = _database_error(exc)
        if error is None:
            raise
        print(f"watcher: {error}", file=sys.stderr)
        sys.exit(USAGE_ERROR)


def _database_error(exc: BaseException) -> WatcherError | None:
    from watcher.store.db import operational_error

    try:
        url = load_settings().database.url
    except Exception:  # the settings were read once already; be safe anyway
        return None
    return operational_error(exc, url)


if __name__ == "__main__":
    main()
