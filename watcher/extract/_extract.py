"""The extraction pipeline: text -> sentences -> money amounts, then for each amount a sequence
of small passes (metric -> kind -> prior -> company -> period -> tense -> change), each
returning its value and the evidence it used; then passes over the document's figures
(guidance by reference, restated outlooks, repeats). `read` returns the observations and, for
`explain`, every amount seen with the decision and its reasons."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from ._change import change_of, prior_after, priors_first, revised
from ._company import company_of
from ._document import (
    drop_headline_repeats,
    first_of_each,
    observation,
    reference_figures,
    split_restated_guidance,
)
from ._figure import Doc, Figure, Finding
from ._kind import kind_by_time, kind_of
from ._metric import metric_of, not_a_figure
from ._numbers import Amount, find_amounts
from ._period_pass import period_of
from ._periods import find_periods
from ._reading import Reading
from ._sentences import split_sentences
from ._speakers import question_sentences
from ._tables import outside_tables, read_tables, table_spans
from .companies import CompanyRegistry
from .observation import Observation
from .text import looks_like_html, to_text

Why = tuple[tuple[str, str], ...]


def extract_text(
    document: str,
    day: dt.date | None,
    registry: CompanyRegistry,
    source: str | None,
    company_hint: str | None,
) -> list[Observation]:
    return [f.observation for f in read(document, day, registry, source, company_hint)
            if f.observation is not None and f.decision == "kept"]  # fmt: skip


def read(
    document: str,
    day: dt.date | None,
    registry: CompanyRegistry,
    source: str | None,
    company_hint: str | None,
    explain: bool = False,
) -> list[Finding]:
    """The findings of a document in text order: the kept ones always, the dropped ones too
    when `explain` is set (it also reads sentences that name no metric)."""
    doc = _document(document, day, registry, source, company_hint)
    figures: list[Figure] = []
    last: list[Figure] = []  # the figures of the last sentence that had any
    dropped: list[tuple[Amount, Why]] = []
    reading = Reading(doc.text, doc.sentences)
    # No money amount comes without a digit: only explain looks at the other sentences.
    for i in range(len(doc.sentences)) if explain else reading.with_digits:
        read_it = reading.read(i)
        if not read_it and not explain:
            continue  # most sentences: asking who speaks would cost more than reading
        if i in doc.excluded:
            if explain:
                dropped += _all_dropped(doc, i, ("speaker", "said by an analyst asking a question"))
            continue
        if not read_it:
            dropped += _unread(doc, i)
            continue
        before = last if last and last[0].sentence == i - 1 else []
        found, lost = _sentence_figures(doc, i, before)
        last = found or last
        figures += found
        dropped += lost
    figures += reference_figures(doc, figures)
    figures.sort(key=lambda f: (f.quote_start, f.amount.start))
    figures, headline = drop_headline_repeats(doc, figures)
    figures, restated = split_restated_guidance(doc, figures)
    restated = headline + restated
    figures = revised(doc, figures)
    pairs: list[tuple[Observation, Why, Amount | None]] = [
        (observation(doc, f), f.why, f.amount) for f in figures
    ]
    if doc.tables:
        rows = read_tables(doc.text, registry, day, doc.default_company, source)
        pairs += [(o, (("table", f"a table row: {o.quote[:80]}"),), None) for o in rows]
        pairs.sort(key=lambda p: p[0].start or 0)
    kept, repeats = first_of_each([o for o, _, _ in pairs])
    findings = [_finding(doc, o, why, a, n in repeats) for n, (o, why, a) in enumerate(pairs)]
    if explain:
        findings += [_dropped(doc, f.amount, (*f.why, ("document", why))) for f, why in restated]
        findings += [_dropped(doc, a, why) for a, why in dropped]
        findings.sort(key=lambda f: f.start)
    else:
        findings = [f for f in findings if f.decision == "kept"]
    assert len([f for f in findings if f.decision == "kept"]) == len(kept)
    return findings


def _document(
    document: str,
    day: dt.date | None,
    registry: CompanyRegistry,
    source: str | None,
    company_hint: str | None,
) -> Doc:
    text = to_text(document)
    tables = table_spans(text)
    sentences = outside_tables(
        text, split_sentences(text, hard_newlines=looks_like_html(document)), tables
    )
    hint = registry.resolve_alias(company_hint) if company_hint else None
    doc = Doc(
        text=text,
        day=day,
        registry=registry,
        source=source,
        default_company=hint,
        default_reason=f"the feed's company {hint}",
        sentences=sentences,
        excluded=question_sentences(sentences, text),
        tables=tables,
    )
    if hint:
        return doc
    counts = Counter(m.company_id for m in doc.all_mentions())
    dominant = counts.most_common(1)[0][0] if counts else None
    doc.default_company = dominant
    doc.default_reason = f"{dominant}, the company the document names most" if dominant else "none"
    return doc


def _sentence_figures(
    doc: Doc, i: int, before: list[Figure]
) -> tuple[list[Figure], list[tuple[Amount, Why]]]:
    """Each amount of sentence i through the passes: the figures kept and the amounts
    dropped with the evidence that dropped them."""
    s = doc.sentences[i]
    amounts = find_amounts(doc.text, s.start, s.end)
    figures: list[Figure] = []
    dropped: list[tuple[Amount, Why]] = []
    if not amounts:
        return figures, dropped
    refs = find_periods(doc.text, s.start, s.end)
    replacing = priors_first(doc, s, amounts)
    priors = {n - 1: "the next figure" for n in replacing}
    for n, amount in enumerate(amounts):
        if n in priors:
            dropped.append((amount, (("prior", f"the previous outlook of {priors[n]}"),)))
            continue
        part = not_a_figure(doc, i, amount)
        if part:
            dropped.append((amount, (("metric", part),)))
            continue
        metric = metric_of(doc, i, amount)
        if metric.value is None:
            dropped.append((amount, (("metric", metric.why),)))
            continue
        name, variant = metric.value
        fig = Figure(amount, name, variant, i, quote_start=s.start, why=(("metric", metric.why),))
        left = amounts[n - 1].end if n > 0 else s.start
        right = amounts[n + 1].start if n + 1 < len(amounts) else s.end
        kind = kind_of(doc, i, amount, figures[-1] if figures else None, (left, right))
        fig = fig.step("kind", kind.why, kind=kind.value)
        if fig.kind == "guidance" and n + 1 < len(amounts):
            prior = prior_after(doc.text, amount, amounts[n + 1])
            if prior.value is not None:
                fig = fig.step("prior", prior.why, prior=prior.value)
                priors[n + 1] = "the figure before it"
        if fig.kind == "guidance" and n in replacing:
            fig = fig.step("prior", "the previous outlook, stated before it", prior=amounts[n - 1])
        company = company_of(doc, i, amount)
        fig = fig.step("company", company.why, company=company.value)
        period, why, defaulted = period_of(doc, fig, amounts, figures, refs, before)
        fig = fig.step("period", why, period=period, period_defaulted=defaulted)
        tense = kind_by_time(doc, fig)
        if tense is not None:
            fig = fig.step("kind", tense.why, kind=tense.value)
            if fig.kind == "guidance" and fig.prior is None and n + 1 < len(amounts):
                prior = prior_after(doc.text, amount, amounts[n + 1])
                if prior.value is not None:
                    fig = fig.step("prior", prior.why, prior=prior.value)
                    priors[n + 1] = "the figure before it"
        if fig.kind == "guidance":
            change = change_of(doc, s, fig)
            fig = fig.step("change", change.why, change=change.value)
        figures.append(fig)
    return figures, dropped


def _all_dropped(doc: Doc, i: int, why: tuple[str, str]) -> list[tuple[Amount, Why]]:
    s = doc.sentences[i]
    return [(a, (why,)) for a in find_amounts(doc.text, s.start, s.end)]


def _unread(doc: Doc, i: int) -> list[tuple[Amount, Why]]:
    """The amounts of a sentence that names none of our metrics, with what they are instead
    when the words say it ("revenue", "buybacks")."""
    s = doc.sentences[i]
    out: list[tuple[Amount, Why]] = []
    for amount in find_amounts(doc.text, s.start, s.end):
        why = not_a_figure(doc, i, amount) or metric_of(doc, i, amount).why
        out.append((amount, (("metric", why),)))
    return out


def _finding(doc: Doc, o: Observation, why: Why, amount: Amount | None, repeat: bool) -> Finding:
    start, end = (amount.start, amount.end) if amount else (o.start or 0, o.end or 0)
    if repeat:
        why = (*why, ("document", "the same figure was stated earlier: one observation"))
    return Finding(start, end, doc.text[start:end], "dropped" if repeat else "kept", why, o)


def _dropped(doc: Doc, amount: Amount, why: Why) -> Finding:
    return Finding(amount.start, amount.end, doc.text[amount.start : amount.end], "dropped", why)
