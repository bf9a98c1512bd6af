"""Vocabulary: the words that name each metric, the words that name other figures (which
block a number from being read as one of ours), and the cues for guidance, estimates and
changes. One name for the passes to read it by (`from . import _terms as T`); the words live
in one module per role:

- `_terms_metric`: the metric words and the blockers, and the sentences that name a metric;
- `_terms_kind`: guidance, actual and estimate cues;
- `_terms_change`: raised, lowered, narrowed, reaffirmed, and the prior outlook;
- `_terms_context`: increments, components, links and references beside a figure;
- `_terms_spend`: spending words outside the metric vocabulary, and one site's investment.
"""

from __future__ import annotations

from ._terms_change import (
    FROM_GAP,
    GUIDANCE_NOUN,
    LOWERED,
    NARROWED,
    PRIOR_AFTER,
    PRIOR_GAP,
    RAISED,
    REAFFIRMED,
    foreign_change,
    prior_after_es,
    prior_first,
)
from ._terms_context import (
    COMPONENT_BEFORE,
    GROUP_WORDS,
    INCREMENT_AFTER,
    INCREMENT_BEFORE,
    LIST_GAP,
    PRONOUN_SUBJECT,
    REFERENCE_MIN,
    REFERENCE_POINT,
    RIGHT_LINK,
)
from ._terms_kind import (
    ACTUAL_VERBS,
    BEAT_MISS,
    ESTIMATE_AFTER,
    ESTIMATE_CUES,
    ESTIMATE_LEAD,
    FIRST_PERSON,
    GUIDANCE_AFTER,
    GUIDANCE_CUES,
    LABEL_OF_NEXT,
    NOT_GUIDANCE,
    PASSIVE_EXPECTED,
    RESTATED_GUIDANCE,
    clause_after,
    kind_after,
)
from ._terms_metric import (
    ANY_METRIC_RE,
    BLOCKER_TERMS,
    LEASE_QUALIFIER,
    METRIC_TERMS,
    TERM_RE,
    names_metric,
)
from ._terms_spend import (
    SITE_COMPONENT,
    SPEND_AFTER,
    SPEND_CONTEXT,
    SPEND_OTHER,
    SPEND_TARGET,
    SPEND_WORDS,
    site_component,
)

__all__ = [
    "ACTUAL_VERBS",
    "ANY_METRIC_RE",
    "BEAT_MISS",
    "BLOCKER_TERMS",
    "COMPONENT_BEFORE",
    "ESTIMATE_AFTER",
    "ESTIMATE_CUES",
    "ESTIMATE_LEAD",
    "FIRST_PERSON",
    "FROM_GAP",
    "GROUP_WORDS",
    "GUIDANCE_AFTER",
    "GUIDANCE_CUES",
    "GUIDANCE_NOUN",
    "INCREMENT_AFTER",
    "INCREMENT_BEFORE",
    "LABEL_OF_NEXT",
    "LEASE_QUALIFIER",
    "LIST_GAP",
    "LOWERED",
    "METRIC_TERMS",
    "NARROWED",
    "NOT_GUIDANCE",
    "PASSIVE_EXPECTED",
    "PRIOR_AFTER",
    "PRIOR_GAP",
    "PRONOUN_SUBJECT",
    "RAISED",
    "REAFFIRMED",
    "REFERENCE_MIN",
    "REFERENCE_POINT",
    "RESTATED_GUIDANCE",
    "RIGHT_LINK",
    "SITE_COMPONENT",
    "SPEND_AFTER",
    "SPEND_CONTEXT",
    "SPEND_OTHER",
    "SPEND_TARGET",
    "SPEND_WORDS",
    "TERM_RE",
    "clause_after",
    "foreign_change",
    "kind_after",
    "names_metric",
    "prior_after_es",
    "prior_first",
    "site_component",
]
