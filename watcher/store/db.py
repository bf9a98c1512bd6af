"""Engine and sessions: one engine per process, SQLite tuned for a daemon (WAL, busy timeout,
foreign keys, transactions that begin IMMEDIATE), one daemon per SQLite file, and schema
upgrades through Alembic.

SQLite and a second process (a `watcher run --once`, a `watcher status` beside the daemon):
a deferred transaction that reads and then writes fails at once with "database is locked"
when the other process wrote in between (its snapshot is stale, and SQLite does not wait), so
a Slack message could be sent and its row never marked sent. Every transaction therefore
begins IMMEDIATE, taking the write lock first and waiting up to the busy timeout for it (30 s,
or the URL's `?timeout=`); a database opened read-only (`?mode=ro`) only reads and begins
deferred, and so does a reader's engine (`reader(engine)`, the web view's): in WAL mode a
deferred reader takes no lock that keeps a writer waiting. A locked or read-only database that
makes a command fail is one line naming `database.url` (`operational_error`)."""

from __future__ import annotations

import fcntl
import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import URL, Engine, event, insert, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlmodel import Session, SQLModel, create_engine

from watcher.errors import WatcherError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SETTING = "database.url"
# Seconds a SQLite transaction waits for another process's write lock (unless the URL says).
SQLITE_BUSY_TIMEOUT = 30.0
# Seconds to wait for a database server before giving up with a one-line error.
CONNECT_TIMEOUT = 10
# The execution option of a reader's engine (`reader`), which the SQLite begin hook honours.
READS_ONLY = "watcher_reads_only"
# A replica's row locks (a document being extracted, an observation being evaluated) end with
# its connection. A process that dies closes it at once; a host that vanishes is noticed only
# by the server's TCP keepalives, which wait two hours by default: ask for about 30 s (10 s
# idle, then 4 probes 5 s apart).
KEEPALIVES = {"tcp_keepalives_idle": 10, "tcp_keepalives_interval": 5, "tcp_keepalives_count": 4}

log = logging.getLogger(__name__)


class DatabaseError(WatcherError):
    """The database named by `database.url` cannot be used: a malformed URL, a missing
    driver, a missing folder, a server that cannot be reached. The message names the
    setting and the URL with its password masked."""


def make_engine(url: str, *, echo: bool = False, create_folder: bool = False) -> Engine:
    """Create the engine for `url` (nothing is connected yet). For a SQLite file, turn on
    WAL; its folder is created only with `create_folder` (`watcher run`, `watcher db
    upgrade`), and logged when it is; otherwise a missing folder is a DatabaseError.

    Raises DatabaseError for a URL that does not parse or whose driver is not installed."""
    parsed = _parse(url)
    try:
        if parsed.get_backend_name() != "sqlite":
            connect_args = {}
            if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
                connect_args["connect_timeout"] = CONNECT_TIMEOUT
            engine = create_engine(parsed, echo=echo, pool_pre_ping=True, connect_args=connect_args)
            if parsed.get_backend_name() == "postgresql":
                event.listen(engine, "connect", _postgres_keepalives)
            return engine
        _sqlite_folder(parsed, create=create_folder)
        # The busy timeout: how long a transaction waits for another process's write lock.
        timeout = {} if "timeout" in parsed.query else {"timeout": SQLITE_BUSY_TIMEOUT}
        engine = create_engine(parsed, echo=echo, connect_args=timeout)
    except (NoSuchModuleError, ImportError) as exc:
        raise DatabaseError(
            f"{SETTING}: no database driver for {masked_url(parsed)} ({_reason(exc, parsed)}); "
            "install it, or use sqlite:///PATH or postgresql+psycopg://..."
        ) from None
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin_read if _read_only(parsed) else _sqlite_begin)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Python's sqlite3 driver opens transactions lazily, only before writes, so a SAVEPOINT
    # issued first would commit on its own. We take transaction control ourselves (the
    # pysqlite recipe in SQLAlchemy's documentation): autocommit at the driver, and an
    # explicit BEGIN whenever SQLAlchemy begins a transaction.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _postgres_keepalives(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    for name, value in KEEPALIVES.items():
        cursor.execute(f"SET {name} = {int(value)}")
    cursor.close()
    dbapi_connection.commit()


def reader(engine: Engine) -> Engine:
    """The engine for sessions that only read (same pool and database): on SQLite their
    transactions begin deferred, taking no write lock. A session of it must not write (a
    deferred transaction that writes may fail at once with "database is locked")."""
    return engine.execution_options(**{READS_ONLY: True})


def _sqlite_begin(connection) -> None:
    if connection.get_execution_options().get(READS_ONLY):
        connection.exec_driver_sql("BEGIN")
        return
    # IMMEDIATE: the write lock now (waiting out the busy timeout), not at the first write,
    # when another process may have written since our first read (see the module's docstring).
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_begin_read(connection) -> None:
    connection.exec_driver_sql("BEGIN")


def _read_only(url: URL) -> bool:
    return url.query.get("mode") == "ro"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply the Alembic migrations up to `revision` (idempotent). A database that cannot be
    reached or written is a DatabaseError naming `database.url`."""
    check_connection(engine)
    try:
        command.upgrade(alembic_config(engine), revision)
    except DBAPIError as exc:
        if not _is_operational(exc):
            raise
        raise DatabaseError(
            f"{SETTING}: cannot upgrade the schema of {masked_url(engine.url)}: "
            f"{_reason(exc, engine.url)}"
        ) from None


def unusable_reason(exc: BaseException, url: str | URL) -> str | None:
    """Why the database could not be used (locked past the busy timeout, read-only, gone), in
    one line without the password, when `exc` is such a failure; None for anything else."""
    if not isinstance(exc, DBAPIError) or not _is_operational(exc):
        return None
    reason = _reason(exc, url if isinstance(url, URL) else _parse(url))
    if "locked" in reason:
        return f"{reason} (another process held it longer than the busy timeout)"
    if "readonly" in reason:
        return f"{reason} (it cannot be written)"
    return reason


def operational_error(exc: BaseException, url: str | URL) -> DatabaseError | None:
    """The one-line DatabaseError for a database that failed a command while in use; None
    for any other exception."""
    reason = unusable_reason(exc, url)
    if reason is None:
        return None
    return DatabaseError(f"{SETTING}: {masked_url(url)}: {reason}")


@contextmanager
def daemon_lock(url: str) -> Iterator[None]:
    """Hold the lock of the one daemon a SQLite file may have (`<file>.lock`, an advisory
    lock the system releases when the process ends, however it ends). A second daemon on the
    same file is a DatabaseError; `watcher run --once` and the other commands take no lock
    (they wait for the database instead). PostgreSQL takes any number of daemons."""
    parsed = _parse(url)
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        yield
        return
    if database.startswith("file:"):
        database = database.removeprefix("file:").partition("?")[0]
    _sqlite_folder(parsed, create=True)
    path = Path(f"{database}.lock")
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise DatabaseError(
            f"{SETTING}: cannot open the daemon lock {path} beside {masked_url(parsed)}: "
            f"{exc.strerror or exc}"
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            raise DatabaseError(
                f"{SETTING}: another watcher daemon{f' (pid {holder})' if holder else ''} "
                f"runs on {masked_url(parsed)} (it holds {path}); SQLite takes one daemon: "
                "stop it, or use PostgreSQL for several"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def check_connection(engine: Engine) -> None:
    """Connect once; a database that cannot be reached is a DatabaseError."""
    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        raise DatabaseError(
            f"{SETTING}: cannot connect to {masked_url(engine.url)}: {_reason(exc, engine.url)}"
        ) from None


def masked_url(url: str | URL) -> str:
    """The URL with its password masked, for messages and logs."""
    if isinstance(url, URL):
        return url.render_as_string(hide_password=True)
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


def _parse(url: str) -> URL:
    try:
        return make_url(url)
    except (ArgumentError, ValueError) as exc:
        raise DatabaseError(
            f"{SETTING}: {masked_url(url)!r} is not a database URL ({exc}); expected e.g. "
            "sqlite:///data/watcher.db or postgresql+psycopg://user@host/name"
        ) from None


def _sqlite_folder(url: URL, *, create: bool) -> None:
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        return
    folder = Path(url.database).parent
    if folder.is_dir():
        return
    if not create:
        raise DatabaseError(
            f"{SETTING}: the folder {folder} of {masked_url(url)} does not exist "
            "(`watcher db upgrade` or `watcher run` creates it)"
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(
            f"{SETTING}: cannot create the folder {folder} of {masked_url(url)}: "
            f"{exc.strerror or exc}"
        ) from None
    log.warning("created the folder %s for the database %s (%s)", folder, masked_url(url), SETTING)


def _is_operational(exc: DBAPIError) -> bool:
    from sqlalchemy.exc import InterfaceError, OperationalError

    return isinstance(exc, OperationalError | InterfaceError) or exc.connection_invalidated


def _reason(exc: BaseException, url: URL) -> str:
    """The first meaningful line of a driver's error, with the password taken out."""
    inner = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(inner).splitlines() if line.strip()]
    reason = lines[0] if lines else type(inner).__name__
    if url.password:
        reason = reason.replace(str(url.password), "***")
    return reason


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def insert_new(session: Session, model: type[SQLModel], rows: list[dict], unique: list[str]) -> int:
    """Insert `rows` with one core INSERT, skipping rows whose `unique` columns are already
    stored (another process got there first). Returns how many were inserted."""
    dialect = session.get_bind().dialect.name
    id_column = inspect(model).primary_key[0]  # every table's is its `id`
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        statement = (
            postgresql_insert(model)
            .on_conflict_do_nothing(index_elements=unique)
            .returning(id_column)
        )
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = (
            sqlite_insert(model).on_conflict_do_nothing(index_elements=unique).returning(id_column)
        )
    else:
        session.connection().execute(insert(model), rows)
        return len(rows)
    # RETURNING counts the rows really inserted (a driver's executemany rowcount may be -1).
    return len(session.connection().execute(statement, rows).all())


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed on success and rolled back on error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
