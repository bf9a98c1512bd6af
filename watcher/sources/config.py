"""Loading the list of sources from config/feeds.yaml.

Each source is validated on load; any problem is a `ConfigError` naming the file and the field,
e.g. ``config/feeds.yaml: sources[2].interval: must look like 15m, 1h, 30s or 2h30m``.

A source's credentials (HTTP Basic) come from its URL's user-info or, first, from the
environment (`credential_variables`); either way they are taken out of the URL, which is stored
and shown without them, and kept apart on the source (`SourceConfig.auth`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from watcher.config_files import load_list
from watcher.durations import parse_duration
from watcher.http_util import split_credentials

# rss: RSS or Atom; ecb_rates: the ECB's euro reference rates (for currency conversion);
# sec_companyfacts: one company's SEC XBRL companyfacts JSON; sec_filings: one company's
# EDGAR submissions JSON, whose 8-K earnings releases are fetched (both need `company`);
# sec_current: EDGAR's current-filings feed, the fast path to the 8-K earnings releases of
# every company of the registry that has a CIK (so it takes no `company`).
SourceKind = Literal["rss", "ecb_rates", "sec_companyfacts", "sec_filings", "sec_current"]
COMPANY_REQUIRED = {"sec_companyfacts", "sec_filings"}
COMPANY_FORBIDDEN = {"sec_current"}
DEFAULT_INTERVAL = timedelta(minutes=15)
# Kinds polled more often than the default when no interval is given, and their least
# interval: the current feed is one request per poll, and every 30-60 s keeps an 8-K's news
# within a minute while staying well inside the SEC's fair-access rules.
KIND_INTERVALS = {"sec_current": (timedelta(seconds=30), timedelta(seconds=30))}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


class SourceConfig(BaseModel):
    """One source of documents, as listed in the feeds file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str  # unique and stable: documents and health are kept under it
    url: str  # http(s); a local path or file:// URL only when allowed
    kind: SourceKind = "rss"  # rss covers RSS and Atom
    company: str | None = None  # hint for documents that do not name the company
    official: bool = False  # the company's own voice: newsroom, investor relations, filings
    enabled: bool = True  # false: kept in the file (and its documents kept) but not polled
    interval: timedelta = DEFAULT_INTERVAL  # poll interval; the poller adds jitter
    # Optional: a source with no new document for longer than this raises a meta-alert.
    expect_every: timedelta | None = None
    _auth: tuple[str, str] | None = PrivateAttr(default=None)

    @property
    def auth(self) -> tuple[str, str] | None:
        """(user, password) for HTTP Basic auth, from the environment or the URL; None."""
        return self._auth

    @model_validator(mode="wrap")
    @classmethod
    def _take_credentials(
        cls, data: Any, handler: Callable[[Any], SourceConfig], info: ValidationInfo
    ) -> SourceConfig:
        in_url = None
        if isinstance(data, dict) and isinstance(data.get("url"), str):
            url, in_url = split_credentials(data["url"].strip())
            data = {**data, "url": url}
        config = handler(data)
        environ = (info.context or {}).get("environ")
        config._auth = (environ is not None and _env_credentials(config.name, environ)) or in_url
        return config

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

    @model_validator(mode="before")
    @classmethod
    def _kind_default_interval(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("interval") is None:
            default = KIND_INTERVALS.get(str(data.get("kind")))
            if default is not None:
                return {**data, "interval": default[0]}
        return data

    @model_validator(mode="after")
    def _company_for_sec(self) -> SourceConfig:
        if self.kind in COMPANY_REQUIRED and self.company is None:
            raise ValueError(f"company: a {self.kind} source must name its company")
        if self.kind in COMPANY_FORBIDDEN and self.company is not None:
            raise ValueError(
                f"company: a {self.kind} source watches every company of the registry that "
                "has a CIK; leave company out"
            )
        least = KIND_INTERVALS.get(self.kind, (None, timedelta(0)))[1]
        if self.interval < least:
            raise ValueError(
                f"interval: a {self.kind} source is polled at most every "
                f"{int(least.total_seconds())}s"
            )
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
    return parse_duration(value)


def load_sources(
    path: Path, *, allow_local: bool = False, environ: Mapping[str, str] | None = None
) -> list[SourceConfig]:
    """The sources listed in `path`, with their credentials from `environ` (default: the
    process environment); raises `ConfigError` naming the file and field."""
    context = {
        "allow_local": allow_local,
        "base_dir": Path(path).resolve().parent,
        "environ": os.environ if environ is None else environ,
    }
    return load_list(path, "sources", SourceConfig, unique="name", context=context)


def credential_variables(name: str) -> tuple[str, str]:
    """The environment variables holding the user and password of the source `name`:
    `WATCHER_FEED_<NAME>_USERNAME` and `..._PASSWORD`, NAME upper-cased with every character
    other than a letter or digit written `_` (`ir-feed.v2` -> `WATCHER_FEED_IR_FEED_V2_...`)."""
    stem = "WATCHER_FEED_" + re.sub(r"[^A-Z0-9]", "_", name.upper())
    return f"{stem}_USERNAME", f"{stem}_PASSWORD"


def _env_credentials(name: str, environ: Mapping[str, str]) -> tuple[str, str] | None:
    user_variable, password_variable = credential_variables(name)
    user, password = environ.get(user_variable), environ.get(password_variable)
    if user is None and password is None:
        return None
    return user or "", password or ""
