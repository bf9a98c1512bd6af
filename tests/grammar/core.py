"""The combinator core of the generalisation grammar: labelled cases, the companies with their
fiscal calendars and plausible magnitudes, fiscal-period arithmetic, amounts, and the sampler
that draws templates with a seeded `random.Random`.

A template is a function `(g: G) -> Draft | None` registered for one language and one family
with `@lang.template(family)`. It chooses a company, a document date, figures and wordings
through `g`, writes the text, and states the observations a careful analyst would record
(DESIGN.md, "What is an observation"): full units, low == high for a point or an approximate
figure, high None for "more than X", low None for "up to X", the prior of a revision in
prior_low/prior_high of the one observation."""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

B = 10**9
T = 10**12

LANGS = ("en", "ko", "zh", "ja", "es", "de")
FAMILIES = ("guidance", "news", "prior", "actual", "estimate", "discourse", "negative")
FAMILY_DOC = {
    "guidance": "the company's own outlook in the first person (releases, call quotes)",
    "news": "news reports of a company's guidance: set, raised, lowered, reaffirmed",
    "prior": "revisions stating the previous figure, before or after the new one",
    "actual": "reported capex, operating cash flow and RPO/backlog by quarter and year",
    "estimate": "analysts', banks' and consensus forecasts (kind estimate)",
    "discourse": "headline + body, the company named in one sentence and the figure in the next",
    "negative": "figures that are not observations: revenue, buybacks, debt, deals, sites, "
    "cash, increments, targets, capex talk without a figure",
}


@dataclass(frozen=True)
class Obs:
    company: str | None
    metric: str
    kind: str
    period: str | None
    low: int | None
    high: int | None
    currency: str | None
    change: str | None = None
    prior_low: int | None = None
    prior_high: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "company": self.company,
            "metric": self.metric,
            "kind": self.kind,
            "period": self.period,
            "low": self.low,
            "high": self.high,
            "currency": self.currency,
            "change": self.change,
            "prior_low": self.prior_low,
            "prior_high": self.prior_high,
        }


@dataclass(frozen=True)
class Case:
    text: str
    date: dt.date
    expected: tuple[Obs, ...]
    family: str
    lang: str
    template: str


@dataclass(frozen=True)
class Draft:
    text: str
    date: dt.date
    expected: tuple[Obs, ...] = ()


# --- companies ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Co:
    """A company of the registry with the magnitudes its figures plausibly have, in billions of
    its reporting currency (KRW figures too are given in billions: 53,600 = 53.6 trillion)."""

    id: str
    fy_end: int
    cur: str = "USD"
    year: tuple[float, float] | None = None  # annual capex (guidance, actuals, estimates)
    quarter: tuple[float, float] | None = None  # quarterly capex
    ocf: tuple[float, float] | None = None  # quarterly operating cash flow
    rpo: tuple[float, float] | None = None  # RPO / backlog at a quarter's end
    guides: bool = True  # the company (or reports about it) gives a capex figure for a year

    @property
    def calendar_year(self) -> bool:
        return self.fy_end == 12


COMPANIES: dict[str, Co] = {
    c.id: c
    for c in (
        Co("MSFT", 6, year=(80, 160), quarter=(19, 38), ocf=(30, 48), rpo=(290, 420)),
        Co("GOOGL", 12, year=(75, 185), quarter=(17, 28), ocf=(28, 50), rpo=(100, 160)),
        Co("META", 12, year=(64, 135), quarter=(13, 20), ocf=(20, 30)),
        Co("AMZN", 12, year=(100, 150), quarter=(24, 36), ocf=(17, 38), rpo=(180, 210)),
        Co("AAPL", 9, year=(10, 14), quarter=(2.5, 3.6), ocf=(24, 40), guides=False),
        Co("ORCL", 5, year=(21, 50), quarter=(8, 12), ocf=(5, 9), rpo=(130, 500)),
        Co("NVDA", 1, year=(3, 7), quarter=(0.9, 2), ocf=(14, 28), guides=False),
        Co("TSM", 12, year=(38, 56), quarter=(9, 13)),
        Co("INTC", 12, year=(17, 22), quarter=(3.5, 6), ocf=(1, 3)),
        Co("CRWV", 12, year=(12, 30), quarter=(2, 8), rpo=(30, 56)),
        Co("BABA", 3, "CNY", quarter=(20, 40), ocf=(10, 40), guides=False),
        Co("0700.HK", 12, "CNY", year=(70, 100), quarter=(13, 28), ocf=(50, 80)),
        Co("BIDU", 12, "CNY", quarter=(2, 5), guides=False),
        Co("BYTEDANCE", 12, "CNY", year=(150, 200)),
        Co("005930.KS", 12, "KRW", year=(47_000, 60_000), quarter=(10_000, 16_000)),
        Co("000660.KS", 12, "KRW", year=(20_000, 35_000), quarter=(5_000, 9_000)),
    )
}


# --- fiscal calendars ----------------------------------------------------------------------


def fy_of(d: dt.date, fy_end: int) -> int:
    """The fiscal year a date falls in, named by the calendar year in which it ends."""
    return d.year if d.month <= fy_end else d.year + 1


def fq_of(d: dt.date, fy_end: int) -> tuple[int, int]:
    return fy_of(d, fy_end), (d.month - fy_end - 1) % 12 // 3 + 1


def quarter_months(fy: int, q: int, fy_end: int) -> list[tuple[int, int]]:
    """The three (year, month) of fiscal quarter q of fiscal year fy."""
    start = fy_end % 12 + 1
    year = fy if fy_end == 12 else fy - 1
    out = []
    for k in range(3 * (q - 1), 3 * q):
        m0 = start - 1 + k
        out.append((year + m0 // 12, m0 % 12 + 1))
    return out


def quarter_end(fy: int, q: int, fy_end: int) -> dt.date:
    y, m = quarter_months(fy, q, fy_end)[-1]
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def prev_quarter(fy: int, q: int) -> tuple[int, int]:
    return (fy, q - 1) if q > 1 else (fy - 1, 4)


def period(fy: int, q: int | None = None) -> str:
    return f"FY{fy}" if q is None else f"FY{fy}-Q{q}"


# --- amounts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Amt:
    """An amount as a text states it: a point, an approximate figure, a range, a floor ("more
    than") or a ceiling ("up to"). `a` is the figure (the low end of a range), `b` the high end."""

    form: str  # point | approx | range | min | max
    a: int
    b: int | None = None
    cur: str = "USD"

    @property
    def low(self) -> int | None:
        return None if self.form == "max" else self.a

    @property
    def high(self) -> int | None:
        if self.form == "range":
            return self.b
        return None if self.form == "min" else self.a


def _round_to(x: float, step: float) -> float:
    return round(round(x / step) * step, 6)


# --- the generator context ---------------------------------------------------------------


@dataclass
class G:
    rng: random.Random
    notes: dict[str, Any] = field(default_factory=dict)

    def pick(self, seq: Sequence[Any]) -> Any:
        return seq[self.rng.randrange(len(seq))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def weighted(self, pairs: Sequence[tuple[Any, float]]) -> Any:
        items, weights = zip(*pairs, strict=True)
        return self.rng.choices(items, weights=weights)[0]

    # companies

    def company(self, names: dict[str, Sequence[str]], need: str = "year") -> Co:
        """A company this language names, that has figures of the kind needed."""
        pool = [COMPANIES[i] for i in names if _has(COMPANIES[i], need)]
        return self.pick(pool)

    # dates

    def guidance_date(self) -> dt.date:
        """A weekday during 2025 or early 2026."""
        return _weekday(dt.date(2025, 1, 20) + dt.timedelta(days=self.rng.randrange(430)))

    def report_date(self, co: Co, fy: int, q: int) -> dt.date:
        """A weekday two to six weeks after the quarter ended, when it is reported."""
        d = quarter_end(fy, q, co.fy_end) + dt.timedelta(days=self.rng.randrange(18, 40))
        return _weekday(d)

    def reported_quarter(self, co: Co) -> tuple[int, int, dt.date]:
        """A recently completed fiscal quarter and the date of a report about it."""
        fy = self.pick((2024, 2025, 2025, 2026)) if co.fy_end < 12 else self.pick((2024, 2025))
        q = self.rng.randrange(1, 5)
        if co.fy_end < 12 and fy == 2026:
            q = self.pick((1, 2)) if co.fy_end >= 5 else self.pick((1, 2, 3))
        return fy, q, self.report_date(co, fy, q)

    def guided_year(self, co: Co) -> tuple[dt.date, int, str | None]:
        """A document date, the fiscal year a guidance is for, and "this"/"next" when that year
        may be named relatively (the current or the following fiscal year)."""
        d = self.guidance_date()
        cur = fy_of(d, co.fy_end)
        fy = self.weighted(((cur, 0.65), (cur + 1, 0.35)))
        return d, fy, ("this" if fy == cur else "next")

    # figures (in full units of the company's currency)

    def _step(self, co: Co, annual: bool) -> float:
        if co.cur == "KRW":
            return 100.0  # 0.1 trillion won
        if annual:
            return self.pick((1.0, 1.0, 1.0, 0.5)) if co.year and co.year[1] < 60 else 1.0
        return self.pick((0.1, 0.1, 0.01))

    def value(self, co: Co, what: str = "year") -> int:
        lo, hi = getattr(co, what)
        step = self._step(co, what == "year")
        if what == "year" and co.cur == "CNY":
            step = 10.0 if self.chance(0.5) else 1.0
        x = _round_to(self.rng.uniform(lo, hi), step)
        return round(x * 1000) * 10**6

    def amt(
        self, co: Co, what: str = "year", forms: Sequence[tuple[str, float]] | None = None
    ) -> Amt:
        forms = forms or (("point", 3), ("approx", 2), ("range", 4), ("min", 1), ("max", 1))
        form = self.weighted(forms)
        a = self.value(co, what)
        if form != "range":
            return Amt(form, a, None, co.cur)
        return Amt("range", a, a + self.width(co, a), co.cur)

    def width(self, co: Co, a: int) -> int:
        unit = 100 * B if co.cur == "KRW" else B
        frac = self.pick((0.03, 0.05, 0.08, 0.1, 0.12, 0.15))
        w = max(1, round(a * frac / unit))
        if co.cur != "KRW" and a >= 40 * B:
            w = max(2, w)
        return w * unit

    def revision(self, co: Co, up: bool, with_range: bool | None = None) -> tuple[Amt, Amt]:
        """A new figure and the prior it replaced; both ends move in the stated direction."""
        unit = 100 * B if co.cur == "KRW" else B
        new_a = self.value(co, "year")
        shift = max(1, round(new_a * self.pick((0.05, 0.08, 0.1, 0.15, 0.2)) / unit)) * unit
        old_a = new_a - shift if up else new_a + shift
        if old_a <= 0:
            old_a, new_a = new_a, new_a + shift
        rng_ = self.chance(0.5) if with_range is None else with_range
        if rng_:
            w = self.width(co, new_a)
            return Amt("range", new_a, new_a + w, co.cur), Amt("range", old_a, old_a + w, co.cur)
        form = self.pick(("point", "point", "approx"))
        return Amt(form, new_a, None, co.cur), Amt(form, old_a, None, co.cur)


def _weekday(d: dt.date) -> dt.date:
    """The date, or the Monday after it when it falls on a weekend."""
    return d + dt.timedelta(days=(7 - d.weekday()) % 7 if d.weekday() >= 5 else 0)


def _has(co: Co, need: str) -> bool:
    if need == "guides":
        return co.guides and co.year is not None
    return getattr(co, need) is not None


def guidance(
    co: Co | str | None,
    per: str | None,
    amt: Amt,
    change: str | None = None,
    prior: Amt | None = None,
    metric: str = "capex",
    kind: str = "guidance",
) -> Obs:
    cid = co.id if isinstance(co, Co) else co
    return Obs(
        cid,
        metric,
        kind,
        per,
        amt.low,
        amt.high,
        amt.cur,
        change,
        prior.low if prior else None,
        prior.high if prior else None,
    )


def estimate(co: Co, per: str | None, amt: Amt) -> Obs:
    return guidance(co, per, amt, kind="estimate")


def actual(co: Co, per: str, value: int, metric: str = "capex", cur: str | None = None) -> Obs:
    return Obs(co.id, metric, "actual", per, value, value, cur or co.cur)


# --- languages and sampling --------------------------------------------------------------

Template = Callable[[G], Draft | None]


class Language:
    """The templates of one language, by family."""

    def __init__(self, code: str):
        self.code = code
        self.templates: dict[str, list[Template]] = {f: [] for f in FAMILIES}

    def template(self, family: str) -> Callable[[Template], Template]:
        if family not in FAMILIES:
            raise ValueError(family)

        def register(fn: Template) -> Template:
            self.templates[family].append(fn)
            return fn

        return register

    def variants(
        self, family: str, name: str, make: Callable[[G, Any], Draft | None], options: Sequence[Any]
    ) -> None:
        """Register `make(g, option)` once per option, named `name_option` (`name_set` for
        None); an option listed twice is drawn twice as often."""
        for option in options:

            def bound(g: G, option: Any = option) -> Draft | None:
                return make(g, option)

            bound.__name__ = f"{name}_{option or 'set'}"
            self.template(family)(bound)


def sample(
    lang: Language, family: str, n: int, rng: random.Random, max_tries: int = 12
) -> list[Case]:
    """Up to n distinct cases of one family, drawn round-robin over its templates so each
    wording gets its share."""
    templates = lang.templates[family]
    seen: set[str] = set()
    out: list[Case] = []
    tries = 0
    while len(out) < n and tries < n * max_tries and templates:
        fn = templates[tries % len(templates)]
        tries += 1
        g = G(rng)
        draft = fn(g)
        if draft is None or draft.text in seen:
            continue
        seen.add(draft.text)
        out.append(
            Case(draft.text, draft.date, tuple(draft.expected), family, lang.code, fn.__name__)
        )
    return out
