"""Fast scans for many literal words: one pattern with shared prefixes (a trie), and the
sentences of a document in which any of the words occurs."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence


def trie(words: Iterable[str]) -> str:
    """One pattern for many literal words, their common prefixes shared ("Meta|Meta Platforms"
    becomes "Meta(?: Platforms)?"): the regex engine then tries one branch per character
    instead of every word at every position. Greedy optional tails keep the longest match."""
    root: dict[str, dict] = {}
    for word in sorted(set(words)):
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)


def sentences_with(
    pattern: re.Pattern[str], text: str, spans: Sequence[tuple[int, int]]
) -> set[int]:
    """Indices of the spans (sorted, not overlapping) that hold a match of `pattern` in text."""
    starts = [a for a, _ in spans]
    hit: set[int] = set()
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        n = bisect.bisect_right(starts, m.start()) - 1
        if n >= 0 and m.end() <= spans[n][1]:
            hit.add(n)
            pos = max(spans[n][1], m.start() + 1)  # one hit is enough: skip to the next span
        elif n >= 0 and m.start() >= spans[n][1] and n + 1 < len(spans):
            pos = starts[n + 1]  # between spans (a table, say): on to the next one
        elif n + 1 >= len(spans) and n >= 0 and m.start() >= spans[n][1]:
            break  # after the last span
        else:
            pos = m.start() + 1
    return hit
