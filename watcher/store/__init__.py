"""Storage: SQLModel tables (models), the engine and sessions (db), Alembic migrations, and the
recorded events (events). Import the module you need: importing this package loads none of
them, so a command that only reads files does not pay for SQLAlchemy and Alembic."""
