"""Start-up stays small: `watcher --help` and the commands that never open the database do
not import SQLModel/SQLAlchemy, matplotlib or the notifiers' clients, and the daemon loads
matplotlib only when it renders a digest.

These check which modules a fresh interpreter has loaded, never how long it took (the times
are bench/startup.py's figures)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import watcher_env

# Top-level packages that cost tens to hundreds of milliseconds to import.
DATABASE = {"sqlmodel", "sqlalchemy", "alembic", "psycopg"}
CHARTS = {"matplotlib", "numpy", "PIL"}
NOTIFIERS = {"slack_sdk", "apprise", "aiosmtpd"}
FETCHING = {"httpx", "feedparser"}

REPORT = "print(json.dumps(sorted({name.split('.')[0] for name in sys.modules})))"


def loaded_by(code: str, cwd: Path, env: dict[str, str] | None = None) -> set[str]:
    """The top-level packages a fresh interpreter holds after running `code`."""
    script = f"import json, sys\n{textwrap.dedent(code)}\n{REPORT}\n"
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def loaded_by_command(args: list[str], tmp_path: Path) -> set[str]:
    """The packages loaded once `watcher ARGS` has run to its end in one interpreter."""
    code = f"""
        from watcher.cli import main
        sys.argv = ["watcher", *{args!r}]
        try:
            main()
        except SystemExit as exit:
            assert exit.code in (0, None), exit.code
    """
    return loaded_by(code, tmp_path, watcher_env(tmp_path))


def test_importing_the_cli_loads_nothing_heavy(tmp_path):
    loaded = loaded_by("import watcher.cli", tmp_path)
    assert loaded & (DATABASE | CHARTS | NOTIFIERS | FETCHING | {"pydantic_settings"}) == set()


def test_help_loads_nothing_heavy(tmp_path):
    for args in (["--help"], ["extract", "--help"], ["run", "--help"]):
        loaded = loaded_by_command(args, tmp_path)
        assert loaded & (DATABASE | CHARTS | NOTIFIERS | FETCHING) == set(), args


def test_commands_without_a_database_do_not_load_one(tmp_path):
    document = tmp_path / "doc.txt"
    document.write_text("Meta now expects 2025 capital expenditures of $64-72 billion.\n")
    for args in (["config", "show"], ["extract", str(document)]):
        loaded = loaded_by_command(args, tmp_path)
        assert loaded & (DATABASE | CHARTS | NOTIFIERS) == set(), args


def test_checking_the_rules_loads_no_database_and_no_notifier(tmp_path):
    # Every rule type and every channel plug-in is loaded (the shipped rules and the channel
    # registry), yet none of them needs the ORM, a notifier's client or an HTTP client to be
    # defined: their queries and sends import those where they run.
    loaded = loaded_by_command(["rules", "check"], tmp_path)
    assert loaded & (DATABASE | CHARTS | NOTIFIERS | FETCHING) == set()


def test_commands_printing_plain_lines_do_not_load_rich(tmp_path):
    # rich is for help and tables; a list of lines needs none of its 40 ms.
    for args in (["rules", "check"], ["config", "show"]):
        assert "rich" not in loaded_by_command(args, tmp_path), args


@pytest.mark.slow  # builds a Daemon and renders a digest in a fresh interpreter
def test_the_daemon_loads_matplotlib_only_to_render_a_digest(tmp_path):
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("sources: []\n")
    env = watcher_env(tmp_path, sources__file=str(feeds))
    loaded = loaded_by(
        """
        from watcher.daemon import Daemon
        from watcher.settings import load_settings
        Daemon(load_settings()).pipeline.close()
        """,
        tmp_path,
        env,
    )
    assert "sqlalchemy" in loaded  # the daemon did build its pipeline
    assert loaded & (CHARTS | {"slack_sdk", "apprise"}) == set()
