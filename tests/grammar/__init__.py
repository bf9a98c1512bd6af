"""A grammar of labelled sentences for measuring whether the extractor generalises: figures of
capital expenditure, operating cash flow and RPO/backlog as news, releases and call quotes
write them in English, Korean, Chinese, Japanese, Spanish and German, each with the
observations a careful analyst would record (DESIGN.md, labelling guide).

    cases = build_cases(seed)          # ~5,000 Case(text, date, expected, family, lang, ...)
    python -m tests.grammar --report --failures /tmp/grammar_failures.txt
"""

from __future__ import annotations

import random

from . import de, en, es, ja, ko, zh
from .core import FAMILIES, LANGS, Case, Obs, sample

__all__ = ["DEFAULT_SEED", "FAMILIES", "LANGS", "LANGUAGES", "Case", "Obs", "build_cases"]

DEFAULT_SEED = 20250101
LANGUAGES = {lang.code: lang for lang in (en.EN, ko.KO, zh.ZH, ja.JA, es.ES, de.DE)}

# cases per family; English, the language of most sources, gets about twice the others
_PER_FAMILY = {
    "guidance": 100,
    "news": 190,
    "prior": 140,
    "actual": 150,
    "estimate": 90,
    "discourse": 60,
    "negative": 120,
}
_ENGLISH_FACTOR = 2


def build_cases(seed: int = DEFAULT_SEED) -> list[Case]:
    """Every case of every language and family. Each (language, family) draws from its own
    generator seeded from `seed`, so editing one language's templates leaves the others'
    cases as they were."""
    cases: list[Case] = []
    for code in LANGS:
        lang = LANGUAGES[code]
        for family in FAMILIES:
            n = _PER_FAMILY[family] * (_ENGLISH_FACTOR if code == "en" else 1)
            rng = random.Random(f"{seed}/{code}/{family}")
            cases.extend(sample(lang, family, n, rng))
    return cases
