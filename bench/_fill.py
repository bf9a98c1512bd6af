"""Filling a benchmark's database fast: rows as dicts inserted through the models' tables,
in chunks, one transaction each (shared by bench/rules.py and bench/web.py)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import Engine, insert
from sqlmodel import SQLModel

from watcher.store.db import session_scope

CHUNK = 20_000


def chunks(rows: Iterable[dict], size: int = CHUNK) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def bulk(engine: Engine, model: type[SQLModel], rows: Iterable[dict]) -> int:
    """Insert rows through the model's table, one transaction per chunk."""
    count = 0
    for batch in chunks(rows):
        with session_scope(engine) as session:
            session.execute(insert(model), batch)
        count += len(batch)
    return count
