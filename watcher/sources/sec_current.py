"""EDGAR's "current filings" Atom feed as the fast path to 8-K earnings releases.

EDGAR lists a filing in its current-filings feed (`browse-edgar?action=getcurrent`) as soon as
it is accepted; the submissions JSON that `sec_filings` reads is updated later. One request
reads the newest filings of every filer; each 8-K with Item 2.02 whose filer's CIK is a watched
company's has its exhibit 99.1 fetched through the filing folder's index and becomes the same
document `sec_filings` would make of it (`sec_filings.release_document`: keyed by accession
number, same title, link and date), so whichever path sees a filing first stores it and the
other finds it known.

An entry of the feed reads, in EDGAR's words: title ``8-K - Example Corp (0001234567)
(Filer)``, id ``urn:tag:sec.gov,2008:accession-number=0001234567-26-000001``, and a summary
giving ``Filed: 2026-01-12``, ``AccNo: ...`` and one ``Item 2.02: ...`` line per item.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from watcher.sources.errors import FeedParseError, SourceError
from watcher.sources.feeds import FeedEntry, parse_feed
from watcher.sources.sec_filings import (
    MAX_NEW_PER_POLL,
    Fetch,
    Filing,
    is_earnings_release,
    release_document,
)

_TITLE = re.compile(
    r"^(?P<form>\S(?:.*?\S)?) - (?P<name>.*?) \((?P<cik>\d{1,10})\)(?: \((?P<role>[^()]*)\))?$"
)
_ACCESSION = re.compile(r"\b(\d{10}-\d{2}-\d{6})\b")
_FILED = re.compile(r"\bFiled:\s*(\d{4}-\d{2}-\d{2})\b")
_ITEM = re.compile(r"\bItem\s+(\d{1,2}\.\d{2})\b")
_TAG = re.compile(r"<[^>]*>")
# The filer's own entries; the same filing is also listed under its subject or reporting
# persons.
_FILER_ROLES = (None, "Filer")


@dataclass(frozen=True)
class Listing:
    """One entry of the feed: a filing as listed under one CIK."""

    cik: int
    role: str | None  # "Filer", "Reporting", "Issuer", "Subject", ...
    form: str
    accn: str
    summary: str  # the summary as plain text: filing date, accession number, items

    def filing(self) -> Filing:
        """The filing with its date and items; `FeedParseError` when no date is given."""
        filed = _FILED.search(self.summary)
        try:
            day = date.fromisoformat(filed.group(1)) if filed else None
        except ValueError:
            day = None
        if day is None:
            raise FeedParseError(f"{self.accn}: the entry gives no filing date")
        items = tuple(dict.fromkeys(_ITEM.findall(self.summary)))
        return Filing(self.accn, self.form, day, items)


@dataclass(frozen=True)
class CompanyRelease:
    """The document of a watched company's earnings release, with the company it is of."""

    company: str
    entry: FeedEntry


def parse_listing(entry: FeedEntry) -> Listing | None:
    """What an entry lists, or None when it does not read like an EDGAR entry."""
    title = _TITLE.match(" ".join(entry.title.split()))
    accession = _ACCESSION.search(entry.guid or "") or _ACCESSION.search(entry.text)
    if title is None or accession is None:
        return None
    summary = " ".join(_TAG.sub(" ", entry.text).split())
    return Listing(int(title["cik"]), title["role"], title["form"], accession.group(1), summary)


def read_listings(
    body: bytes, *, url: str, content_type: str | None = None
) -> tuple[list[Listing], str | None]:
    """Every entry of a current-feed page, in feed order (newest first), and what was wrong
    with a page that still parsed (cut short, say). Raises `FeedParseError` when the body is
    not a feed, or is a feed none of whose entries reads like EDGAR's (the URL points
    somewhere else)."""
    parsed = parse_feed(body, url=url, content_type=content_type)
    listings = [listing for entry in parsed.entries if (listing := parse_listing(entry))]
    if parsed.entries and not listings:
        raise FeedParseError(
            "not an EDGAR current-filings feed: no entry is titled '<form> - <name> (<CIK>)' "
            "with an accession number"
        )
    return listings, parsed.warning


def watched_releases(
    listings: list[Listing], watched: Mapping[int, str]
) -> tuple[list[tuple[str, int, Filing]], list[str]]:
    """(company, CIK, filing) of each 8-K earnings release filed by a watched CIK, once per
    accession number (co-registrants list one filing under each of them), in feed order; and
    the problems of watched entries that could not be read."""
    found: dict[str, tuple[str, int, Filing]] = {}
    problems = []
    for listing in listings:
        if listing.cik not in watched or listing.role not in _FILER_ROLES:
            continue
        try:
            filing = listing.filing()
        except FeedParseError as exc:
            problems.append(str(exc))
            continue
        if is_earnings_release(filing):
            found.setdefault(filing.accn, (watched[listing.cik], listing.cik, filing))
    return list(found.values()), problems


def new_current_documents(
    body: bytes,
    *,
    url: str,
    content_type: str | None,
    watched: Mapping[int, str],
    known: set[str],
    archives_url: str,
    fetch: Fetch,
) -> tuple[list[CompanyRelease], str | None]:
    """Documents for the watched companies' earnings releases the page lists and `known`
    (accession numbers) lacks, and a warning naming those that could not be read or fetched
    (the next poll tries them again; the submissions poller catches up with any the feed no
    longer lists)."""
    listings, warning = read_listings(body, url=url, content_type=content_type)
    releases, problems = watched_releases(listings, watched)
    problems = [*([warning] if warning else []), *problems]
    documents = []
    for company, cik, filing in [r for r in releases if r[2].accn not in known][:MAX_NEW_PER_POLL]:
        try:
            entry = release_document(filing, cik, company, archives_url, fetch)
        except SourceError as exc:
            problems.append(f"{filing.accn}: {exc}")
            continue
        documents.append(CompanyRelease(company, entry))
    return documents, ("; ".join(problems) or None)
