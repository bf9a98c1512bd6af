"""The plans of the statements a piece of work sends: which indexes the database reads them
through (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, event


@dataclass
class Statement:
    sql: str
    parameters: Any


@dataclass
class Plan:
    sql: str
    lines: list[str]

    def uses(self, index: str) -> bool:
        return any(index in line for line in self.lines)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def selects_during(engine: Engine, run: Any) -> list[Statement]:
    """Every SELECT the database is sent while `run()` runs."""
    seen: list[Statement] = []

    def capture(_conn, _cursor, statement, parameters, _context, executemany) -> None:
        if statement.lstrip().upper().startswith("SELECT") and not executemany:
            seen.append(Statement(statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    return seen


def plans(engine: Engine, statements: list[Statement]) -> Iterator[Plan]:
    """Each statement's plan: EXPLAIN QUERY PLAN on SQLite; EXPLAIN on PostgreSQL with
    sequential scans and sorts priced out, so that a plan still holding one has no index to
    do without it."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        postgres = engine.dialect.name == "postgresql"
        if postgres:
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("SET enable_sort = off")
        for statement in statements:
            prefix = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
            cursor.execute(prefix + statement.sql, statement.parameters)
            rows = cursor.fetchall()
            yield Plan(statement.sql, [str(row[0] if postgres else row[3]) for row in rows])
    finally:
        raw.rollback()
        raw.close()
