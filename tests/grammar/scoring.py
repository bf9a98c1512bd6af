"""Running the extractor over the grammar's cases and scoring it: a case passes when the
extractor's observations of capex, ocf and rpo match the expected ones one to one (company,
metric, kind, currency, period, change exactly; low, high, prior_low, prior_high within 1%)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .core import FAMILIES, LANGS, Case, Obs

METRICS = ("capex", "ocf", "rpo")
_EXACT = ("company", "metric", "kind", "currency", "period", "change")
_AMOUNTS = ("low", "high", "prior_low", "prior_high")


@dataclass(frozen=True)
class Result:
    case: Case
    got: tuple[dict[str, Any], ...]
    ok: bool


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 0.01 * max(abs(a), abs(b))


def same(expected: Obs, got: dict[str, Any]) -> bool:
    e = expected.as_dict()
    return all(e[k] == got.get(k) for k in _EXACT) and all(
        _close(e[k], got.get(k)) for k in _AMOUNTS
    )


def match(expected: Sequence[Obs], got: Sequence[dict[str, Any]]) -> bool:
    """True when the two sets pair up one to one."""
    if len(expected) != len(got):
        return False

    def assign(i: int, free: frozenset[int]) -> bool:
        if i == len(expected):
            return True
        return any(same(expected[i], got[j]) and assign(i + 1, free - {j}) for j in free)

    return assign(0, frozenset(range(len(got))))


def run(cases: Iterable[Case], registry: Any) -> list[Result]:
    from watcher.extract import extract

    out = []
    for case in cases:
        found = extract(case.text, date=case.date, companies=registry)
        got = tuple(
            {k: getattr(o, k) for k in (*_EXACT, *_AMOUNTS)}
            for o in found
            if o.metric in METRICS
        )
        out.append(Result(case, got, match(case.expected, got)))
    return out


def rates(results: Iterable[Result]) -> dict[tuple[str, str], tuple[int, int]]:
    """(language, family) -> (passed, total), with ("all", family), (language, "all") and
    ("all", "all") totals."""
    acc: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for r in results:
        for key in ((r.case.lang, r.case.family), ("all", r.case.family),
                    (r.case.lang, "all"), ("all", "all")):
            acc[key][0] += r.ok
            acc[key][1] += 1
    return {k: (v[0], v[1]) for k, v in acc.items()}


def table(results: Sequence[Result]) -> str:
    """Pass rates, one row per family, one column per language."""
    r = rates(results)
    cols = [*LANGS, "all"]
    lines = [f"{'family':<10}" + "".join(f"{c:>15}" for c in cols)]
    for fam in (*FAMILIES, "all"):
        cells = []
        for lang in cols:
            p, n = r.get((lang, fam), (0, 0))
            cells.append(f"{p / n:7.1%} ({n:4d})" if n else f"{'-':>15}")
        lines.append(f"{fam:<10}" + "".join(f"{c:>15}" for c in cells))
    return "\n".join(lines)


def _row(o: Obs | dict[str, Any]) -> str:
    d = o.as_dict() if isinstance(o, Obs) else o
    return json.dumps({k: d.get(k) for k in (*_EXACT[:3], "period", *_AMOUNTS[:2], "currency",
                                             "change", *_AMOUNTS[2:])}, ensure_ascii=False)


def describe(r: Result) -> str:
    c = r.case
    lines = [f"[{c.lang}/{c.family}/{c.template}] date={c.date.isoformat()}", f"  text: {c.text!r}"]
    lines += [f"  expected: {_row(o)}" for o in c.expected] or ["  expected: (nothing)"]
    lines += [f"  got:      {_row(o)}" for o in r.got] or ["  got:      (nothing)"]
    return "\n".join(lines)


def examples(results: Sequence[Result], per_family: int = 3) -> str:
    """Up to `per_family` failures of each (language, family)."""
    shown: dict[tuple[str, str], int] = defaultdict(int)
    out = []
    for r in results:
        key = (r.case.lang, r.case.family)
        if not r.ok and shown[key] < per_family:
            shown[key] += 1
            out.append(describe(r))
    return "\n".join(out)
