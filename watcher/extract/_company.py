"""The company pass: which company a figure is about, from the names in its sentence, a
pointer back to the company of the sentence before ("the company", "the search giant"), the
first person of a company's own release or call, or the company the document is about."""

from __future__ import annotations

import re

from . import _terms as T
from ._figure import Doc, Found, quoted
from ._numbers import Amount
from .companies import Mention

# Words that point back to a company named before: "the company", "the search giant",
# "the iPhone maker", "its".
_POINTER = re.compile(
    r"\b(?:the\s+(?:company|firm|group|(?:[\w-]+\s+){0,2}(?:giant|maker|titan|leader|provider"
    r"|operator|owner|parent|retailer|designer|manufacturer|chipmaker|foundry|hyperscaler))|its)\b"
    r"|该公司|該公司|同社|이\s?회사|\b(?:la\s+(?:compañía|empresa|firma)|el\s+grupo|der\s+Konzern"
    r"|das\s+Unternehmen|die\s+Firma)\b",
    re.IGNORECASE,
)


def company_of(doc: Doc, i: int, amount: Amount) -> Found[str | None]:
    s = doc.sentences[i]
    mentions = doc.mentions(i)
    person = T.FIRST_PERSON.search(s.text)
    if person and doc.default_company:
        return Found(
            doc.default_company,
            f"the speaker's own company ({quoted(person.group(0))}): {doc.default_reason}",
        )
    if not mentions:
        return _unnamed(doc, i, amount)
    if len({m.company_id for m in mentions}) == 1:
        return Found(mentions[0].company_id, f"{_name(doc, mentions[0])} named in the sentence")
    before = [m for m in mentions if m.end <= amount.start]
    if not before:
        if _in_list(doc.text, mentions, 0):
            return Found(None, "companies named together: a figure for the group")
        return Found(mentions[0].company_id, f"{_name(doc, mentions[0])}, named after the figure")
    if _in_list(doc.text, mentions, len(before) - 1):
        return Found(None, "companies named together before it: a figure for the group")
    nearest = before[-1]
    return Found(nearest.company_id, f"{_name(doc, nearest)}, the company named nearest before it")


def _unnamed(doc: Doc, i: int, amount: Amount) -> Found[str | None]:
    """A sentence that names no company: a group word, a pointer back, or the document's."""
    s = doc.sentences[i]
    window = doc.text[max(s.start, amount.start - 100) : amount.start]
    group = T.GROUP_WORDS.search(window)
    if group:
        return Found(None, f"a figure for a group of companies: {quoted(group.group(0))}")
    pointer = _POINTER.search(doc.text, s.start, amount.start)
    earlier = _named_before(doc, i) if pointer else None
    if pointer and earlier is not None:
        return Found(
            earlier.company_id,
            f"{quoted(pointer.group(0))} points back to {_name(doc, earlier)} named before",
        )
    if doc.default_company is None:
        return Found(None, "no company named, and the document is about none")
    return Found(doc.default_company, f"no company named in the sentence: {doc.default_reason}")


def _name(doc: Doc, m: Mention) -> str:
    return quoted(doc.text[m.start : m.end])


def _in_list(text: str, mentions: list[Mention], k: int) -> bool:
    """True when mention k is one of companies named together ("Microsoft, Alphabet and
    Meta"), the subject of a figure about the group."""

    def joined(a: Mention, b: Mention) -> bool:
        return bool(T.LIST_GAP.fullmatch(text[a.end : b.start])) and a.company_id != b.company_id

    return (k > 0 and joined(mentions[k - 1], mentions[k])) or (
        k + 1 < len(mentions) and joined(mentions[k], mentions[k + 1])
    )


def _named_before(doc: Doc, i: int) -> Mention | None:
    """The company the nearest earlier sentence (of the two before) names, when it names
    exactly one."""
    for j in (i - 1, i - 2):
        if j < 0 or j in doc.excluded:
            continue
        found = doc.mentions(j)
        if len({m.company_id for m in found}) == 1:
            return found[-1]
        if found:
            return None
    return None
