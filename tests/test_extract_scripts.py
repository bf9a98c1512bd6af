"""Patterns with East Asian branches left out on text without East Asian characters find
exactly what the whole pattern finds (watcher/extract/_scripts.py)."""

from __future__ import annotations

import random
import re

from watcher.extract._periods_en import PATTERNS
from watcher.extract._periods_foreign import FOREIGN_FIRST, FOREIGN_LAST
from watcher.extract._scripts import ScriptPattern, branches, needs_east_asian


def test_top_level_branches_ignore_classes_groups_and_escapes() -> None:
    assert branches(r"a|[]|]b|[^]|]c|(x|y)|\|d|[|]") == [
        "a",
        "[]|]b",
        "[^]|]c",
        "(x|y)",
        r"\|d",
        "[|]",
    ]


def test_a_branch_needs_an_east_asian_character_only_when_every_match_has_one() -> None:
    assert needs_east_asian("올해")
    assert needs_east_asian(r"(?P<y>20\d{2})\s?[년年]")
    assert needs_east_asian(r"(?:来期|明年)(?:\s?全年)?")
    assert not needs_east_asian(r"(?:올해)?\s?this\s+year")  # optional
    assert not needs_east_asian(r"올해|this year")  # one branch without
    assert not needs_east_asian(r"[年a]")  # a class with a Latin member
    assert not needs_east_asian(r"(?<=年)Q[1-4]")  # a lookbehind is not part of the match


def test_reduced_patterns_find_the_same_periods_on_latin_text() -> None:
    words = (
        "this year", "next year", "fiscal 2025", "FY26", "Q3", "el próximo año", "este trimestre",
        "im Gesamtjahr", "2025/26", "the first half", "year-to-date", "$12 billion", "in 2026",
        "last quarter", "el mismo periodo del año anterior", "Vorjahresquartal", "3Q", "H2",
    )  # fmt: skip
    rnd = random.Random(7)
    texts = [" ".join(rnd.choice(words) for _ in range(12)) for _ in range(200)]
    reduced_some = False
    for kind, pattern in FOREIGN_FIRST + PATTERNS + FOREIGN_LAST:
        sp = ScriptPattern(pattern, re.IGNORECASE)
        for text in texts:
            full = [(m.span(), m.groupdict()) for m in sp.full.finditer(text)]
            latin = sp.for_text(east_asian=False)
            reduced = [(m.span(), m.groupdict()) for m in latin.finditer(text)] if latin else []
            assert reduced == full, (kind, text)
        reduced_some = reduced_some or sp.latin is not sp.full
    assert reduced_some  # the check above compared something


def test_branches_inside_groups_are_left_out_and_every_group_is_kept() -> None:
    sp = ScriptPattern(r"(?P<a>올해|this\s+year)|(?P<b>来年(?P<c>度)?)|next\s+year")
    assert sp.latin is not None
    assert "올해" not in sp.latin.pattern and "来年" not in sp.latin.pattern
    m = sp.latin.search("we said this year and next year")
    assert m is not None and m.groupdict() == {"a": "this year", "b": None, "c": None}
    assert ScriptPattern(r"올해|来年").for_text(east_asian=False) is None
