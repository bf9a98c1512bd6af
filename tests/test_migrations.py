"""The migrations and the models describe one schema: a database built by the migrations has
every table, column and index the models declare, and nothing they do not. (alembic does not
compare a partial index's condition: the EXPLAIN tests check that the queries use them.)"""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import watcher.store.models  # noqa: F401  (the tables, declared on SQLModel's metadata)
from watcher.store.db import make_engine, upgrade


def test_the_migrations_build_the_schema_the_models_describe(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection)
            assert compare_metadata(context, SQLModel.metadata) == []
    finally:
        engine.dispose()
