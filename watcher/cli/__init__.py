"""The `watcher` command line: `app` (typer) with the commands of each module registered on
it, and `main`, the console script. Expected problems (bad settings, a bad rule file, a missing
path) end with a one-line reason on stderr and exit status 2, never a traceback.

The commands, in the order `--help` lists them: `serve` (run, web), `extract`, `stored`
(events, sources, series), `setup` (config, db, rules, sec) and `alerting` (digest, silence,
alerts, status); `app` holds what they share."""

from __future__ import annotations

from watcher.cli.app import app, main

# Each module registers its commands on `app` when imported; `--help` lists them in this order.
# isort: off
from watcher.cli import serve, extract, stored, setup, alerting  # noqa: F401
# isort: on

__all__ = ["app", "main"]
