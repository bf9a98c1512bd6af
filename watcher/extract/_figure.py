"""What the extraction passes share: the document being read, one money amount read as one of
our figures (`Figure`, immutable: each pass returns a new one with its evidence appended), the
verdict a pass returns (`Found`), and what `explain` reports for every amount (`Finding`)."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Container
from dataclasses import dataclass, field, replace
from typing import Generic, NamedTuple, TypeVar

from ._numbers import Amount, find_amounts
from ._sentences import EXPLAINS_BACK, Sentence
from .companies import CompanyRegistry, Mention
from .observation import Observation

T = TypeVar("T")

# The same figure in another currency right after it: "120 billion yuan ($16.5 billion)",
# "$64 billion, or about 88 trillion won,". The words after the restatement are the figure's.
_RESTATEMENT = re.compile(
    r"\s*(?:\((?=[^()\n]{0,40}\d)[^()\n]{1,40}\)|,\s*or\s+(?=[^,;\n]{0,40}\d)[^,;\n]{1,40},)"
)


class Found(NamedTuple, Generic[T]):
    """A pass's answer: the value (None when the pass found nothing or rejects the amount)
    and, in words, the evidence it used."""

    value: T
    why: str


@dataclass
class Doc:
    """One document as the passes see it: the reduced text, its sentences, and what is known
    about it from outside (date, the feed's company, the registry)."""

    text: str
    day: dt.date | None
    registry: CompanyRegistry
    source: str | None
    default_company: str | None
    default_reason: str
    sentences: list[Sentence]
    excluded: Container[int]  # the analysts' questions and the operator (see _speakers)
    tables: list[tuple[int, int]] = field(default_factory=list)
    _all_mentions: list[Mention] | None = None
    _starts: list[int] = field(default_factory=list)

    def all_mentions(self) -> list[Mention]:
        """Every company mention of the document, found in one scan when first asked."""
        if self._all_mentions is None:
            self._all_mentions = self.registry.mentions(self.text)
            self._starts = [m.start for m in self._all_mentions]
        return self._all_mentions

    def mentions(self, i: int) -> list[Mention]:
        """Company mentions of sentence i."""
        found = self.all_mentions()
        s = self.sentences[i]
        lo = bisect.bisect_left(self._starts, s.start)
        hi = bisect.bisect_left(self._starts, s.end)
        return [m for m in found[lo:hi] if m.end <= s.end]


@dataclass(frozen=True)
class Figure:
    """One amount of one sentence read as one of our metrics."""

    amount: Amount
    metric: str
    variant: str | None
    sentence: int
    kind: str = "actual"
    company: str | None = None
    period: str | None = None
    change: str | None = None
    prior: Amount | None = None
    quote_start: int = 0
    period_defaulted: bool = False
    why: tuple[tuple[str, str], ...] = ()

    def step(self, name: str, why: str, **changes: object) -> Figure:
        """This figure with `changes` applied and the evidence of pass `name` recorded."""
        return replace(self, why=(*self.why, (name, why)), **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Finding:
    """One money amount of a document and what extraction decided about it."""

    start: int
    end: int
    text: str
    decision: str  # "kept" or "dropped"
    why: tuple[tuple[str, str], ...]
    observation: Observation | None = None

    @property
    def reason(self) -> str:
        """The evidence that decided: the last pass's."""
        return self.why[-1][1] if self.why else ""


def restatement_end(text: str, end: int, limit: int) -> int:
    """Where a figure's words go on: after a restatement in another currency, if any."""
    m = _RESTATEMENT.match(text, end, limit)
    return m.end() if m and find_amounts(text, m.start(), m.end()) else end


# "$82 billion: that is how much Alphabet expects to spend on capex next year." A figure
# stated first and explained after.
_EXPLAINED_AFTER = re.compile(
    r"\s*(?::|—|–|-|,)\s*(?:that'?s|that\s+is|this\s+is|which\s+is|is|was|the\s+amount|the\s+sum)?\s*"
    r"(?:how\s+much|the\s+amount|the\s+sum|what)\b"
    # "Up to $21bn in capital expenditures is what Intel has budgeted for the year."
    r"|\s+(?:(?:in|of)\s+(?:[\w-]+\s+){1,4}?)?(?:is|was|are|were)\s+(?:how\s+much|what)\b"
    # "450亿到470亿美元——这是台积电预计全年的资本性支出规模"
    r"|\s*(?:左右|上下|以上)?\s*(?:—{1,2}|-{1,2}|–|，|,|：|:)\s*(?:这|這)(?:就)?是",
    re.IGNORECASE,
)


_STOP = re.compile(r"\s?(?:이상|안팎|수준|程度|前後|超|以上)?\s?[.。!！]\s*")


def explained_after(text: str, end: int, limit: int) -> int | None:
    """Where the words explaining a figure stated first begin, or None."""
    m = _EXPLAINED_AFTER.match(text, end, limit)
    if m is None:  # "200억 달러. 코어위브가 ... 쓰겠다고 밝힌 금액이다."
        m = _STOP.match(text, end, limit)
        if m is None or not EXPLAINS_BACK.search(text, m.end(), limit):
            return None
    return m.end()


def quoted(text: str, limit: int = 60) -> str:
    """A cue as evidence: the words in quotes, squeezed and cut."""
    words = " ".join(text.split())
    return f"'{words if len(words) <= limit else words[: limit - 1] + '…'}'"


def same_value(a: int | None, b: int | None, tolerance: float = 0.02) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= tolerance * max(abs(a), abs(b))
