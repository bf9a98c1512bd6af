"""Shared fixtures: paths to the project and to the shared real-world data, and a helper that
runs the `watcher` command in a scratch folder with its own settings."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
SHARED_DATA = PROJECT.parent / "shared" / "data"
WATCHER = Path(sys.executable).parent / "watcher"


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
        }
    )
    for key, value in settings.items():
        section, _, name = key.partition("__")
        env[f"WATCHER_{section.upper()}__{name.upper()}"] = value
    return env


@pytest.fixture
def run_watcher(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess]:
    """Run `watcher ARGS...` in tmp_path with settings from keyword arguments."""

    def run(*args: str, timeout: float = 120, **settings: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(WATCHER), *args],
            cwd=tmp_path,
            env=watcher_env(tmp_path, **settings),
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return run
