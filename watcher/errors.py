"""Error types shared by every stage, so the CLI can turn expected failures into one-line
messages (exit status 2) instead of tracebacks."""

from __future__ import annotations


class WatcherError(Exception):
    """Base of every error the program expects and reports without a traceback."""


class ConfigError(WatcherError):
    """Bad configuration: a settings file, feeds file, company registry or rule file.

    The message names the file and, where known, the field.
    """

    def __init__(self, message: str, *, file: str | None = None, field: str | None = None):
        self.file = file
        self.field = field
        where = ": ".join(part for part in (file, field) if part)
        super().__init__(f"{where}: {message}" if where else message)
