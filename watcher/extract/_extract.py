"""The extraction pipeline: text -> sentences -> money amounts -> the metric, kind, company,
period and change of each amount -> observations."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, replace

from . import _revisions
from . import _terms as T
from ._numbers import Amount, find_amounts
from ._periods import FiscalCalendar, PeriodRef, Quarter, find_periods, label, shift
from ._sentences import Sentence, split_sentences
from ._speakers import question_sentences
from ._tables import outside_tables, read_tables, table_spans
from .companies import CompanyRegistry, Mention
from .observation import Observation
from .text import looks_like_html, to_text

_LEFT_WINDOW = 250
# A safety valve: no real document states more figures than this; a flood of them is noise
# (or an attack) and must not make extraction quadratic.
MAX_FIGURES = 500
_WORD = re.compile(r"[\w-]+\s+")
_CLAUSE_BREAK = re.compile(r"[,;:，；：、]")
_MENTIONED = re.compile(
    r"\b(?:mentioned|said|discussed|talked\s+about|guided|noted)\b", re.IGNORECASE
)
_DEDUPE_TOL = 0.02
# The same figure in another currency right after it: "120 billion yuan ($16.5 billion)",
# "$64 billion, or about 88 trillion won,". The words after the restatement are the figure's.
_RESTATEMENT = re.compile(
    r"\s*(?:\((?=[^()\n]{0,40}\d)[^()\n]{1,40}\)|,\s*or\s+(?=[^,;\n]{0,40}\d)[^,;\n]{1,40},)"
)


def _restatement_end(text: str, end: int, limit: int) -> int:
    """Where a figure's words go on: after a restatement in another currency, if any."""
    m = _RESTATEMENT.match(text, end, limit)
    return m.end() if m and find_amounts(text, m.start(), m.end()) else end


@dataclass
class _Doc:
    text: str
    day: dt.date | None
    registry: CompanyRegistry
    source: str | None
    default_company: str | None
    sentences: list[Sentence]
    excluded: set[int]


@dataclass
class _Figure:
    """One amount of one sentence read as one of our metrics."""

    amount: Amount
    metric: str
    variant: str | None
    sentence: int
    kind: str = "actual"
    company: str | None = None
    period: str | None = None
    change: str | None = None
    prior: Amount | None = None
    quote_start: int = 0
    period_defaulted: bool = False


def extract_text(
    document: str,
    day: dt.date | None,
    registry: CompanyRegistry,
    source: str | None,
    company_hint: str | None,
) -> list[Observation]:
    text = to_text(document)
    tables = table_spans(text)
    sentences = outside_tables(
        text, split_sentences(text, hard_newlines=looks_like_html(document)), tables
    )
    hint = registry.resolve_alias(company_hint) if company_hint else None
    doc = _Doc(
        text=text,
        day=day,
        registry=registry,
        source=source,
        default_company=hint or registry.dominant(text),
        sentences=sentences,
        excluded=question_sentences(sentences),
    )
    figures: list[_Figure] = []
    for i, sentence in enumerate(sentences):
        if i in doc.excluded:
            continue
        if not _names_metric(sentence.text) and not (
            i > 0 and _names_metric(sentences[i - 1].text)
        ):
            continue
        figures.extend(_sentence_figures(doc, i))
        if len(figures) >= MAX_FIGURES:
            break
    figures.extend(_reference_figures(doc, figures))
    figures.sort(key=lambda f: (f.quote_start, f.amount.start))
    figures = _drop_restated_guidance(doc, figures)
    _apply_revisions(doc, figures)
    observations = [_observation(doc, f) for f in figures]
    if tables:
        observations += read_tables(text, registry, day, doc.default_company, source)
        observations.sort(key=lambda o: o.start or 0)
    return _dedupe(observations)


def _names_metric(text: str) -> bool:
    return T.names_metric(text)


# --- which amounts are ours ---------------------------------------------------------------


def _sentence_figures(doc: _Doc, i: int) -> list[_Figure]:
    s = doc.sentences[i]
    amounts = find_amounts(doc.text, s.start, s.end)
    figures: list[_Figure] = []
    priors: set[int] = set()
    if not amounts:
        return figures
    mentions = doc.registry.mentions(doc.text, s.start, s.end)
    refs = find_periods(doc.text, s.start, s.end)
    replacing = _prior_first(doc.text, s, amounts)
    priors.update(n - 1 for n in replacing)
    for n, amount in enumerate(amounts):
        if n in priors or _is_increment_or_part(doc.text, s, amount):
            continue
        found = _metric_of(doc, i, amount)
        if found is None:
            continue
        metric, variant = found
        fig = _Figure(amount, metric, variant, i, quote_start=s.start)
        previous = figures[-1] if figures else None
        left = amounts[n - 1].end if n > 0 else s.start
        right = amounts[n + 1].start if n + 1 < len(amounts) else s.end
        fig.kind = _kind(doc.text, s, amount, previous, (left, right))
        if fig.kind == "guidance" and n + 1 < len(amounts):
            prior = _prior_of(doc.text, amount, amounts[n + 1])
            if prior is not None:
                fig.prior = prior
                priors.add(n + 1)
        if fig.kind == "guidance" and n in replacing:
            fig.prior = amounts[n - 1]
        fig.change = _change(doc.text, s, fig) if fig.kind == "guidance" else None
        fig.company = _company(doc, s, amount, mentions)
        _resolve_period(doc, i, fig, amounts, figures, refs)
        figures.append(fig)
    return figures


def _prior_first(text: str, s: Sentence, amounts: list[Amount]) -> set[int]:
    """Indices of figures that follow the outlook they replace: "从600亿美元上调至720亿美元",
    "600억 달러에서 700억 달러로 상향", "von 60 auf 65 Milliarden"."""
    if len(amounts) < 2:
        return set()
    if not (T.GUIDANCE_CUES.search(s.text) or T.foreign_change(s.text, s.text, "")):
        return set()
    pairs = itertools.pairwise(enumerate(amounts))
    return {n for (_, a), (n, b) in pairs if T.prior_first(text, a.start, a.end, b.start, b.end)}


def _is_increment_or_part(text: str, s: Sentence, amount: Amount) -> bool:
    before = text[max(s.start, amount.start - 40) : amount.start]
    after = text[amount.end : min(s.end, amount.end + 20)]
    return bool(
        T.INCREMENT_BEFORE.search(before)
        or T.INCREMENT_AFTER.match(after)
        or T.COMPONENT_BEFORE.search(before)
    )


def _metric_of(doc: _Doc, i: int, amount: Amount) -> tuple[str, str | None] | None:
    """The metric an amount belongs to: a term right after it ("$14 billion of capex") or the
    nearest term before it in the sentence ("Capital expenditures were $11.2 billion"); a term
    for some other figure (revenue, free cash flow, ...) that is nearer wins and rejects it."""
    s = doc.sentences[i]
    text = doc.text
    end = _restatement_end(text, amount.end, s.end)
    link = T.RIGHT_LINK.match(text, end, s.end)
    at = link.end() if link else end
    for _ in range(3):  # the term may follow after up to two other words
        right = T.TERM_RE.match(text, at, s.end)
        if right is not None:
            return _term(right)
        word = _WORD.match(text, at, s.end)
        if word is None:
            break
        at = word.end()
    after = text[amount.end : min(s.end, amount.end + 30)]
    if re.match(r"^\s*(?:in|of)\s+(?:cash|shares?|stock)\b", after, re.IGNORECASE):
        return None
    left = None
    for m in T.TERM_RE.finditer(text, max(s.start, amount.start - _LEFT_WINDOW), amount.start):
        if m.group("block") and _is_lease_qualifier(text, m):
            continue
        left = m
    if left is not None:
        return _term(left)
    # "I'll give you the backlog figure. So at the end of the quarter, it was $156.6 billion."
    before = text[max(s.start, amount.start - 40) : amount.start]
    if T.PRONOUN_SUBJECT.search(before) and i > 0 and i - 1 not in doc.excluded:
        prev = doc.sentences[i - 1]
        terms = [m for m in T.TERM_RE.finditer(text, prev.start, prev.end) if not m.group("block")]
        kinds = {_term(m)[0] for m in terms}
        if len(kinds) == 1 and not find_amounts(text, prev.start, prev.end):
            return _term(terms[-1])
    return None


def _term(m: re.Match[str]) -> tuple[str, str | None] | None:
    if m.group("block"):
        return None
    for n, (metric, variant, _) in enumerate(T.METRIC_TERMS):
        if m.group(f"m{n}"):
            return metric, variant
    return None


def _is_lease_qualifier(text: str, m: re.Match[str]) -> bool:
    window_start = max(0, m.start() - 50)
    return any(q.end() == m.end() for q in T.LEASE_QUALIFIER.finditer(text, window_start, m.end()))


# --- kind, change ---------------------------------------------------------------------------


def _kind(
    text: str,
    s: Sentence,
    amount: Amount,
    previous: _Figure | None,
    between: tuple[int, int] | None = None,
) -> str:
    """Estimate when a third party speaks; guidance when the words before the figure look
    ahead; a second figure of a sentence reads its own clause first ("..., and we have $368
    billion of backlog"), then follows the first ("..., with $16 to $18 billion of that")."""
    prefix = text[s.start : amount.start]
    # The estimate cue must not belong to a neighbouring figure ("capex was $21.4 billion,
    # above the $20.9 billion analysts expected").
    left, right = between or (s.start, s.end)
    around = text[max(left, amount.start - 100) : amount.end] + T.BEAT_MISS.sub(
        " ", text[amount.end : min(right, amount.end + 60)]
    )
    if T.ESTIMATE_CUES.search(around) and not T.FIRST_PERSON.search(around):
        return "estimate"
    if T.PASSIVE_EXPECTED.search(prefix) and not T.FIRST_PERSON.search(s.text):
        return "estimate"
    after = T.kind_after(T.clause_after(text, amount.end, right))  # verb-final languages
    if after == "estimate":
        return "estimate"
    if previous is not None and previous.sentence == _index_of(s, previous):
        local = T.NOT_GUIDANCE.sub(" ", text[previous.amount.end : amount.start])
        if T.GUIDANCE_CUES.search(local):
            return "guidance"
        if T.ACTUAL_VERBS.search(local):
            return "actual"
        return previous.kind
    cleaned = T.NOT_GUIDANCE.sub(" ", prefix)
    if T.GUIDANCE_CUES.search(cleaned) or T.RESTATED_GUIDANCE.search(cleaned):
        return "guidance"
    return after or "actual"


def _index_of(s: Sentence, fig: _Figure) -> int:
    # figures of the current sentence start inside it
    return fig.sentence if s.start <= fig.amount.start < s.end else -1


def _prior_of(text: str, amount: Amount, nxt: Amount) -> Amount | None:
    """The previous outlook stated after a guidance figure: "..., increased from our prior
    outlook of $60 to $65 billion" or "... to $85 billion from $75 billion"."""
    gap = text[amount.end : nxt.start]
    if len(gap) > 120:
        return None
    if T.PRIOR_GAP.search(gap) or T.PRIOR_AFTER.match(text, nxt.end, nxt.end + 20):
        return nxt
    before = text[max(0, amount.start - 80) : amount.start]
    if (
        T.FROM_GAP.match(gap)
        and T.GUIDANCE_NOUN.search(before)
        and (T.RAISED.search(before) or T.LOWERED.search(before))
    ):
        return nxt
    return None


def _change(text: str, s: Sentence, fig: _Figure) -> str | None:
    amount, prior = fig.amount, fig.prior
    if prior is not None:
        gap = text[amount.end : prior.start]
        before = text[max(s.start, amount.start - 80) : amount.start]
        for words in (gap, before):
            if T.NARROWED.search(words):
                return "narrowed"
            raised, lowered = T.RAISED.search(words), T.LOWERED.search(words)
            if raised and not lowered:
                return "raised"
            if lowered and not raised:
                return "lowered"
        return _compare(amount, prior)
    prefix = text[s.start : amount.start]
    clause = text[s.start : min(s.end, amount.end + 40)]
    if T.REAFFIRMED.search(prefix):
        return "reaffirmed"
    if T.NARROWED.search(clause):
        return "narrowed"
    if T.GUIDANCE_NOUN.search(clause):
        verbs = re.compile(
            r"\b(?:rais(?:e|ed|es|ing)|lift(?:ed|s)|boost(?:ed|s)|hik(?:ed|es)|increas(?:ed|es|ing)\s+"
            r"(?:its|our|their|the))\b|\b(?:lower(?:ed|s|ing)|reduc(?:ed|es|ing)|cut(?:s|ting)?|"
            r"trimm(?:ed|ing)|slash(?:ed|es))\b",
            re.IGNORECASE,
        )
        m = verbs.search(prefix)
        if m:
            return "lowered" if T.LOWERED.match(m.group(0)) else "raised"
    before = text[max(s.start, amount.start - 80) : amount.start]
    return T.foreign_change(s.text, before, T.clause_after(text, amount.end, s.end))


def _compare(cur: Amount, prior: Amount) -> str | None:
    lo1, hi1 = cur.low, cur.high
    lo0, hi0 = prior.low, prior.high
    if None in (lo1, hi1, lo0, hi0):
        ref1 = lo1 if lo1 is not None else hi1
        ref0 = lo0 if lo0 is not None else hi0
        if ref1 is None or ref0 is None:
            return None
        return "raised" if ref1 > ref0 else "lowered" if ref1 < ref0 else "reaffirmed"
    assert lo1 is not None and hi1 is not None and lo0 is not None and hi0 is not None
    if (lo1, hi1) == (lo0, hi0):
        return "reaffirmed"
    if lo1 >= lo0 and hi1 <= hi0:
        return "narrowed"
    if lo1 >= lo0 and hi1 >= hi0:
        return "raised"
    if lo1 <= lo0 and hi1 <= hi0:
        return "lowered"
    return None


# --- company ----------------------------------------------------------------------------------


def _company(doc: _Doc, s: Sentence, amount: Amount, mentions: list[Mention]) -> str | None:
    ids = {m.company_id for m in mentions}
    if T.FIRST_PERSON.search(s.text) and doc.default_company:
        return doc.default_company
    if not ids:
        window = doc.text[max(s.start, amount.start - 100) : amount.start]
        if T.GROUP_WORDS.search(window):
            return None
        return doc.default_company
    if len(ids) == 1:
        return next(iter(ids))
    if _is_list(doc.text, mentions):
        return None
    before = [m for m in mentions if m.end <= amount.start]
    return (before[-1] if before else mentions[0]).company_id


def _is_list(text: str, mentions: list[Mention]) -> bool:
    """Companies named together ("Microsoft, Alphabet and Meta"): a figure about the group."""
    run = 1
    for a, b in itertools.pairwise(mentions):
        gap = text[a.end : b.start]
        if T.LIST_GAP.fullmatch(gap) and a.company_id != b.company_id:
            run += 1
            if run >= 2:
                return True
        else:
            run = 1
    return False


# --- period -----------------------------------------------------------------------------------


def _resolve_period(
    doc: _Doc,
    i: int,
    fig: _Figure,
    amounts: list[Amount],
    done: list[_Figure],
    refs: list[PeriodRef],
) -> None:
    # A figure for several companies together is on the calendar year, not on one's fiscal year.
    cal = FiscalCalendar(doc.registry.fiscal_year_end_month(fig.company))
    ref = _nearest_ref(doc.text, refs, fig.amount, amounts, fig.prior)
    span = None
    if ref is not None and ref.kind == "same_period":
        ref = _opening_ref(doc, i - 1, any_position=True)
    if ref is not None and ref.kind == "last_year" and not ref.comparison:
        earlier = [f for f in done if f.sentence == i and f.metric == fig.metric and f.period]
        if earlier:
            span = _shift_label(earlier[-1].period, -4)
    if span is None and ref is not None:
        resolved = ref.resolve(cal, doc.day, fig.kind == "guidance")
        span = label(*resolved) if resolved else None
    if ref is None and fig.kind == "actual":
        ref = _opening_ref(doc, i - 1, any_position=False)
        if ref is not None:
            resolved = ref.resolve(cal, doc.day, False)
            span = label(*resolved) if resolved else None
        elif doc.day is not None:
            span = label(cal.reported_quarter(doc.day))
            fig.period_defaulted = True
    fig.period = span
    _fix_kind_by_time(doc, fig, cal)


def _nearest_ref(
    text: str, refs: list[PeriodRef], amount: Amount, amounts: list[Amount], prior: Amount | None
) -> PeriodRef | None:
    best, best_distance = None, None
    for ref in refs:
        if ref.comparison and ref.kind not in ("last_year",):
            continue
        lo, hi = (
            sorted((ref.end, amount.start))
            if ref.end <= amount.start
            else (_restatement_end(text, amount.end, ref.start), ref.start)
        )
        if any(
            lo <= a.start and a.end <= hi for a in amounts if a is not amount and a is not prior
        ):
            continue  # another figure stands between them
        if ref.start >= amount.end and _CLAUSE_BREAK.search(text, lo, hi):
            continue  # a period after the figure belongs to it only within its clause
        distance = hi - lo
        if ref.end <= amount.start:
            distance = int(distance * 1.2)  # a period after the figure binds a little tighter
        if best_distance is None or distance < best_distance:
            best, best_distance = ref, distance
    return best


def _opening_ref(doc: _Doc, j: int, any_position: bool) -> PeriodRef | None:
    """The period a sentence opens with ("Over the last four quarters, ..."), which carries
    over to the next sentence when that one names none."""
    if j < 0 or j in doc.excluded:
        return None
    prev = doc.sentences[j]
    refs = [r for r in find_periods(doc.text, prev.start, prev.end) if not r.comparison]
    if not refs:
        return None
    if any_position:
        return refs[0]
    head = doc.text[prev.start : refs[0].start]
    if re.fullmatch(
        r"\s*(?:(?:and|so|also|now|in|over|for|during|through|at)\s+)*(?:the\s+)?",
        head,
        re.IGNORECASE,
    ):
        tail = doc.text[refs[0].end : refs[0].end + 2]
        if tail.startswith(","):
            return refs[0]
    return None


def _shift_label(period: str | None, quarters: int) -> str | None:
    m = re.fullmatch(r"FY(\d{4})(?:-Q([1-4]))?", period or "")
    if not m:
        return None
    if m.group(2) is None:
        return f"FY{int(m.group(1)) + quarters // 4}"
    q: Quarter = shift((int(m.group(1)), int(m.group(2))), quarters)
    return label(q)


def _fix_kind_by_time(doc: _Doc, fig: _Figure, cal: FiscalCalendar) -> None:
    """A figure for a period still to come is an outlook; one for a period already reported
    is an actual, whatever the verbs say."""
    if doc.day is None or fig.period is None or fig.kind == "estimate":
        return
    m = re.fullmatch(r"FY(\d{4})(?:-Q([1-4]))?(?:-FY(\d{4})(?:-Q([1-4]))?)?", fig.period)
    if not m:
        return
    reported = cal.reported_quarter(doc.day)
    first: Quarter = (int(m.group(1)), int(m.group(2) or 1))
    last_year = int(m.group(3) or m.group(1))
    last_q = int(m.group(4) or (m.group(2) if m.group(3) is None and m.group(2) else 4))
    last: Quarter = (last_year, last_q)
    if fig.kind == "actual" and first > reported:
        fig.kind = "guidance"
    elif fig.kind == "guidance" and last <= reported and fig.prior is None:
        fig.kind = "actual"
        fig.change = None


# --- guidance given by reference to the previous sentence --------------------------------------


def _reference_figures(doc: _Doc, figures: list[_Figure]) -> list[_Figure]:
    """ "CapEx was $13 billion in Q3. We expect Q4 CapEx at similar levels to Q3." gives Q4
    guidance of $13 billion: a guidance that states its figure only by reference, with the
    figure in the immediately preceding sentence of the same speaker."""
    by_sentence: dict[int, list[_Figure]] = {}
    for f in figures:
        by_sentence.setdefault(f.sentence, []).append(f)
    out: list[_Figure] = []
    for i, s in enumerate(doc.sentences):
        if i == 0 or i in doc.excluded or i - 1 in doc.excluded or i in by_sentence:
            continue
        point, floor = T.REFERENCE_POINT.search(s.text), T.REFERENCE_MIN.search(s.text)
        if not (point or floor) or not T.GUIDANCE_CUES.search(s.text):
            continue
        terms = [m for m in T.TERM_RE.finditer(s.text) if not m.group("block")]
        prev = by_sentence.get(i - 1, [])
        if not terms or len(prev) != 1 or find_amounts(doc.text, s.start, s.end):
            continue
        base = prev[0]
        if _term(terms[0]) is None or _term(terms[0])[0] != base.metric:
            continue
        value = base.amount.low if base.amount.low is not None else base.amount.high
        high = None if floor and not point else value
        amount = Amount(
            base.amount.start, base.amount.end, value, high, base.amount.currency, "exact", True
        )
        fig = _Figure(
            amount,
            base.metric,
            base.variant,
            i,
            "guidance",
            base.company,
            quote_start=doc.sentences[i - 1].start,
        )
        fig.change = (T.REAFFIRMED.search(s.text) and "reaffirmed") or None
        cal = FiscalCalendar(doc.registry.fiscal_year_end_month(fig.company))
        fig.period = _reference_period(doc, s, cal, base.period)
        out.append(fig)
    return out


def _reference_period(doc: _Doc, s: Sentence, cal: FiscalCalendar, base: str | None) -> str | None:
    """The period of a guidance by reference: the first one named that is not the period of
    the figure referred to ("We expect Q2 capex to be representative of ... the back half")."""
    for ref in find_periods(doc.text, s.start, s.end):
        as_actual = ref.resolve(cal, doc.day, False)
        if ref.comparison or (as_actual and label(*as_actual) == base):
            continue
        resolved = ref.resolve(cal, doc.day, True)
        return label(*resolved) if resolved else None
    return None


# --- output -------------------------------------------------------------------------------------


def _observation(doc: _Doc, f: _Figure) -> Observation:
    s = doc.sentences[f.sentence]
    start = min(f.quote_start, s.start)
    return Observation(
        company=f.company,
        metric=f.metric,
        kind=f.kind,
        period=f.period,
        low=f.amount.low,
        high=f.amount.high,
        currency=f.amount.currency,
        change=f.change,
        prior_low=f.prior.low if f.prior else None,
        prior_high=f.prior.high if f.prior else None,
        quote=doc.text[start : s.end],
        source=doc.source,
        variant=f.variant,
        start=start,
        end=s.end,
    )


def _apply_revisions(doc: _Doc, figures: list[_Figure]) -> None:
    """A guidance with no change word gets one from a comparison with what the speaker
    thought before: after the figure in its sentence, in the speaker's next sentence when that
    points back at it, or next to a restatement of the same figure elsewhere in the call."""
    open_ = [f for f in figures if f.kind == "guidance" and f.change is None]
    if not open_:
        return
    spans = [(s.start, s.end) for n, s in enumerate(doc.sentences) if n not in doc.excluded]
    restated = _revisions.restatements(doc.text, spans)
    for f in open_:
        s = doc.sentences[f.sentence]
        f.change = _revisions.direction(doc.text, f.amount.end, s.end)
        nxt = f.sentence + 1
        if f.change is None and nxt < len(doc.sentences) and nxt not in doc.excluded:
            n = doc.sentences[nxt]
            if _revisions.points_back(n.text) and not find_amounts(doc.text, n.start, n.end):
                f.change = _revisions.direction(doc.text, n.start, n.end)
        if f.change is None:
            hits = {
                r.change
                for r in restated
                if _revisions.matches(r.values, f.amount.low, f.amount.high)
            }
            f.change = hits.pop() if len(hits) == 1 else None


def _drop_restated_guidance(doc: _Doc, figures: list[_Figure]) -> list[_Figure]:
    """ "So the $75 billion in CapEx I mentioned for this year ..." repeats an outlook given
    earlier; read as an actual it would be a false report."""
    kept: list[_Figure] = []
    for f in figures:
        restated = f.kind == "actual" and any(
            k.kind == "guidance"
            and k.metric == f.metric
            and k.company == f.company
            and (_close(k.amount.low, f.amount.low) or _close(k.amount.high, f.amount.high))
            for k in kept
        )
        if restated and (f.period_defaulted or _MENTIONED.search(doc.sentences[f.sentence].text)):
            continue
        kept.append(f)
    return kept


def _close(a: int | None, b: int | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= _DEDUPE_TOL * max(abs(a), abs(b))


def _dedupe(observations: list[Observation]) -> list[Observation]:
    """The same figure said again (in the Q&A, rounded) is one observation, the first."""
    kept: list[Observation] = []
    for o in observations:
        duplicate = any(
            k.company == o.company
            and k.metric == o.metric
            and k.kind == o.kind
            and (
                k.period == o.period or o.period is None or k.period is None or k.kind == "guidance"
            )
            and (_close(k.low, o.low) or _close(k.high, o.high))
            and (k.low is not None or o.low is None)
            for k in kept
        )
        if not duplicate:
            kept.append(o)
    return kept


def with_source(observations: list[Observation], source: str | None) -> list[Observation]:
    return [replace(o, source=source) for o in observations]
