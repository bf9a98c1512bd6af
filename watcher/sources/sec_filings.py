"""A company's SEC filings (the EDGAR `submissions` JSON): for each 8-K reporting results of
operations (Item 2.02), the press release filed as exhibit 99.1 becomes a document, keyed by
accession number and linked to the exhibit, so that extraction reads the company's own words.

Only the most recent new filings are fetched on each poll (a first poll does not pull years of
exhibits); every request goes through the caller's SEC client and rate limiter.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from watcher.sources.errors import FeedParseError, SourceError
from watcher.sources.feeds import FeedEntry, content_hash
from watcher.sources.http import FetchResult

EARNINGS_ITEM = "2.02"
# Exhibit 99.1 as filers name it: ex99-1.htm, ex991.htm, dex991.htm, exhibit991.htm, ...
_EXHIBIT_991 = re.compile(r"(?:ex|exhibit)[-_]?99[-_.]?0?1(?!\d)[^/]*\.html?$", re.I)
MAX_NEW_PER_POLL = 8


@dataclass(frozen=True)
class Filing:
    accn: str  # accession number, e.g. 0001326801-25-000054
    form: str
    filed: date
    items: tuple[str, ...]  # 8-K items, e.g. ("2.02", "9.01")


def parse_submissions(body: bytes) -> tuple[int, list[Filing]]:
    """The CIK and recent filings of a `submissions` JSON body, newest first."""
    try:
        data = json.loads(body)
        recent = data["filings"]["recent"]
        cik = int(data["cik"])
        columns = [recent[name] for name in ("accessionNumber", "form", "filingDate", "items")]
    except (ValueError, KeyError, TypeError) as exc:
        raise FeedParseError(
            f"not an EDGAR submissions file: {type(exc).__name__}: {exc}"
        ) from None
    filings = []
    for accn, form, filed, items in zip(*columns, strict=False):
        try:
            day = date.fromisoformat(str(filed))
        except ValueError:
            continue
        parts = tuple(part.strip() for part in str(items or "").split(",") if part.strip())
        filings.append(Filing(str(accn), str(form), day, parts))
    filings.sort(key=lambda filing: filing.filed, reverse=True)
    return cik, filings


def is_earnings_release(filing: Filing) -> bool:
    return filing.form in ("8-K", "8-K/A") and EARNINGS_ITEM in filing.items


def earnings_releases(filings: list[Filing]) -> list[Filing]:
    return [f for f in filings if is_earnings_release(f)]


def folder_url(archives_url: str, cik: int, accn: str) -> str:
    return f"{archives_url.rstrip('/')}/{cik}/{accn.replace('-', '')}/"


def exhibit_name(index_body: bytes) -> str | None:
    """The exhibit 99.1 file named in a filing folder's index.json, if any."""
    try:
        items = json.loads(index_body)["directory"]["item"]
        names = [str(item["name"]) for item in items]
    except (ValueError, KeyError, TypeError) as exc:
        raise FeedParseError(f"not an EDGAR folder index: {type(exc).__name__}: {exc}") from None
    return next((name for name in names if _EXHIBIT_991.search(name)), None)


Fetch = Callable[[str], FetchResult]


def new_release_documents(
    body: bytes,
    *,
    company: str,
    known: set[str],
    archives_url: str,
    fetch: Fetch,
    expected_cik: int | None = None,
) -> tuple[list[FeedEntry], str | None]:
    """Documents for the newest earnings releases not in `known` (accession numbers), and a
    warning naming those whose exhibit could not be fetched (they are tried again next poll)."""
    cik, filings = parse_submissions(body)
    if expected_cik is not None and cik != expected_cik:
        raise FeedParseError(f"the file is CIK {cik}, but {company} is CIK {expected_cik}")
    wanted = [f for f in earnings_releases(filings) if f.accn not in known][:MAX_NEW_PER_POLL]
    documents, problems = [], []
    for filing in wanted:
        try:
            documents.append(release_document(filing, cik, company, archives_url, fetch))
        except SourceError as exc:
            problems.append(f"{filing.accn}: {exc}")
    return documents, ("; ".join(problems) or None)


def release_document(
    filing: Filing, cik: int, company: str, archives_url: str, fetch: Fetch
) -> FeedEntry:
    """The document of one earnings release: exhibit 99.1, found through the filing folder's
    index. Every path that learns of a filing builds it here, so it is the same document
    (key, title, link, date, text) whichever path saw the filing first."""
    folder = folder_url(archives_url, cik, filing.accn)
    index = fetch(folder + "index.json")
    name = exhibit_name(index.body or b"")
    if name is None:
        raise FeedParseError("no exhibit 99.1 in the filing")
    exhibit = fetch(folder + name)
    text = (exhibit.body or b"").decode("utf-8", errors="replace")
    title = f"{company} 8-K Item 2.02 earnings release, filed {filing.filed} ({filing.accn})"
    url = folder + name
    return FeedEntry(
        guid=filing.accn,
        link=url,
        title=title,
        published=datetime(filing.filed.year, filing.filed.month, filing.filed.day, tzinfo=UTC),
        text=text,
        content_hash=content_hash(title, text, url),
    )
