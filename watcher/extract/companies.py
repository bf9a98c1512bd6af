"""The company registry: canonical ids, names and aliases, fiscal calendars, and finding
company mentions in text. Loaded from config/companies.yaml.

Names are written in many scripts (Microsoft, 마이크로소프트, 微软, 微軟, マイクロソフト). A
mention must not run into a longer word of its own script: "Meta" is not found in "metadata",
메타 not in 메타버스 (but in 메타는, with a Korean particle), メタ not in メタバース. Chinese and
Japanese kanji names are found anywhere: those scripts put no spaces between words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from watcher.config_files import load_list

from ._literals import trie

# Aliases up to this length (and all-caps ones) are matched case-sensitively, so "Meta" the
# company is found but "meta" the prefix is not.
_CASE_SENSITIVE_MAX_LEN = 6


@dataclass(frozen=True)
class Company:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    fiscal_year_end_month: int = 12
    cik: int | None = None
    # Abbreviations Korean news uses that would be ambiguous elsewhere ("MS" for Microsoft):
    # found only next to Hangul ("MS는", "미국 MS의", "MS·구글").
    hangul_aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    company_id: str
    start: int
    end: int


@dataclass
class CompanyRegistry:
    companies: tuple[Company, ...] = ()
    _by_id: dict[str, Company] = field(init=False, repr=False)
    _pattern_sensitive: re.Pattern[str] | None = field(init=False, repr=False)
    _pattern_insensitive: re.Pattern[str] | None = field(init=False, repr=False)
    _alias_to_id: dict[str, str] = field(init=False, repr=False)
    _pattern_hangul: re.Pattern[str] | None = field(init=False, repr=False)
    _hangul_to_id: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {c.id: c for c in self.companies}
        self._alias_to_id = {}
        sensitive: list[str] = []
        insensitive: list[str] = []
        for company in self.companies:
            for alias in (company.id, company.name, *company.aliases):
                alias = alias.strip()
                if not alias:
                    continue
                if len(alias) <= _CASE_SENSITIVE_MAX_LEN or alias.isupper() or not _cased(alias):
                    self._alias_to_id.setdefault(alias, company.id)
                    sensitive.append(alias)
                else:
                    self._alias_to_id.setdefault(alias.lower(), company.id)
                    insensitive.append(alias)
        self._pattern_sensitive = _alternation(sensitive, 0)
        self._pattern_insensitive = _alternation(_spellings(insensitive), 0)
        self._hangul_to_id = {a: c.id for c in self.companies for a in c.hangul_aliases}
        self._pattern_hangul = _alternation(list(self._hangul_to_id), 0)

    def get(self, company_id: str | None) -> Company | None:
        if company_id is None:
            return None
        return self._by_id.get(company_id) or self._by_id.get(self.resolve_alias(company_id) or "")

    def resolve_alias(self, name: str) -> str | None:
        """Canonical id for an id, name or alias ("GOOG" -> "GOOGL"), or None."""
        if name in self._by_id:
            return name
        return self._alias_to_id.get(name) or self._alias_to_id.get(name.lower())

    def fiscal_year_end_month(self, company_id: str | None) -> int:
        company = self.get(company_id)
        return company.fiscal_year_end_month if company else 12

    def mentions(self, text: str, start: int = 0, end: int | None = None) -> list[Mention]:
        """Company mentions in text[start:end], by word boundary, longest alias first."""
        end = len(text) if end is None else end
        candidates: list[Mention] = []
        for pattern, fold in ((self._pattern_insensitive, True), (self._pattern_sensitive, False)):
            if pattern is None:
                continue
            for m in pattern.finditer(text, start, end):
                if not _bounded(text, m.start(), m.end()):
                    continue
                key = m.group(0).lower() if fold else m.group(0)
                company_id = self._alias_to_id.get(key)
                if company_id:
                    candidates.append(Mention(company_id, m.start(), m.end()))
        if self._pattern_hangul is not None:
            for m in self._pattern_hangul.finditer(text, start, end):
                if _bounded(text, m.start(), m.end()) and _next_to_hangul(text, m.start(), m.end()):
                    candidates.append(Mention(self._hangul_to_id[m.group(0)], m.start(), m.end()))
        # Longest first where two aliases overlap ("Google Cloud" over "Google").
        candidates.sort(key=lambda c: (c.start, c.start - c.end))
        found: list[Mention] = []
        for c in candidates:
            if not found or c.start >= found[-1].end:
                found.append(c)
        return found



def _alternation(aliases: list[str], flags: int) -> re.Pattern[str] | None:
    """The aliases, longest first; boundaries are checked per match (`_bounded`)."""
    if not aliases:
        return None
    return re.compile(trie(aliases), flags)


def _spellings(aliases: list[str]) -> list[str]:
    """The ways a long name is written: as configured, in capitals, and with each word
    capitalised ("CoreWeave", "COREWEAVE", "Coreweave"). Matching these case-sensitively
    finds what a case-insensitive match would in news and filings, several times faster: a
    case-insensitive pattern (or a lower-case spelling) must be tried at every letter."""
    out: list[str] = []
    for alias in aliases:
        words = alias.split(" ")
        capitalised = " ".join(w[:1].upper() + w[1:].lower() for w in words)
        out += [alias, alias.upper(), capitalised]
    return out


def _cased(alias: str) -> bool:
    """True when the alias has letters with case (Hangul, kana and kanji have none)."""
    return any(c.lower() != c.upper() for c in alias)


_LATIN_WORD = re.compile(r"[0-9A-Za-z\u00c0-\u024f_&]")
_HANGUL_PARTICLE = re.compile(r"(?:은|는|이|가|의|을|를|도|와|과|에|로|으로|측|만|및)")


def _script(ch: str) -> str:
    code = ord(ch)
    if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return "hangul"
    if 0x30A0 <= code <= 0x30FF:
        return "kana"  # katakana; hiragana (particles) may touch a name
    if 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF:
        return "han"
    return "latin"


def _next_to_hangul(text: str, start: int, end: int) -> bool:
    """True when Hangul touches the name or is one space away on either side."""
    around = text[max(0, start - 2) : start] + text[end : end + 2]
    return any(_script(ch) == "hangul" for ch in around)


def _bounded(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is a whole name, not part of a longer word. Possessive "'s"
    and Korean particles may follow; kanji names need no boundary."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    left, right = _script(text[start]), _script(text[end - 1])
    if left == "latin" and _LATIN_WORD.match(before):
        return False
    if left in ("hangul", "kana") and _script(before) == left:
        return False
    if right == "latin":
        return not _LATIN_WORD.match(after)
    if right == "hangul" and _script(after) == "hangul":
        return bool(_HANGUL_PARTICLE.match(text, end))
    return not (right == "kana" and _script(after) == "kana")


class _CompanyEntry(BaseModel):
    """One entry of companies.yaml, as written in the file."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    aliases: list[str] = []
    hangul_aliases: list[str] = []
    fiscal_year_end_month: int = 12
    cik: int | None = None

    @field_validator("id", "name", mode="before")
    @classmethod
    def _non_empty(cls, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise ValueError("required, a non-empty string")
        return value.strip()

    @field_validator("aliases", "hangul_aliases", mode="before")
    @classmethod
    def _names(cls, value: Any) -> list[str]:
        value = value or []
        if not isinstance(value, list) or not all(isinstance(a, str) and a.strip() for a in value):
            raise ValueError("expected a list of names")
        return [a.strip() for a in value]

    @field_validator("fiscal_year_end_month", mode="before")
    @classmethod
    def _month(cls, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
            raise ValueError(f"expected a month number 1-12, got {value!r}")
        return value

    @field_validator("cik", mode="before")
    @classmethod
    def _cik(cls, value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"expected a positive integer, got {value!r}")
        return value

    def company(self) -> Company:
        return Company(
            self.id,
            self.name,
            tuple(self.aliases),
            self.fiscal_year_end_month,
            self.cik,
            tuple(self.hangul_aliases),
        )


def load_companies(path: str | Path) -> CompanyRegistry:
    """Read and validate a companies.yaml file; errors name the file and field."""
    entries = load_list(path, "companies", _CompanyEntry, required=True, unique="id")
    return CompanyRegistry(tuple(entry.company() for entry in entries))
