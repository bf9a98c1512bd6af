"""Expected failures of the command line about where it keeps its data and listens: a bad or
unreachable `database.url`, a missing driver, a SQLite folder that does not exist, an occupied
`http.port`. Each is one line on stderr naming the setting, no password, exit status 2."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest

from tests.conftest import WATCHER, slow_case, watcher_env

PASSWORD = "s3cret-pw"


def watcher(tmp_path: Path, *args: str, **settings: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(WATCHER), *args],
        cwd=tmp_path,
        env=watcher_env(tmp_path, **settings),
        capture_output=True,
        text=True,
        timeout=120,
    )


def one_line_exit_2(result: subprocess.CompletedProcess, *words: str) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def closed_port():
    """A port nothing listens on while the test runs: bound (so no one else gets it) but
    never listening, so a connection to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        yield int(probe.getsockname()[1])


@pytest.mark.parametrize(
    ("url", "what"),
    [
        slow_case("postgresql://nowhere.invalid/x", "cannot connect"),
        slow_case("postgresql+psycopg://127.0.0.1:{port}/x", "cannot connect"),
        (f"postgresql+psycopg://app:{PASSWORD}@127.0.0.1:{{port}}/x", "cannot connect"),
        slow_case("mysql://x/y", "no database driver"),
        slow_case("notaurl", "not a database URL"),
        (f"no such://app:{PASSWORD}@x/y", "not a database URL"),
    ],
)
def test_bad_database_url_is_one_line_and_exit_2(tmp_path, closed_port, url, what):
    url = url.format(port=closed_port)
    result = watcher(tmp_path, "status", database__url=url)
    line = one_line_exit_2(result, "database.url", what)
    assert PASSWORD not in result.stderr + result.stdout
    if "@" in url:
        assert "app:***@" in line


@pytest.mark.parametrize(
    "command", [slow_case(("run", "--once")), ("events",), slow_case(("sec", "import", "x"))]
)
def test_every_database_command_reports_an_unreachable_database(tmp_path, closed_port, command):
    url = f"postgresql+psycopg://app:{PASSWORD}@127.0.0.1:{closed_port}/x"
    result = watcher(tmp_path, *command, database__url=url)
    one_line_exit_2(result, "database.url", "cannot connect", "app:***@")
    assert PASSWORD not in result.stderr + result.stdout


@pytest.mark.slow
def test_sqlite_folder_that_does_not_exist(tmp_path):
    folder = tmp_path / "missing" / "deeper"
    url = f"sqlite:///{folder / 'watcher.db'}"
    # Commands that only read or operate never create it...
    for command in (("status",), ("events",), ("silence", "list")):
        result = watcher(tmp_path, *command, database__url=url)
        one_line_exit_2(result, "database.url", str(folder), "does not exist")
        assert not (tmp_path / "missing").exists()
    # ... `watcher db upgrade` does, and says so.
    result = watcher(tmp_path, "db", "upgrade", database__url=url)
    assert result.returncode == 0, result.stderr
    assert (folder / "watcher.db").is_file()
    assert "created the folder" in result.stderr and str(folder) in result.stderr
    assert watcher(tmp_path, "status", database__url=url).returncode == 0


@pytest.mark.slow
def test_run_creates_the_sqlite_folder_and_says_so(tmp_path):
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("sources: []\n")
    folder = tmp_path / "data" / "new"
    result = watcher(
        tmp_path,
        "run",
        "--once",
        database__url=f"sqlite:///{folder / 'watcher.db'}",
        sources__file=str(feeds),
    )
    assert result.returncode == 0, result.stderr
    assert (folder / "watcher.db").is_file()
    assert "created the folder" in result.stderr


@pytest.mark.slow  # starts `watcher run`
def test_http_port_in_use_is_one_line_and_exit_2(tmp_path):
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("sources: []\n")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = watcher(
            tmp_path, "run", http__port=str(port), http__host="127.0.0.1", sources__file=str(feeds)
        )
    one_line_exit_2(result, "http.port", f"127.0.0.1:{port}")
