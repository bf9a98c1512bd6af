"""Patterns that read several scripts, made cheaper on text in one. A pattern's branches that
can only match text holding a Korean, Chinese or Japanese character (every match must contain
one) are left out when a sentence has none: on such text they could never match, so the
pattern finds exactly what it would have, without trying them at every position.

Which branches need such a character is read from the pattern's parse tree (the standard
library's own regular-expression parser): a branch needs one when a character it must match is
one, in a literal or in a class of such characters only."""

from __future__ import annotations

import importlib
import itertools
import re
from collections.abc import Iterator
from typing import Any

# The standard library's parser of patterns (what re.compile runs first); it has no stubs.
sre_parse: Any = importlib.import_module("re._parser")
ATOMIC_GROUP, BRANCH, IN, LITERAL, RANGE, SUBPATTERN = (
    sre_parse.ATOMIC_GROUP, sre_parse.BRANCH, sre_parse.IN, sre_parse.LITERAL, sre_parse.RANGE,
    sre_parse.SUBPATTERN,
)  # fmt: skip
REPEATS = (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, sre_parse.POSSESSIVE_REPEAT)

_EAST_ASIAN_RANGES = (
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x3000, 0x303F),  # CJK punctuation
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3130, 0x318F),  # Hangul compatibility Jamo
    (0x3400, 0x9FFF),  # CJK ideographs
    (0xAC00, 0xD7A3),  # Hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF00, 0xFFEF),  # full-width forms
)
EAST_ASIAN = re.compile(
    "[" + "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in _EAST_ASIAN_RANGES) + "]"
)


def _east_asian(lo: int, hi: int | None = None) -> bool:
    hi = lo if hi is None else hi
    return any(a <= lo and hi <= b for a, b in _EAST_ASIAN_RANGES)


def _class_needs(items: list[tuple[Any, Any]]) -> bool:
    """A character class all of whose members are East Asian characters."""
    for op, av in items:
        if op is LITERAL and _east_asian(av):
            continue
        if op is RANGE and _east_asian(*av):
            continue
        return False
    return bool(items)


def _needs(items: Any) -> bool:
    """True when every match of the parsed sequence holds an East Asian character."""
    for op, av in items:
        if op is LITERAL and _east_asian(av):
            return True
        if op is IN and _class_needs(av):
            return True
        if op is SUBPATTERN and _needs(av[3]):
            return True
        if op is ATOMIC_GROUP and _needs(av):
            return True
        if op in REPEATS and av[0] >= 1 and _needs(av[2]):
            return True
        if op is BRANCH and all(_needs(branch) for branch in av[1]):
            return True
    return False


def _structure(pattern: str) -> Iterator[tuple[int, str, int]]:
    """(index, character, depth) of each "(", ")" and "|" of a pattern that is syntax, not an
    escaped character or a member of a class; depth is the nesting around it ("(" counted
    after it opens, ")" after it closes)."""
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            # a "]" right after "[" or "[^" is a member, not the end
            i += 1 + (pattern.startswith("^", i + 1))
            i += pattern.startswith("]", i)
            continue
        elif ch in "()|":
            depth += {"(": 1, ")": -1, "|": 0}[ch]
            yield i, ch, depth
        i += 1


def branches(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern, as written."""
    cuts = [i for i, ch, depth in _structure(pattern) if ch == "|" and depth == 0]
    bounds = [-1, *cuts, len(pattern)]
    return [pattern[a + 1 : b] for a, b in itertools.pairwise(bounds)]


def needs_east_asian(pattern: str, flags: int = 0) -> bool:
    """True when every match of the pattern holds a Korean, Chinese or Japanese character."""
    try:
        return _needs(sre_parse.parse(pattern, flags))
    except Exception:  # an unforeseen construct: assume it may match any text
        return False


def _wrapped(part: str) -> tuple[str, str] | None:
    """("(?P<name>", inner) when the whole branch is one group with nothing after it."""
    if not (part.startswith("(") and part.endswith(")")):
        return None
    if part.startswith("(?P<"):
        head = part[: part.index(">") + 1]
    elif part.startswith("(?:"):
        head = "(?:"
    elif part.startswith("(?"):
        return None  # a lookaround, inline flags
    else:
        head = "("
    inner = part[len(head) : -1]
    # the group that opens the branch must be the one that closes it: "(a)(b)" is two groups
    return (head, inner) if _balanced(inner) else None


def _balanced(text: str) -> bool:
    """True when the groups opened in text are all closed in it (outside classes/escapes)."""
    depths = [depth for _, ch, depth in _structure(text) if ch != "|"]
    return all(d >= 0 for d in depths) and (not depths or depths[-1] == 0)


def _groups_of(part: str, flags: int) -> str | None:
    """Empty capturing groups with the names and order of those in `part` (so that a pattern
    without it keeps its groups); None when part does not compile alone."""
    try:
        compiled = re.compile(part, flags)
    except re.error:
        return None
    names = {number: name for name, number in compiled.groupindex.items()}
    numbers = range(1, compiled.groups + 1)
    return "".join(f"(?P<{names[n]}>)" if n in names else "()" for n in numbers)


def _latin(pattern: str, flags: int) -> str | None:
    """The pattern without the branches that need an East Asian character, inside groups too,
    their capturing groups kept in one branch that never matches; None when every branch
    needs one."""
    compiled = re.compile(pattern, flags)
    numbered = compiled.groups > len(compiled.groupindex)
    out: list[str] = []
    groups: list[str] = []
    for part in branches(pattern):
        if needs_east_asian(part, flags):
            kept = _groups_of(part, flags)
            if kept is not None:
                # In place if the pattern has unnamed groups (they must keep their numbers);
                # else gathered into one never-matching branch at the end, where it costs least.
                if numbered:
                    out.append(f"(?:\\uffff(?!){kept})")
                else:
                    groups.append(kept)
                continue
        wrapped = _wrapped(part)
        inner = _latin(wrapped[1], flags) if wrapped else None
        out.append(f"{wrapped[0]}{inner})" if wrapped and inner is not None else part)
    if not out or all(p.startswith("(?:\\uffff") for p in out):
        return None
    if "".join(groups):
        out.append(f"(?:\\uffff(?!){''.join(groups)})")
    return "|".join(out)


class ScriptPattern:
    """A compiled pattern and, for text with no East Asian character, the same pattern whose
    East Asian branches are left out: it finds the same matches, with the same groups."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.full = re.compile(pattern, flags)
        latin = _latin(pattern, flags)
        self.latin: re.Pattern[str] | None = None
        if latin == pattern:
            self.latin = self.full
        elif latin is not None:
            self.latin = re.compile(latin, flags)

    def for_text(self, east_asian: bool) -> re.Pattern[str] | None:
        """The pattern to run on text that does (or does not) hold an East Asian character;
        None when nothing can match text without one."""
        return self.full if east_asian else self.latin
