"""Extraction: turn a document's text (plain or HTML) into observations of capital
expenditure, operating cash flow and remaining performance obligations.

    registry = load_companies("config/companies.yaml")
    for obs in extract(text, date=day, companies=registry, source="META_2025_Q1.txt"):
        print(obs.to_dict())

This package knows no database, network or settings; it is pure text in, records out."""

from __future__ import annotations

import datetime as dt
import logging

from ._extract import extract_text
from .companies import Company, CompanyRegistry, load_companies
from .observation import Observation
from .text import html_to_text

__all__ = ["Company", "CompanyRegistry", "Observation", "extract", "html_to_text", "load_companies"]

_log = logging.getLogger(__name__)


def extract(
    text: str,
    date: dt.date | None = None,
    companies: CompanyRegistry | None = None,
    source: str | None = None,
    company_hint: str | None = None,
) -> list[Observation]:
    """Observations in a document. `date` (publication date) resolves relative periods;
    `company_hint` is the company a feed is about, used when the text names none. Never
    raises on bad input: a document that cannot be read yields no observations."""
    registry = companies if companies is not None else CompanyRegistry()
    if not isinstance(text, str) or not text:
        return []
    try:
        return extract_text(text, date, registry, source, company_hint)
    except Exception:  # a parser bug must not stop the pipeline; it is logged, not hidden
        _log.exception("extraction failed for %s", source or "<text>")
        return []
