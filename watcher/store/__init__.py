"""Storage: SQLModel tables, the engine and sessions, and Alembic migrations."""

from watcher.store.db import make_engine, session_scope, upgrade
from watcher.store.models import Delivery, Document, Event, EventSource, Observation, Source

__all__ = [
    "Delivery",
    "Document",
    "Event",
    "EventSource",
    "Observation",
    "Source",
    "make_engine",
    "session_scope",
    "upgrade",
]
