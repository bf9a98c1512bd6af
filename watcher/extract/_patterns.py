"""Building the vocabulary's patterns: each language's words are added to a pattern as more
alternatives, in the order they are added, keeping the pattern's flags."""

from __future__ import annotations

import re


def extend(pattern: re.Pattern[str], extra: str) -> re.Pattern[str]:
    """`pattern` with the alternatives of `extra` after its own."""
    return re.compile(f"(?:{pattern.pattern})|{extra}", pattern.flags)
