"""Extraction: turn a document's text (plain or HTML) into observations of capital
expenditure, operating cash flow and remaining performance obligations.

    registry = load_companies("config/companies.yaml")
    for obs in extract(text, date=day, companies=registry, source="META_2025_Q1.txt"):
        print(obs.to_dict())

This package knows no database, network or settings; it is pure text in, records out."""

from __future__ import annotations

import datetime as dt

from watcher.errors import WatcherError

from ._extract import extract_text, read
from ._figure import Finding
from .companies import Company, CompanyRegistry, load_companies
from .observation import Observation
from .text import html_to_text

__all__ = [
    "Company",
    "CompanyRegistry",
    "ExtractionError",
    "Finding",
    "Observation",
    "explain",
    "extract",
    "html_to_text",
    "load_companies",
]


class ExtractionError(WatcherError):
    """The extractor failed on a document (a bug, or an input it cannot handle). `source`
    names the document, `reason` is the original exception in one line ("TypeError: ...");
    the exception itself is `__cause__`."""

    def __init__(self, source: str | None, reason: str):
        self.source = source
        self.reason = reason
        super().__init__(f"{source or '<text>'}: extraction failed: {reason}")


def extract(
    text: str,
    date: dt.date | None = None,
    companies: CompanyRegistry | None = None,
    source: str | None = None,
    company_hint: str | None = None,
) -> list[Observation]:
    """Observations in a document. `date` (publication date) resolves relative periods;
    `company_hint` is the company a feed is about, used when the text names none.

    What is not a document (not a string, or empty) yields no observations. When the
    extractor itself fails on a document, `ExtractionError` is raised (from the original
    exception), so that the caller can record the failure and try again later."""
    registry = companies if companies is not None else CompanyRegistry()
    if not isinstance(text, str) or not text:
        return []
    try:
        return extract_text(text, date, registry, source, company_hint)
    except Exception as exc:
        raise ExtractionError(source, _one_line(exc)) from exc


def explain(
    text: str,
    date: dt.date | None = None,
    companies: CompanyRegistry | None = None,
    source: str | None = None,
    company_hint: str | None = None,
) -> list[Finding]:
    """Every money amount the extractor saw in a document, in text order, each `kept` (with
    its observation) or `dropped`, with the evidence of each pass that read it (`why`: pairs
    of pass name and reason) — what an analyst reads to trust a figure. Raises
    `ExtractionError` as `extract` does."""
    registry = companies if companies is not None else CompanyRegistry()
    if not isinstance(text, str) or not text:
        return []
    try:
        return read(text, date, registry, source, company_hint, explain=True)
    except Exception as exc:
        raise ExtractionError(source, _one_line(exc)) from exc


def _one_line(exc: BaseException) -> str:
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
