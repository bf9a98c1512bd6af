"""The command line's frame: the typer apps the commands hang on, the console they print
tables on, the settings and database they open, and `main`, which turns expected problems (bad
settings, a bad rule file, a missing path, an unusable database) into one line on stderr and
exit status 2, never a traceback.

Start-up: `watcher --help` and commands that never open the database import only typer (rich
too, for help and tables) and what they use. Heavy modules (settings through pydantic-settings,
SQLModel, matplotlib, the notifiers' clients) are imported inside the commands that need them;
tests/test_startup.py checks that importing the command line loads none of them."""

from __future__ import annotations

import datetime as dt
import functools
import shutil
import sys
from typing import TYPE_CHECKING

import typer

from watcher.errors import WatcherError

if TYPE_CHECKING:
    from rich.console import Console

    from watcher.settings import Settings

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
def out() -> Console:
    """The console tables and reports are printed on (rich, imported when first needed): wide
    enough for the tables when output goes to a file or a pipe."""
    from rich.console import Console

    return Console(width=shutil.get_terminal_size((160, 24)).columns)


USAGE_ERROR = 2


def load_settings() -> Settings:
    """The effective settings (watcher.settings imported on first use)."""
    from watcher.settings import load_settings as load

    return load()


def logged_settings() -> Settings:
    from watcher.logs import configure_logging

    settings = load_settings()
    configure_logging(settings)
    return settings


def migrated_engine(settings: Settings, *, create: bool = False):
    """The database, migrated. A SQLite folder that does not exist is created only with
    `create` (`watcher db upgrade`; `watcher run` through the pipeline); an unusable
    `database.url` is a DatabaseError (one line, exit 2)."""
    from watcher.store.db import make_engine, upgrade

    engine = make_engine(settings.database.url, echo=settings.database.echo, create_folder=create)
    upgrade(engine)
    return engine


def parse_date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise WatcherError(f"{option}: not a date (YYYY-MM-DD): {value!r}") from None


def stamp(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else "never"


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
