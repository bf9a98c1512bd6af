"""Vocabulary: the words that name each metric, the words that name other figures (which
block a number from being read as one of ours), and the cues for guidance, estimates and
changes."""

from __future__ import annotations

import re

_I = re.IGNORECASE

# (metric, variant, pattern)
METRIC_TERMS: list[tuple[str, str | None, str]] = [
    (
        "capex",
        "cash paid for PP&E",
        r"cash\s+paid\s+for\s+(?:PP&E|property,?\s+(?:plant,?\s+)?and\s+equipment)",
    ),
    (
        "capex",
        "purchases of property and equipment",
        r"(?:purchases?|payments?)\s+(?:of|for)\s+(?:property,?\s+(?:plant,?\s+)?and\s+equipment"
        r"|PP&E|productive\s+assets)",
    ),
    ("capex", "cash capex", r"cash\s+cap[\s-]?ex\b"),
    ("capex", None, r"capital\s+expenditures?|capital\s+expenses|\bcap[\s-]?ex\b"),
    ("capex", "capital investments", r"capital\s+(?:investments?|spending|spend|outlays?)"),
    ("rpo", "commercial RPO", r"commercial\s+(?:remaining\s+performance\s+obligations?|RPO)"),
    ("rpo", None, r"remaining\s+performance\s+obligations?|\bRPO\b"),
    ("rpo", "backlog", r"\bbacklog\b"),
    (
        "ocf",
        None,
        r"operating\s+cash\s+flows?|cash\s+flows?\s+from\s+operati(?:ons|ng\s+activities)"
        r"|(?:net\s+)?cash\s+(?:provided\s+by|generated\s+(?:by|from))\s+operati(?:ons|ng\s+activities)",
    ),
]
# Figures that are not ours. "leases" inside "including finance leases" is a qualifier of
# capex, not a competing figure; that case is filtered where the match is used.
BLOCKER_TERMS = (
    r"free\s+cash\s+flows?|revenues?|\bsales\b|income|earnings|\bEPS\b|margins?|expenses|\bopex\b"
    r"|depreciation|amortization|buy\s?backs?|bought\s+back|repurchases?|repurchased|dividends?"
    r"|\bdebt\b|\bnotes\b|\bbonds?\b|borrowings?|cash\s+and\s+(?:cash\s+equivalents|marketable)"
    r"|deferred\s+revenue|bookings|headcount|run[\s-]rate|valuation|market\s+cap\w*|\bcosts?\b"
    r"|\bleases?\b|\bprofits?\b|EBITDA|\btax(?:es)?\b|liquidity|acquisitions?|purchase\s+price"
    r"|contracts?\b|\bdeals?\b|commitments?|\bfunding\b|\bequity\b|\bstake\b|\bloans?\b|\bprice\b"
    r"|shareholders|\bproceeds\b|issuance|\bfinancing\b|\bARR\b|\bGMV\b|subscriptions?|\bfines?\b|\bpenalt(?:y|ies)\b"
)
TERM_RE = re.compile(
    "|".join(f"(?P<m{i}>{p})" for i, (_, _, p) in enumerate(METRIC_TERMS))
    + f"|(?P<block>{BLOCKER_TERMS})",
    _I,
)
ANY_METRIC_RE = re.compile("|".join(p for _, _, p in METRIC_TERMS), _I)
LEASE_QUALIFIER = re.compile(
    r"(?:including|excluding|inclusive\s+of|net\s+of)\s+(?:principal\s+payments\s+(?:on|of)\s+)?"
    r"(?:finance|financed|capital)?\s*leases?",
    _I,
)

GUIDANCE_CUES = re.compile(
    r"\b(?:expect(?:s|ed|ing)?|anticipat(?:e|es|ed|ing)|outlook|guidance|guid(?:e|ed|ing)|"
    r"forecast(?:s|ed|ing)?|project(?:s|ed|ing)?|plan(?:s|ned|ning)?|intend(?:s|ed)?|"
    r"will|going\s+to|should\s+be|looking\s+at|budget(?:s|ed)?|target(?:s|ed|ing)?|aim(?:s|ing)?\s+to|"
    r"looking\s+ahead|for\s+the\s+rest\s+of|now\s+see|we\s+see|on\s+track\s+to)\b|'ll\b",
    _I,
)
# "lower than expected" describes an actual.
NOT_GUIDANCE = re.compile(
    r"\b(?:than|as)\s+(?:we\s+)?(?:expected|anticipated|forecast|planned|guided)", _I
)
RESTATED_GUIDANCE = re.compile(r"(?<!as )\b(?:we|I)\s+(?:said|guided)\b", _I)
ACTUAL_VERBS = re.compile(
    r"\b(?:was|were|is|are|had|have|has|spent|invested|reported|reached|reaching|totaled|came\s+in|"
    r"stood|ended)\b",
    _I,
)

ESTIMATE_CUES = re.compile(
    r"\banalysts?'?\b|\bconsensus\b|\bthe\s+Street\b|Wall\s+Street|\bestimates?\s+(?:from|by)\b"
    r"|according\s+to\s+(?:analysts?|estimates|data|a\s+(?:survey|note|report)|research)"
    r"|\b(?:Morgan\s+Stanley|Goldman(?:\s+Sachs)?|JPMorgan|J\.P\.\s+Morgan|Bank\s+of\s+America|BofA"
    r"|Citi(?:group)?|UBS|Barclays|Jefferies|Bernstein|Evercore|Wells\s+Fargo|Deutsche\s+Bank"
    r"|Dell'Oro|Gartner|IDC|Bloomberg\s+Intelligence|FactSet|Visible\s+Alpha|LSEG|S&P\s+Global"
    r"|Moody's)\b",
    _I,
)
PASSIVE_EXPECTED = re.compile(
    r"\b(?:is|are|was|were)\s+(?:widely\s+|now\s+)?(?:expected|forecast|projected|estimated|seen)\s+to\b",
    _I,
)
FIRST_PERSON = re.compile(r"\b(?:we|our|us|we're|we've|we'll|I|I'm|I've|I'll)\b")

REAFFIRMED = re.compile(
    r"\b(?:still\s+(?:expect|anticipate|plan|see|project|believe)s?|continues?\s+to\s+(?:expect|"
    r"anticipate|plan|project|see)|reaffirm\w*|reiterat\w*|maintain(?:s|ed|ing)?|unchanged|"
    r"remains?\s+on\s+track|no\s+change)\b",
    _I,
)
RAISED = re.compile(
    r"\b(?:rais(?:e|ed|es|ing)|increas(?:e|ed|es|ing)|lift(?:ed|s)?|boost(?:ed|s)?|hik(?:e|ed|es)|up)\b",
    _I,
)
LOWERED = re.compile(
    r"\b(?:lower(?:ed|s|ing)?|reduc(?:e|ed|es|ing)|cut(?:s|ting)?|decreas(?:e|ed|es|ing)|trimm?(?:ed|ing|s)?|slash(?:ed|es)?|down)\b",
    _I,
)
NARROWED = re.compile(r"\b(?:narrow(?:ed|s|ing)?|tighten(?:ed|s)?)\b", _I)
GUIDANCE_NOUN = re.compile(
    r"\b(?:guidance|outlook|forecast|estimate|plan|target|budget|expectations?|range|view)s?\b", _I
)
PRIOR_GAP = re.compile(
    r"\b(?:from|versus|vs\.?|compared\s+(?:to|with)|than)\b[^.;$]{0,60}?"
    r"\b(?:prior|previous|previously|earlier|original|initial|last|former|old)\b[^.;$]{0,40}?"
    r"\b(?:outlook|guidance|guide|range|estimate|forecast|expectation|projection|target|plan|view)s?\b"
    r"[^.;$\d]{0,30}$",
    _I,
)
PRIOR_AFTER = re.compile(r"\s*,?\s*(?:previously|prior|earlier|before)\b", _I)
FROM_GAP = re.compile(
    r"^\s*,?\s*(?:up|down)?\s*from\s*(?:approximately|about|around|roughly)?\s*$", _I
)

INCREMENT_BEFORE = re.compile(
    r"\b(?:up|down|by|rose|fell|grew|jumped|climbed|added|adding|add|additional|another|"
    r"incremental|extra|increase\s+of|decrease\s+of|increased|decreased|increasing|growth\s+of)\s+"
    r"(?:(?:approximately|about|roughly|nearly|around|over|more\s+than|almost|an?)\s+)?$",
    _I,
)
INCREMENT_AFTER = re.compile(r"^\s*(?:more|less|higher|lower|increase|decrease|incremental)\b", _I)
COMPONENT_BEFORE = re.compile(
    r"\b(?:including|includes|included|inclusive\s+of|of\s+which|excluding|excludes)\s+"
    r"(?:(?:approximately|about|roughly|nearly|around)\s+)?$",
    _I,
)
RIGHT_LINK = re.compile(
    r"\s*(?:(?:of|in|on|for|worth\s+of|into|toward|towards)\s+)?(?:(?:the|our|its|their|total|"
    r"annual|quarterly|cash|gross|net|AI|additional|its\s+own)\s+){0,3}",
    _I,
)
PRONOUN_SUBJECT = re.compile(
    r"\b(?:it|that|this|which)\s+(?:was|is|were|came\s+in\s+at|stood\s+at|totaled|totalled|reached)"
    r"\s+(?:(?:now|approximately|about|around|roughly|nearly)\s+)?$",
    _I,
)
REFERENCE_POINT = re.compile(
    r"\b(?:similar|same|comparable)\s+(?:levels?|amount|pace)\s+(?:to|as|of|with)\b"
    r"|\breasonably\s+representative\b|\bthat\s+run[\s-]rate\b|\bin\s+line\s+with\s+(?:that|this)\b",
    _I,
)
REFERENCE_MIN = re.compile(
    r"\bmore\s+than\s+that\b|\bhigher\s+than\s+that\b|\bat\s+or\s+above\s+(?:that|this|the\s+Q[1-4]"
    r"\s+level)\b|\bthe\s+low(?:est)?\s+quarter\b",
    _I,
)
GROUP_WORDS = re.compile(
    r"\b(?:hyperscalers|tech\s+giants|big\s+tech|magnificent\s+seven|megacaps?|cloud\s+giants|"
    r"cloud\s+providers|combined|collectively|together)\b",
    _I,
)
