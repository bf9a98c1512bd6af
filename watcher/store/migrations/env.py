"""Alembic environment: runs migrations on the engine handed over by `watcher.store.db`.

SQLite alters tables by copying them ("batch" mode), which drops and recreates tables that
others reference; foreign-key enforcement is switched off for the migration (it cannot be
changed inside a transaction) and the references are checked afterwards.
"""

from alembic import context
from sqlmodel import SQLModel

from watcher.store import models  # noqa: F401  (registers the tables on the metadata)

target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    engine = context.config.attributes["engine"]
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=sqlite,
            compare_type=True,
        )
        try:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    # Replicas starting together: one migrates, the others wait for it (the
                    # lock ends with the transaction) and then find nothing left to do.
                    connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7261190042)")
                context.run_migrations()
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration left broken references: {broken[:5]}")
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


run_migrations_online()
