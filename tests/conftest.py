"""Shared fixtures: paths to the project and to the shared real-world data, a database URL that
runs each test once on SQLite and once on PostgreSQL, and a helper that runs the `watcher`
command in a scratch folder with its own settings.

PostgreSQL comes from `WATCHER_TEST_POSTGRES_URL` (an admin URL; scripts/test starts a
throwaway server and sets it): each test gets a database of its own, dropped afterwards, named
after the pytest-xdist worker that made it, so parallel workers never share one.
Without it the PostgreSQL half is skipped, except in CI (`WATCHER_REQUIRE_POSTGRES=1`).

The quick loop (`-m "not slow"`) runs the PostgreSQL half only for the modules in
POSTGRES_IN_QUICK_LOOP: each PostgreSQL database costs a CREATE DATABASE, the migrations and a
DROP, which made up almost half of the quick loop. Everywhere else the PostgreSQL half is marked
`slow` (`pytest_collection_modifyitems`), so the whole suite still runs every test on both."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
SHARED_DATA = PROJECT.parent / "shared" / "data"
WATCHER = Path(sys.executable).parent / "watcher"
POSTGRES_ADMIN_URL = os.environ.get("WATCHER_TEST_POSTGRES_URL")
# Modules whose tests run on PostgreSQL in the quick loop too: the rules, the outbox and the
# leases, where the two databases differ most (row locks, SKIP LOCKED, transactions).
POSTGRES_IN_QUICK_LOOP = {"test_rules_and_outbox.py", "test_leases.py"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `slow` the PostgreSQL half of the tests outside POSTGRES_IN_QUICK_LOOP."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is None or callspec.params.get("db_url") != "postgresql":
            continue
        if item.path.name not in POSTGRES_IN_QUICK_LOOP:
            item.add_marker(pytest.mark.slow)


def slow_case(*values: object) -> object:
    """A parametrize case left out of the quick loop: the case kept there covers the same
    code, and each case costs a `watcher` process."""
    return pytest.param(*values, marks=pytest.mark.slow)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, then a PostgreSQL database of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'watcher.db'}"
        return
    if not POSTGRES_ADMIN_URL:
        if os.environ.get("WATCHER_REQUIRE_POSTGRES") == "1":
            pytest.fail("WATCHER_TEST_POSTGRES_URL is not set but PostgreSQL is required")
        pytest.skip("no PostgreSQL server (scripts/test starts one)")
    yield from _postgres_database(POSTGRES_ADMIN_URL)


def _postgres_database(admin_url: str) -> Iterator[str]:
    import psycopg

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")  # gw0, gw1... under `pytest -n`
    name = f"watcher_test_{worker}_{uuid.uuid4().hex[:12]}"
    plain = admin_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(plain, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_url(where: Path | str) -> str:
    """A SQLAlchemy URL: a URL as given, or a SQLite file path."""
    return where if isinstance(where, str) else f"sqlite:///{where}"


def watcher_env(tmp_path: Path, **settings: str) -> dict[str, str]:
    """Environment for a `watcher` subprocess: the project's rules and companies, a SQLite
    file in tmp_path, no health port, plus `settings` as WATCHER_<SECTION>__<KEY> values."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHER_")}
    env.update(
        {
            "WATCHER_DATABASE__URL": f"sqlite:///{tmp_path / 'watcher.db'}",
            "WATCHER_RULES__DIR": str(PROJECT / "rules"),
            "WATCHER_COMPANIES__FILE": str(PROJECT / "config" / "companies.yaml"),
            "WATCHER_HTTP__PORT": "0",
            # tables and lines as wide as they need, whatever terminal (or none) runs the tests
            "COLUMNS": "240",
        }
    )
    for key, value in settings.items():
        section, _, name = key.partition("__")
        env[f"WATCHER_{section.upper()}__{name.upper()}"] = value
    return env


@pytest.fixture
def run_watcher(tmp_path: Path, db_url: str) -> Callable[..., subprocess.CompletedProcess]:
    """Run `watcher ARGS...` in tmp_path with settings from keyword arguments, on the test's
    database (each test using it runs on SQLite and on PostgreSQL)."""

    def run(*args: str, timeout: float = 120, **settings: str) -> subprocess.CompletedProcess:
        settings.setdefault("database__url", db_url)
        return subprocess.run(
            [str(WATCHER), *args],
            cwd=tmp_path,
            env=watcher_env(tmp_path, **settings),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return run


def _hypothesis_profile() -> None:
    """Property tests run a fixed set of examples (the same on every machine, so CI is not a
    lottery); HYPOTHESIS_EXPLORE=1 lets them search afresh, as a developer should now and
    then."""
    from hypothesis import settings

    settings.register_profile("fixed", derandomize=True)
    settings.register_profile("explore", derandomize=False, max_examples=500)
    settings.load_profile("explore" if os.environ.get("HYPOTHESIS_EXPLORE") == "1" else "fixed")


_hypothesis_profile()
