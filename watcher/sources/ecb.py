"""The European Central Bank's euro foreign-exchange reference rates (the `eurofxref` XML
files: daily, last 90 days, or the whole history): parsed into (day, currency, units per euro).

The XML is untrusted like any fetched body: it is parsed with defusedxml, which refuses DTDs,
entity declarations and external references.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from watcher.sources.errors import FeedParseError

_CUBE = "{http://www.ecb.int/vocabulary/2002-08-01/eurofxref}Cube"


@dataclass(frozen=True)
class ReferenceRate:
    day: dt.date
    currency: str  # ISO 4217
    per_eur: float  # units of `currency` for one euro


def parse_reference_rates(body: bytes) -> list[ReferenceRate]:
    """Every rate in an ECB reference-rate file; raises `FeedParseError` when the body is not
    one (or holds no rate at all)."""
    try:
        root = fromstring(body, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise FeedParseError(
            f"not an ECB reference-rate file: {type(exc).__name__}: {exc}"
        ) from None
    rates = [rate for day_cube in root.iter(_CUBE) for rate in _rates_of_day(day_cube)]
    if not rates:
        raise FeedParseError("not an ECB reference-rate file: no dated rates found")
    return rates


def _rates_of_day(cube) -> list[ReferenceRate]:
    stamp = cube.get("time")
    if stamp is None:
        return []
    try:
        day = dt.date.fromisoformat(stamp)
    except ValueError:
        return []
    rates = []
    for child in cube.findall(_CUBE):
        currency, rate = child.get("currency", ""), child.get("rate", "")
        try:
            per_eur = float(rate)
        except ValueError:
            continue
        if len(currency) == 3 and currency.isalpha() and per_eur > 0:
            rates.append(ReferenceRate(day, currency.upper(), per_eur))
    return rates
