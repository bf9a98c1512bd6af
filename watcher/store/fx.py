"""Currency conversion to US dollars: the ECB daily reference rates stored by the
`ecb_rates` source, else a shipped table of approximate annual averages (`fx_fallback.csv`).

Rules compare figures across currencies with these values; the observation keeps its own
currency and amount.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path

from sqlmodel import Session, col, select

from watcher.store.models import FxRate

FALLBACK_FILE = Path(__file__).with_name("fx_fallback.csv")
# How far back a daily rate may be used (weekends, holidays, a source down for a few days).
MAX_RATE_AGE = dt.timedelta(days=10)


def load_fallback(path: Path = FALLBACK_FILE) -> dict[str, dict[int, float]]:
    """currency -> year -> units per US dollar."""
    table: dict[str, dict[int, float]] = defaultdict(dict)
    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        for row in rows:
            table[row["currency"]][int(row["year"])] = float(row["per_usd"])
    return dict(table)


class FxConverter:
    """Converts amounts to US dollars at the rate of a given day."""

    def __init__(
        self,
        daily: dict[str, list[tuple[dt.date, float]]] | None = None,
        fallback: dict[str, dict[int, float]] | None = None,
    ):
        # currency -> [(day, units per euro)] sorted by day
        self.daily = {currency: sorted(rows) for currency, rows in (daily or {}).items()}
        self.fallback = fallback if fallback is not None else load_fallback()

    @classmethod
    def from_session(cls, session: Session) -> FxConverter:
        daily: dict[str, list[tuple[dt.date, float]]] = defaultdict(list)
        for day, currency, per_eur in session.exec(
            select(col(FxRate.day), col(FxRate.currency), col(FxRate.per_eur))
        ):
            daily[currency].append((day, per_eur))
        return cls(daily)

    def per_usd(self, currency: str, day: dt.date) -> float | None:
        """Units of `currency` for one US dollar on `day`, or None when unknown."""
        currency = currency.upper()
        if currency == "USD":
            return 1.0
        from_daily = self._daily_per_usd(currency, day)
        return from_daily if from_daily is not None else self._fallback_per_usd(currency, day)

    def to_usd(self, amount: int | None, currency: str, day: dt.date) -> int | None:
        if amount is None:
            return None
        rate = self.per_usd(currency, day)
        return None if rate is None else round(amount / rate)

    def _daily_per_usd(self, currency: str, day: dt.date) -> float | None:
        usd_per_eur = self._daily_per_eur("USD", day)
        if usd_per_eur is None:
            return None
        if currency == "EUR":
            return 1 / usd_per_eur
        per_eur = self._daily_per_eur(currency, day)
        return None if per_eur is None else per_eur / usd_per_eur

    def _daily_per_eur(self, currency: str, day: dt.date) -> float | None:
        rows = self.daily.get(currency)
        if not rows:
            return None
        index = bisect.bisect_right(rows, (day, float("inf"))) - 1
        if index < 0 or day - rows[index][0] > MAX_RATE_AGE:
            return None
        return rows[index][1]

    def _fallback_per_usd(self, currency: str, day: dt.date) -> float | None:
        years = self.fallback.get(currency)
        if not years:
            return None
        year = min(max(day.year, min(years)), max(years))
        return years.get(year)
