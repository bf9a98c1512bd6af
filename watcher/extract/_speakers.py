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


# A sentence is looked at only when it has one of these words (a literal scan, much cheaper
# than the patterns); the operator's hand-offs all have one of the first four.
_GATE_WORDS = (
    "question", "line", "go ahead", "proceed",
    "?", "you", "it looks", "it sounds", "it seems", "if i ", "clarify", "i was", "i am",
    "should we", "help us", "ask",
)  # fmt: skip
_GATE = re.compile(trie(_GATE_WORDS))
_OPERATOR_GATE = re.compile(trie(_GATE_WORDS[:4]))


class QuestionTurns:
    """The sentences that belong to analysts' questions or to the operator, as a set one asks
    `i in turns`. The operator's hand-offs (and the analyst turns they open) are found for the
    whole document at once, with one literal scan; whether a sentence asks a question is
    decided only for the sentences the passes ask about: most sentences hold no figure."""

    def __init__(self, sentences: list[Sentence], text: str) -> None:
        self._sentences = sentences
        lower = text.lower()
        # a letter whose lower case is longer would make the offsets drift
        self._lower = lower if len(lower) == len(text) else None
        self._asked: dict[int, bool] = {}
        spans = [(s.start, s.end) for s in sentences]
        scan = self._lower if self._lower is not None else text
        operators = {
            n for n in sentences_with(_OPERATOR_GATE, scan, spans)
            if self._may_matter(n) and _OPERATOR.search(sentences[n].text)
        }  # fmt: skip
        self._turns = set(operators)
        for n in operators:
            self._turns.update(range(n + 1, _turn_end(sentences, n, operators) + 1))

    def __contains__(self, i: object) -> bool:
        if not isinstance(i, int) or not 0 <= i < len(self._sentences):
            return False
        if i in self._turns:
            return True
        if i not in self._asked:
            self._asked[i] = self._may_matter(i) and is_questioning(self._sentences[i].text)
        return self._asked[i]

    def _may_matter(self, n: int) -> bool:
        s = self._sentences[n]
        lower = self._lower[s.start : s.end] if self._lower is not None else s.text.lower()
        return _GATE.search(lower) is not None


def question_sentences(sentences: list[Sentence], text: str) -> QuestionTurns:
    """The sentences that belong to analysts' questions or to the operator (see
    `QuestionTurns`)."""
    return QuestionTurns(sentences, text)


def is_questioning(text: str) -> bool:
    """A sentence that asks or addresses the company rather than speaking for it."""
    stripped = text.rstrip("\"')\u201d ")
    if stripped.endswith("?"):
        return True
    if _ANALYST_HEDGE.search(text) or _INTERROGATIVE.search(text):
        return True
    return bool(_SECOND_PERSON.search(text)) and not _FIRST_PERSON.search(text)


def _turn_end(sentences: list[Sentence], intro: int, operators: set[int]) -> int:
    """Index of the last sentence of the analyst turn opened at intro: the last question mark
    in a run of question sentences close to each other."""
    last = intro
    for j in range(intro + 1, min(len(sentences), intro + 1 + _LOOKAHEAD)):
        if j in operators:
            break
        if sentences[j].text.rstrip("\"')\u201d ").endswith("?"):
            if j - last > _MAX_GAP + 1 and last != intro:
                break
            last = j
    if last == intro:
        # No question mark: take the analyst's opening sentences only.
        return min(len(sentences) - 1, intro + 2)
    return last
