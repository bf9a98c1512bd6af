"""Which sentences of a document are worth reading: those with a digit (no money amount comes
without one) that name a metric, follow a sentence naming one, or spend near talk of the
build-out. Decided on demand and remembered, so that the sentences with no figure (nine in
ten of a call transcript) cost one scan for digits and nothing more."""

from __future__ import annotations

import re

from ._literals import sentences_with
from ._sentences import Sentence
from ._terms_metric import names_metric
from ._terms_spend import names_build_out, names_spending

_DIGIT = re.compile(r"\d")


class Reading:
    """The reading decisions for the sentences of one text."""

    def __init__(self, text: str, sentences: list[Sentence]) -> None:
        self._sentences = sentences
        lower = text.lower()
        # a letter whose lower case is longer would make the offsets drift: read as written
        self._lower = lower if len(lower) == len(text) else text
        spans = [(s.start, s.end) for s in sentences]
        self.with_digits = sorted(sentences_with(_DIGIT, text, spans))
        self._named: dict[int, bool] = {}
        self._build_out: dict[int, bool] = {}

    def read(self, i: int) -> bool:
        """True when sentence i is read for figures: it names a metric, the sentence before
        does, or it spends near talk of the build-out; and it has a digit."""
        return self.has_digit(i) and (
            self.named(i) or self.named(i - 1) or self._spending(i)
        )  # fmt: skip

    def has_digit(self, i: int) -> bool:
        s = self._sentences[i]
        return _DIGIT.search(s.text) is not None

    def named(self, i: int) -> bool:
        """True when sentence i names one of our metrics."""
        if i < 0:
            return False
        if i not in self._named:
            self._named[i] = names_metric(self._sentences[i].text)
        return self._named[i]

    def _spending(self, i: int) -> bool:
        """A spending word, with the build-out or a metric named in it or the two sentences
        before: read even when it names no metric, for the metric pass to judge."""
        if not names_spending(self._lower_of(i)):
            return False
        near = (k for k in (i, i - 1, i - 2) if k >= 0)
        return any(self._talks_build_out(k) or self.named(k) for k in near)

    def _talks_build_out(self, k: int) -> bool:
        if k not in self._build_out:
            self._build_out[k] = names_build_out(self._lower_of(k))
        return self._build_out[k]

    def _lower_of(self, i: int) -> str:
        s = self._sentences[i]
        return self._lower[s.start : s.end]
