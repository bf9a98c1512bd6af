"""Loading the list of sources from config/feeds.yaml.

Each source is validated on load; any problem is a `ConfigError` naming the file and the field,
e.g. ``config/feeds.yaml: sources[2].interval: must look like 15m, 1h, 30s or 2h30m``.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from watcher.errors import ConfigError

# rss: RSS or Atom; ecb_rates: the ECB's euro reference rates (for currency conversion);
# sec_companyfacts: one company's SEC XBRL companyfacts JSON; sec_filings: one company's
# EDGAR submissions JSON, whose 8-K earnings releases are fetched (both need `company`).
SourceKind = Literal["rss", "ecb_rates", "sec_companyfacts", "sec_filings"]
COMPANY_REQUIRED = {"sec_companyfacts", "sec_filings"}
DEFAULT_INTERVAL = timedelta(minutes=15)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_INTERVAL = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
_UNITS = ("days", "hours", "minutes", "seconds")


class SourceConfig(BaseModel):
    """One source of documents, as listed in the feeds file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str  # unique and stable: documents and health are kept under it
    url: str  # http(s); a local path or file:// URL only when allowed
    kind: SourceKind = "rss"  # rss covers RSS and Atom
    company: str | None = None  # hint for documents that do not name the company
    official: bool = False  # the company's own voice: newsroom, investor relations, filings
    interval: timedelta = DEFAULT_INTERVAL  # poll interval; the poller adds jitter
    # Optional: a source with no new document for longer than this raises a meta-alert.
    expect_every: timedelta | None = None

    @field_validator("name")
    @classmethod
    def _check_name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError(
                "must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit"
            )
        return value

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str, info: ValidationInfo) -> str:
        value = value.strip()
        parts = urlsplit(value)
        if parts.scheme.lower() in ("http", "https"):
            if not parts.hostname:
                raise ValueError(f"has no host: {value!r}")
            return value
        context = info.context or {}
        if not context.get("allow_local"):
            raise ValueError(f"must be an http:// or https:// URL, got {value!r}")
        if parts.scheme.lower() == "file":
            return value
        if parts.scheme and len(parts.scheme) > 1:
            raise ValueError(f"must be an http(s) URL, a file:// URL or a path, got {value!r}")
        path = Path(value).expanduser()
        base = context.get("base_dir")
        return str(path if path.is_absolute() or base is None else Path(base) / path)

    @field_validator("company")
    @classmethod
    def _check_company(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("must not be empty (leave it out instead)")
        return value.strip() if value else None

    @model_validator(mode="after")
    def _company_for_sec(self) -> SourceConfig:
        if self.kind in COMPANY_REQUIRED and self.company is None:
            raise ValueError(f"company: a {self.kind} source must name its company")
        return self

    @field_validator("interval", "expect_every", mode="before")
    @classmethod
    def _check_interval(cls, value: Any) -> timedelta | None:
        if value is None:
            return None
        interval = parse_interval(value)
        if interval <= timedelta(0):
            raise ValueError("must be longer than zero")
        return interval


def parse_interval(value: Any) -> timedelta:
    """'15m', '1h', '30s', '2h30m', '1d' (or a number of seconds, or a timedelta)."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return timedelta(seconds=value)
    text = str(value).strip().lower().replace(" ", "")
    match = _INTERVAL.match(text) if isinstance(value, str) else None
    if not text or not match:
        raise ValueError(f"must look like 15m, 1h, 30s or 2h30m, got {value!r}")
    return timedelta(**{unit: int(n) for unit, n in zip(_UNITS, match.groups(), strict=True) if n})


def load_sources(path: Path, *, allow_local: bool = False) -> list[SourceConfig]:
    """The sources listed in `path`; raises `ConfigError` naming the file and field."""
    file = str(path)
    items = _read_items(path)
    context = {"allow_local": allow_local, "base_dir": Path(path).resolve().parent}
    sources: list[SourceConfig] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        where = f"sources[{index}]"
        if not isinstance(item, dict):
            raise ConfigError("must be a mapping with name, url, ...", file=file, field=where)
        source = _validate(item, context, file=file, where=where)
        if source.name in seen:
            raise ConfigError(
                f"duplicate name {source.name!r} (also sources[{seen[source.name]}])",
                file=file,
                field=f"{where}.name",
            )
        seen[source.name] = index
        sources.append(source)
    return sources


def _read_items(path: Path) -> list[Any]:
    file = str(path)
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror or exc}", file=file) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError("not UTF-8 text", file=file) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ConfigError(f"{problem}{where}", file=file) from exc
    if document is None:
        raise ConfigError("is empty; expected a 'sources:' list", file=file)
    if not isinstance(document, dict):
        raise ConfigError("must be a mapping with a 'sources:' list", file=file)
    unknown = sorted(str(key) for key in document if key != "sources")
    if unknown:
        raise ConfigError("unknown key (allowed: sources)", file=file, field=unknown[0])
    items = document.get("sources")
    if items is None:
        return []
    if not isinstance(items, list):
        raise ConfigError("must be a list of sources", file=file, field="sources")
    return items


def _validate(item: dict, context: dict, *, file: str, where: str) -> SourceConfig:
    try:
        return SourceConfig.model_validate(item, context=context)
    except ValidationError as exc:
        error = exc.errors()[0]
        location = ".".join(str(part) for part in error["loc"])
        field = f"{where}.{location}" if location else where
        raise ConfigError(_message(error), file=file, field=field) from None


def _message(error: Any) -> str:
    kind, message = error["type"], error["msg"]
    if kind == "extra_forbidden":
        allowed = ", ".join(SourceConfig.model_fields)
        return f"unknown key (allowed: {allowed})"
    if kind == "missing":
        return "is required"
    if kind == "literal_error":
        return f"must be one of rss, sec_companyfacts, sec_filings, got {error['input']!r}"
    return message.removeprefix("Value error, ")
