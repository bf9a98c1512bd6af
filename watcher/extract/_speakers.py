"""Who is speaking: in call transcripts, analysts' questions (which often restate a company's
figures) and operator lines are not the company's own statements. Transcripts here often have
no speaker labels, so turns are inferred from the operator's hand-offs and question marks."""

from __future__ import annotations

import re

from ._literals import sentences_with, trie
from ._sentences import Sentence

_OPERATOR = re.compile(
    r"\b(?:(?:next|first|following|last|final)\s+question\s+(?:comes|is|will\s+come|today)"
    r"|question\s+(?:comes|is\s+coming)\s+from|from\s+the\s+line\s+of"
    r"|please\s+go\s+ahead|please\s+proceed|your\s+line\s+is\s+(?:now\s+)?open)",
    re.IGNORECASE,
)
_SECOND_PERSON = re.compile(r"\b(?:you|your|you're|you've|you'll)\b", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(?:we|our|us|we're|we've|we'll|I|I'm|I've|I'll|my)\b")
# Analysts hedge their restatements; company speakers state their own figures.
_ANALYST_HEDGE = re.compile(
    r"^\s*(?:it\s+looks\s+like|it\s+sounds\s+like|it\s+seems\s+like|if\s+I\s+(?:heard|understood)"
    r"|just\s+to\s+clarify|I\s+(?:was|am)\s+(?:wondering|curious|hoping))\b",
    re.IGNORECASE,
)
_INTERROGATIVE = re.compile(
    r"\bshould\s+we\s+(?:expect|think|assume|model|see)\b|\b(?:could|can|would|will|do|did)\s+you\b"
    r"|\bhow\s+should\s+we\b|\bhelp\s+us\b|\bwanted\s+to\s+ask\b"
    r"|\bmy\s+(?:first\s+|second\s+|follow-up\s+)?question\b",
    re.IGNORECASE,
)
_LOOKAHEAD = 10  # sentences an analyst's turn may take before its last question mark
_MAX_GAP = 4  # statements allowed between two question sentences of one turn


# A scan for these words runs first: it is much cheaper than the patterns on long inputs.
_GATE_WORDS = (
    "?", "you", "question", "go ahead", "proceed", "line", "it looks", "it sounds", "it seems",
    "if i ", "clarify", "i was", "i am", "should we", "help us", "ask",
)  # fmt: skip


_GATE = re.compile(trie(_GATE_WORDS))


def _may_matter(text: str, sentences: list[Sentence]) -> set[int]:
    """The sentences with one of the gate words (one scan of the lower-cased document)."""
    lower = text.lower()
    spans = [(s.start, s.end) for s in sentences]
    if len(lower) != len(text):  # a letter whose lower case is longer: offsets would drift
        return {n for n, s in enumerate(sentences) if _GATE.search(s.text.lower())}
    return sentences_with(_GATE, lower, spans)


def question_sentences(sentences: list[Sentence], text: str) -> set[int]:
    """Indices of sentences that belong to analysts' questions or to the operator."""
    excluded: set[int] = set()
    may_matter = _may_matter(text, sentences)
    for i, sentence in enumerate(sentences):
        if i not in may_matter:
            continue
        if _OPERATOR.search(sentence.text):
            excluded.add(i)
            excluded.update(range(i + 1, _turn_end(sentences, i, may_matter) + 1))
        elif is_questioning(sentence.text):
            excluded.add(i)
    return excluded


def is_questioning(text: str) -> bool:
    """A sentence that asks or addresses the company rather than speaking for it."""
    stripped = text.rstrip("\"')\u201d ")
    if stripped.endswith("?"):
        return True
    if _ANALYST_HEDGE.search(text) or _INTERROGATIVE.search(text):
        return True
    return bool(_SECOND_PERSON.search(text)) and not _FIRST_PERSON.search(text)


def _turn_end(sentences: list[Sentence], intro: int, may_matter: set[int]) -> int:
    """Index of the last sentence of the analyst turn opened at intro: the last question mark
    in a run of question sentences close to each other."""
    last = intro
    for j in range(intro + 1, min(len(sentences), intro + 1 + _LOOKAHEAD)):
        if j in may_matter and _OPERATOR.search(sentences[j].text):
            break
        if sentences[j].text.rstrip("\"')\u201d ").endswith("?"):
            if j - last > _MAX_GAP + 1 and last != intro:
                break
            last = j
    if last == intro:
        # No question mark: take the analyst's opening sentences only.
        return min(len(sentences) - 1, intro + 2)
    return last
