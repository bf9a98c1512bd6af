"""What a request asks for, read from its query string and path, each value checked and
bounded (a bad one is a 400 naming the argument, an id no row can have a 404), and the query
strings and paging headers that lead to the next page."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import HTTPException, Request

from watcher.vocab import Severity
from watcher.web import queries

_COMPANY_ID = re.compile(r"^[A-Z0-9][A-Z0-9.\-]{0,15}$")
_WHOLE_NUMBER = re.compile(r"^[0-9]{1,12}$")
# Row ids are 64-bit integers on SQLite and PostgreSQL alike.
MAX_ID = 2**63 - 1


def parse_date(text: str | None, name: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise HTTPException(400, f"{name}: not a date (YYYY-MM-DD): {text[:40]!r}") from None


def company_id(text: str) -> str:
    company = text.upper()
    if not _COMPANY_ID.fullmatch(company):
        raise HTTPException(404, "no such company")
    return company


def row_id(value: int, what: str) -> int:
    """A row id from the path; one no row can have is not found (rather than an overflow)."""
    if not 0 < value <= MAX_ID:
        raise HTTPException(404, f"no such {what}")
    return value


def event_filter(request: Request) -> queries.EventFilter:
    args = request.query_params
    severity_text = args.get("severity") or None
    severity = queries.severity_of(severity_text)
    if severity_text and severity is None:
        known = ", ".join(s.value for s in Severity)
        raise HTTPException(400, f"severity: one of {known}")
    company = (args.get("company") or "").strip().upper() or None
    return queries.EventFilter(
        company=company,
        rule=(args.get("rule") or "").strip() or None,
        severity=severity,
        since=parse_date(args.get("since"), "since"),
        until=parse_date(args.get("until"), "until"),
    )


def int_arg(request: Request, name: str, default: int, maximum: int) -> int:
    """A whole number from 1 to `maximum` (ASCII digits only), else 400."""
    text = request.query_params.get(name)
    if not text:
        return default
    if not _WHOLE_NUMBER.fullmatch(text) or not 1 <= int(text) <= maximum:
        raise HTTPException(400, f"{name}: a whole number from 1 to {maximum:,}")
    return int(text)


def page_arg(request: Request) -> int:
    return int_arg(request, "page", 1, queries.MAX_PAGE)


def per_page_arg(request: Request, default: int) -> int:
    return int_arg(request, "per_page", default, queries.MAX_PER_PAGE)


def paging_headers(request: Request, page: queries.Page) -> dict[str, str]:
    """X-Total-Count, and a Link to the next page when there is one."""
    headers = {"X-Total-Count": str(page.total)}
    if page.has_next:
        items = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
        items.append(("page", str(page.number + 1)))
        headers["Link"] = f'<{request.url.path}?{urlencode(items)}>; rel="next"'
    return headers


def filter_query(wanted: queries.EventFilter, changes: dict[str, Any]) -> str:
    """The query string of the filter with some arguments changed (None: left as is)."""
    items = dict(wanted.query_items())
    items.update({k: str(v) for k, v in changes.items() if v is not None})
    return urlencode(items)
