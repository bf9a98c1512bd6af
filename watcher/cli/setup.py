"""Setting up: `watcher config show`, `watcher db upgrade`, `watcher rules check` and `rules
test`, `watcher sec import`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from watcher.cli.app import (
    config_app,
    db_app,
    load_settings,
    logged_settings,
    migrated_engine,
    out,
    parse_date,
    rules_app,
    sec_app,
)
from watcher.errors import WatcherError


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

    engine = migrated_engine(logged_settings(), create=True)
    out().print(f"database at revision {current_revision(engine)}", highlight=False)


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

    settings = logged_settings()
    registry = load_companies(settings.companies.file)
    by_cik = {c.cik: c.id for c in registry.companies if c.cik is not None}
    context = PollContext(
        fiscal_year_end={c.id: c.fiscal_year_end_month for c in registry.companies}
    )
    engine = migrated_engine(settings)
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
        out().print(
            f"{path.name}: {company}: {len(facts)} quarters ({new} new, {changed} changed)",
            highlight=False,
        )


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

    settings = logged_settings()
    path = Path(rule_name)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        rule = load_rule_file(path)
    else:
        rules = {rule.name: rule for rule in load_rules(settings.rules.dir)}
        if rule_name not in rules:
            known = ", ".join(sorted(rules)) or "none"
            raise WatcherError(f"no rule named {rule_name!r} in {settings.rules.dir} ({known})")
        rule = rules[rule_name]
    start = parse_date(since, "--since") if since else None
    engine = migrated_engine(settings)
    found = replay(engine, rule, since=start)
    for item in found:
        if as_json:
            print(json.dumps(item, default=str))
        else:
            out().print(
                f"{item['when']}  {printable(item['summary'])}", highlight=False, markup=False
            )
    if not as_json:
        out().print(
            f"{len(found)} events would have been raised; nothing was sent.", highlight=False
        )
