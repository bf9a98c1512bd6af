"""The prior and change passes: the previous outlook a guidance replaces, stated before it
("from $60 billion to $72 billion", "600억 달러에서 700억 달러로") or after it ("..., up from
our prior outlook of $60 to $65 billion"), and the change the text states (raised, lowered,
reaffirmed, narrowed) or that the comparison with the prior shows."""

from __future__ import annotations

import itertools
import re

from . import _revisions
from . import _terms as T
from ._figure import Doc, Figure, Found, quoted
from ._numbers import Amount, find_amounts
from ._sentences import Sentence

_PRIOR_GAP_MAX = 120
_THIRD_PERSON_CHANGE = re.compile(
    r"\b(?:rais(?:e|ed|es|ing)|lift(?:ed|s)|boost(?:ed|s)|hik(?:ed|es)|increas(?:ed|es|ing)\s+"
    r"(?:its|our|their|the))\b|\b(?:lower(?:ed|s|ing)|reduc(?:ed|es|ing)|cut(?:s|ting)?|"
    r"trimm(?:ed|ing)|slash(?:ed|es))\b",
    re.IGNORECASE,
)

# "we are increasing our investment in capital expenditures in 2025 to approximately $85
# billion": a guidance moved to the figure.
_MOVED_TO = re.compile(
    r"\b(rais(?:e|ed|es|ing)|increas(?:e|ed|es|ing)|lift(?:ed|s|ing)?|boost(?:ed|s|ing)?"
    r"|hik(?:e|ed|es|ing)|bump(?:ed|s|ing)?\s+up|up(?:ped|s|ping)|lower(?:ed|s|ing)?"
    r"|reduc(?:e|ed|es|ing)|cut(?:s|ting)?|trimm?(?:ed|ing|s)?|slash(?:ed|es|ing)?"
    r"|(?:pare[sd]?|paring|scal(?:e|ed|es|ing)|dial(?:ed|led|s|ing)?|ratchet(?:ed|s|ing)?"
    r"|revis(?:e|ed|es|ing))\s+"
    r"(?:back|down|up))\b"
    r"[^.;$]{0,100}?\bto\s+(?:a\s+range\s+of\s+|between\s+)?(?:(?:approximately|about|around"
    r"|roughly|nearly|some|as\s+much\s+as|as\s+high\s+as|as\s+low\s+as|at\s+least|up\s+to|over"
    r"|more\s+than|less\s+than|no\s+more\s+than|in\s+excess\s+of|north\s+of|upwards\s+of|above"
    r"|below|under|close\s+to|just\s+(?:over|under|shy\s+of)|well\s+(?:over|above))\s+)?$",
    re.IGNORECASE,
)

# "... is down from $24 billion", ", up from the $75 billion it forecast in April": the figure
# a guidance moved from; but "up from $83 billion in 2024" is last year's actual.
_FROM_FIGURE = re.compile(
    r"(?:\s+(?:in|for)\s+(?:the\s+)?(?:fiscal\s+|calendar\s+|full\s+)?(?:year\s+)?(?:20\d\d|FY\s?\d{2,4}"
    r"|year|this\s+year|next\s+year))?"
    r"\s*[,(]?\s*(?:(?:which|that)\s+)?(?:(?:is|was|are|were|has\s+been|had\s+been)\s+)?"
    r"(?:(?:up|down|higher|lower|raised|increased|lifted|lowered|reduced|cut|trimmed|revised|changed)"
    r"\s+)?from\s+(?:(?:the|a|an|its|their|our|his|her)\s+)?(?:(?:approximately|about|around"
    r"|roughly|nearly|earlier|previous|prior|former|original|initial|between|range\s+of)\s+)*",
    re.IGNORECASE,
)
_YEAR_AGO = re.compile(
    r"[^,;.]{0,30}?\b(?:(?:in|for|during)\s+(?:the\s+)?(?:fiscal\s+|calendar\s+)?(?:year\s+)?(?:20\d\d|FY)"
    r"|(?:last|prior|previous)\s+(?:fiscal\s+)?(?:year|quarter)|a\s+year\s+(?:earlier|ago|before)"
    r"|year[\s-]+(?:earlier|ago)|the\s+(?:same|year-ago|prior-year)\s+(?:period|quarter))",
    re.IGNORECASE,
)

# "..., an increase from our prior outlook", "below our previous guidance".
_VERSUS_PRIOR = re.compile(
    r"\b(up|down|higher|lower|more|less|above|below|increase[sd]?|decrease[sd]?|raised|lowered|cut"
    r"|reduction|reduced|rise|decline)\b[^.;$\d]{0,24}?\b(?:from|than|versus|vs\.?|compared\s+"
    r"(?:to|with)|on)?\s*(?:our|the|its|their)\s+(?:prior|previous|earlier|original|initial|last)\s+"
    r"(?:outlook|guidance|forecast|estimate|projection|plan|view|target|budget)",
    re.IGNORECASE,
)
_LOWER_MOVE = re.compile(
    r"lower|reduc|cut|trim|slash|par(?:e|ed|es|ing)\s|scal\w*\s+(?:back|down)|dial\w*\s+(?:back|down)"
    r"|ratchet\w*\s+down|revis\w*\s+down",
    re.IGNORECASE,
)
_DOWN = re.compile(r"down|lower|less|below|decrease|lowered|cut|reduc|decline", re.IGNORECASE)
_KEPT_AFTER = re.compile(
    r"[\s,\"'”’)]{0,4}(?:(?:is|was|are|were|remains?|remained|stays?|stayed|has\s+been|have\s+been)"
    r"\s+)?(?:unchanged|intact|the\s+same|on\s+track|reaffirmed|reiterated|confirmed|maintained)\b",
    re.IGNORECASE,
)
_HAD_FORECAST = re.compile(
    r"\b(?:having|after|had)\s+(?:previously\s+|initially\s+|earlier\s+)?(?:forecast(?:ed|ing)?"
    r"|guided|guiding|projected|projecting|expected|expecting|estimated|estimating|predicted)"
    r"(?:\s+(?:to|of|for|at))?\s+(?:(?:approximately|about|around|roughly|nearly|some)\s+)?$",
    re.IGNORECASE,
)
_AS_PRIOR = re.compile(
    r"\s*(?:in|as|for)\s+(?:its|their|our|the|a)\s+(?:previous|prior|earlier|original|initial"
    r"|last|former)\s+(?:outlook|guidance|forecast|estimate|projection|plan|view|target)",
    re.IGNORECASE,
)


def priors_first(doc: Doc, s: Sentence, amounts: list[Amount]) -> set[int]:
    """Indices of figures that follow the outlook they replace: "从600亿美元上调至720亿美元",
    "600억 달러에서 700억 달러로 상향", "von 60 auf 65 Milliarden"."""
    if len(amounts) < 2:
        return set()
    if not (
        T.GUIDANCE_CUES.search(s.text)
        or T.GUIDANCE_NOUN.search(s.text)
        or T.foreign_change(s.text, s.text, "")
    ):
        return set()
    pairs = itertools.pairwise(enumerate(amounts))
    text = doc.text
    return {
        n
        for (_, a), (n, b) in pairs
        if T.prior_first(text, a.start, a.end, b.start, b.end) or _stated_as_prior(text, a, b)
    }


def _stated_as_prior(text: str, old: Amount, new: Amount) -> bool:
    """ "Having forecast 144 billion yuan in its previous outlook, X now expects ...": an
    earlier figure of the sentence named as the outlook before."""
    if new.start - old.end > 160:
        return False
    return bool(
        _HAD_FORECAST.search(text, max(0, old.start - 40), old.start)
        or _AS_PRIOR.match(text, old.end, new.start)
    )


def prior_after(text: str, amount: Amount, nxt: Amount) -> Found[Amount | None]:
    """The previous outlook stated after a guidance figure: "..., increased from our prior
    outlook of $60 to $65 billion" or "... to $85 billion from $75 billion"."""
    gap = text[amount.end : nxt.start]
    if len(gap) > _PRIOR_GAP_MAX:
        return Found(None, "")
    m = T.PRIOR_GAP.search(gap) or T.PRIOR_AFTER.match(text, nxt.end, nxt.end + 60)
    if m:
        return Found(nxt, f"the prior outlook, stated after it: {quoted(m.group(0))}")
    words = T.prior_after_es(text, amount.start, amount.end, nxt.start, nxt.end)
    if words:
        return Found(nxt, f"the figure it was changed from: {quoted(words)}")
    m = _FROM_FIGURE.fullmatch(gap)
    if m and not _YEAR_AGO.match(text, nxt.end, min(len(text), nxt.end + 60)):
        return Found(nxt, f"the figure it moved from: {quoted(gap)}")
    before = text[max(0, amount.start - 80) : amount.start]
    if (
        T.FROM_GAP.match(gap)
        and T.GUIDANCE_NOUN.search(before)
        and (T.RAISED.search(before) or T.LOWERED.search(before))
    ):
        return Found(nxt, f"the figure it was changed from: {quoted(gap)}")
    return Found(None, "")


def change_of(doc: Doc, s: Sentence, fig: Figure) -> Found[str | None]:
    text = doc.text
    amount, prior = fig.amount, fig.prior
    if prior is not None:
        gap = text[amount.end : prior.start] if prior.start >= amount.end else ""
        before = text[max(s.start, amount.start - 80) : amount.start]
        for words in (gap, before):
            m = T.NARROWED.search(words)
            if m:
                return Found("narrowed", f"{quoted(m.group(0))}")
            raised, lowered = T.RAISED.search(words), T.LOWERED.search(words)
            if raised and not lowered:
                return Found("raised", f"{quoted(raised.group(0))}")
            if lowered and not raised:
                return Found("lowered", f"{quoted(lowered.group(0))}")
        # "elevó su previsión ... a 66.000-72.000 millones, desde los 64.000-72.000": the verb
        # says raised where the ranges alone would read narrowed.
        wide = text[max(s.start, amount.start - 160) : amount.start]
        change = T.foreign_change(wide, wide, gap)
        if change in ("raised", "lowered"):
            return Found(change, "the change word of the sentence")
        compared = compare(amount, prior)
        return Found(compared, f"compared with the prior figure: {compared or 'no clear move'}")
    prefix = text[s.start : amount.start]
    clause = text[s.start : min(s.end, amount.end + 40)]
    m = T.REAFFIRMED.search(prefix) or _KEPT_AFTER.match(text, amount.end, s.end)
    if m:
        return Found("reaffirmed", f"{quoted(m.group(0))}")
    m = T.NARROWED.search(clause)
    if m:
        return Found("narrowed", f"{quoted(m.group(0))}")
    if T.GUIDANCE_NOUN.search(clause):
        m = _THIRD_PERSON_CHANGE.search(prefix)
        if m:
            change = "lowered" if T.LOWERED.match(m.group(0)) else "raised"
            return Found(change, f"{quoted(m.group(0))} the outlook")
    m = _VERSUS_PRIOR.search(text, amount.end, s.end)
    if m:
        change = "lowered" if _DOWN.match(m.group(1)) else "raised"
        return Found(change, f"{quoted(m.group(0))}")
    m = _MOVED_TO.search(prefix)
    if m:
        change = "lowered" if _LOWER_MOVE.match(m.group(1)) else "raised"
        return Found(change, f"{quoted(m.group(1))} ... to the figure")
    # A verb before its object ("recortó su previsión de inversión en bienes de capital para el
    # actual ejercicio fiscal a ...") may stand far from the figure, but not past another one.
    start = max(s.start, amount.start - 160)
    earlier = [a.end for a in find_amounts(text, start, amount.start) if a.end <= amount.start]
    before = text[max([start, *earlier]) : amount.start]
    change = T.foreign_change(s.text, before, T.clause_after(text, amount.end, s.end))
    if change:
        return Found(change, "the change word of the sentence")
    return Found(None, "no change stated")


def compare(cur: Amount, prior: Amount) -> str | None:
    lo1, hi1 = cur.low, cur.high
    lo0, hi0 = prior.low, prior.high
    if lo1 is None or hi1 is None or lo0 is None or hi0 is None:
        ref1 = lo1 if lo1 is not None else hi1
        ref0 = lo0 if lo0 is not None else hi0
        if ref1 is None or ref0 is None:
            return None
        return "raised" if ref1 > ref0 else "lowered" if ref1 < ref0 else "reaffirmed"
    if (lo1, hi1) == (lo0, hi0):
        return "reaffirmed"
    if lo1 >= lo0 and hi1 <= hi0:
        return "narrowed"
    if lo1 >= lo0 and hi1 >= hi0:
        return "raised"
    if lo1 <= lo0 and hi1 <= hi0:
        return "lowered"
    return None


def revised(doc: Doc, figures: list[Figure]) -> list[Figure]:
    """A guidance with no change word gets one from a comparison with what the speaker
    thought before: after the figure in its sentence, in the speaker's next sentence when that
    points back at it, or next to a restatement of the same figure elsewhere in the call."""
    if not any(f.kind == "guidance" and f.change is None for f in figures):
        return figures
    spans = [(s.start, s.end) for s in doc.sentences]
    restated = _revisions.restatements(doc.text, spans, skip=doc.excluded)
    return [_revision(doc, f, restated) if f.kind == "guidance" and f.change is None else f
            for f in figures]  # fmt: skip


def _revision(doc: Doc, f: Figure, restated: list[_revisions.Restatement]) -> Figure:
    s = doc.sentences[f.sentence]
    change = _revisions.direction(doc.text, f.amount.end, s.end)
    if change:
        return f.step("change", f"{change}: compared with what was expected before", change=change)
    nxt = f.sentence + 1
    if nxt < len(doc.sentences) and nxt not in doc.excluded:
        n = doc.sentences[nxt]
        if _revisions.points_back(n.text) and not find_amounts(doc.text, n.start, n.end):
            change = _revisions.direction(doc.text, n.start, n.end)
            if change:
                return f.step("change", f"{change}: the next sentence compares", change=change)
    hits = {r.change for r in restated if _revisions.matches(r.values, f.amount.low, f.amount.high)}
    if len(hits) == 1:
        change = hits.pop()
        return f.step("change", f"{change}: where the figure is said again", change=change)
    return f
