"""`watcher run` (the daemon, or one cycle) and `watcher web` (the web view alone)."""

from __future__ import annotations

from typing import Annotated

import typer

from watcher.cli.app import app, logged_settings, migrated_engine, out
from watcher.errors import WatcherError


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

    settings = logged_settings()
    if once:
        summary = run_once(settings)
        for line in summary.lines():
            out().print(line, highlight=False)
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

    settings = logged_settings()
    chosen = settings.http.port if port is None else port
    if not 0 <= chosen < 65536:
        raise WatcherError(f"--port: not a port: {chosen}")
    application = create_app(settings, engine=migrated_engine(settings))
    sock = server.bind(host, chosen, setting="--port" if port is not None else "http.port")
    where = sock.getsockname()
    shown = f"[{where[0]}]" if ":" in where[0] else where[0]
    print(f"watcher web: serving http://{shown}:{where[1]}/", flush=True)
    server.serve(application, sock)
