"""Sentence splitting with character offsets, robust to "$64.5 billion", "Inc.", "U.S.",
"Mrd." and to plain text that wraps lines inside sentences. Chinese and Japanese full stops
(。！？) end a sentence with no space after them; a Korean, Spanish or German sentence may
start with a letter of any script."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Longer "sentences" (tables flattened into text, adversarial input) are cut into chunks of at
# most this size, so that every later step works on bounded windows.
MAX_SENTENCE = 1500

_ABBREVIATIONS = frozenset(
    [
        "inc",
        "corp",
        "co",
        "ltd",
        "llc",
        "plc",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "vs",
        "no",
        "nos",
        "jr",
        "sr",
        "approx",
        "est",
        "etc",
        "fig",
        "dept",
        "gov",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "e.g",
        "i.e",
        "u.s",
        "u.k",
        "u.n",
        "a.m",
        "p.m",
        "mio",
        "mrd",
        "tsd",
        "ca",
        "bzw",
        "inkl",
        "ggf",
        "z.b",
        "u.a",
        "sra",
        "aprox",
        "núm",
        "nr",
    ]
)
# A stop followed by a space, or (one-line article bodies glued together by a feed) directly by
# what may start a sentence: a capital, a quote, or a letter of an uncased script.
_BOUNDARY = re.compile(
    r"[.?!]+[\"')\]\u201d\u2019]*(?=\s|[A-Z\u00c0-\u00de\"\u201c\u00bf\u00a1\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7a3])"
    r"|[\u3002\uff01\uff1f]+[\u300d\u300f\u201d\u2019\uff09)]*|\n"
)
# After a stop with no space: "billion.Alphabet", "5%.Capex", "2025.The", "했다.알파벳", "表示.谷歌"
# break; "U.S.Steel", "Amazon.com", "AWS.Microsoft" and "$1.5" do not.
# "밝혔다.MS의": an abbreviation with a Korean or Japanese particle starts a sentence too.
_GLUED_NEXT = re.compile(
    r"[\"\u201c\u00bf\u00a1]?(?:[A-Z\u00c0-\u00de][a-z\u00df-\u00ff]|[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7a3]"
    r"|[A-Z]{1,6}(?=[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7a3]))"
)
_GLUED_BEFORE = re.compile(
    r"(?:[a-z\u00df-\u00ff]{2}|\d[BMKbmk]?|[%)\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7a3])$"
)
_UNCASED = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7a3]")
# "1. Servers 2. Networking", "items:1.Servers": a list number, not the end of a sentence.
_LIST_NUMBER = re.compile(r"(?:^|(?<=[\s:;(\u2022\u00b7-]))(\d{1,2})$")
_MONTH = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s$",
    re.IGNORECASE,
)
_CJK_STOPS = "\u3002\uff01\uff1f"
_WORD_BEFORE = re.compile(r"([A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f.&]*)\.+$")
_NEXT_START = re.compile(r"\s*[\"'(\[\u201c\u2018\u00bf\u00a1\u300c]?(\S)")
_ASCII_CAPITALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_INITIALS = re.compile(r"(?:[a-z]\.)*[a-z]")
_START_SIGNS = "$\u20ac\u00a3\u00a5\u20a9"


def _starts_sentence(ch: str) -> bool:
    """A capital, a digit, a currency sign or an uncased letter (Hangul, kanji, kana)."""
    return ch.isdigit() or ch in _START_SIGNS or (ch.isalpha() and not ch.islower())


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def split_sentences(text: str, hard_newlines: bool = False) -> list[Sentence]:
    """Split text into sentences; newlines always end a sentence when hard_newlines is set."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.group(0) == "\n":
            if _newline_breaks(text, m.start(), hard_newlines):
                spans.append((start, m.start()))
                start = m.end()
            continue
        if _period_breaks(text, m.start(), m.end()):
            cut = _opening_quote(text, start, m.start(), m.end())
            spans.append((start, cut))
            start = cut
    spans.append((start, len(text)))
    spans = _headline_halves(text, spans)
    out: list[Sentence] = []
    for a, b in spans:
        for ca, cb in _chunks(text, a, b):
            a2, b2 = _strip(text, ca, cb)
            if b2 > a2:
                out.append(Sentence(a2, b2, text[a2:b2]))
    return _join_stated_first(text, out)


# A headline: the document's first line, short, with no full stop, and a line break after it.
_HEADLINE = re.compile(r"[ \t\u3000]*([^\n]{4,160}?)[ \t\u3000]*\n")
_HEADLINE_STOP = re.compile(r"[.!?\u3002\uff01\uff1f:;][\"'\u201d\u2019)]*$")
# Its halves: "…" in Korean, an ideographic space in Japanese, a space between Chinese or Japanese
# words ("微软上财年资本支出达882亿美元 新财年一季度预计超300亿美元").
_HEADLINE_HALF = re.compile(
    r"\s?(?:\u2026+|\.\.\.)\s?|[ \t]*\u3000[ \t\u3000]*"
    r"|(?<=[\u3040-\u30ff\u4e00-\u9fff\uff09\u300d])[ \t]+(?=[\u3040-\u30ff\u4e00-\u9fff\u300c])"
)


def headline_end(text: str) -> int:
    """The end of the document's headline, 0 when it opens with none."""
    m = _HEADLINE.match(text)
    if m is None or _HEADLINE_STOP.search(m.group(1)):
        return 0
    return m.end(1)


def _headline_halves(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A headline's halves are read apart: "오라클, 새 회계연도 설비투자 250억달러 이상…\"클라우드
    수요 폭발\"", "オラクル、受注残高4550億ドルに急増　今期設備投資350億ドルに上方修正": one
    half's period or verb is not the other's."""
    end = headline_end(text)
    if not end or not spans or spans[0][1] > end:
        return spans
    a, b = spans[0]
    out: list[tuple[int, int]] = []
    for m in _HEADLINE_HALF.finditer(text, a, b):
        out.append((a, m.start()))
        a = m.end()
    return [*out, (a, b), *spans[1:]]


# "200억 달러. 코어위브가 내년 설비투자에 쓰겠다고 밝힌 금액이다.", "800億ドル。アマゾンが今年の
# 設備投資に充てる金額だ。": a figure alone, then the sentence that says what it is, read as one.
_MONEY_WORD = r"(?:달러|원|위안|엔|유로|ドル|円|元|ウォン|ユーロ)"
_FIGURE_ONLY = re.compile(
    rf"(?=.*{_MONEY_WORD})(?:최대|최소|약|約|最大|最低|総額)?\s?"
    rf"(?:\d[\d.,]{{0,12}}\s?(?:[조억만천兆億万]\s?\d{{0,5}}\s?){{0,3}}{_MONEY_WORD}?\s?[~∼～〜ー-]?\s?){{1,2}}"
    r"(?:이상|안팎|수준|程度|前後|超|以上)?\s?[.。!！]?"
)
EXPLAINS_BACK = re.compile(
    r"(?:금액|규모|액수|돈)(?:이)?(?:다|입니다)[.。!\"'”’]*$|(?:金額|額|規模)(?:だ|である|です)[。.」]*$"
)


def _join_stated_first(text: str, sentences: list[Sentence]) -> list[Sentence]:
    out: list[Sentence] = []
    for s in sentences:
        prev = out[-1] if out else None
        if (
            prev is not None
            and len(prev.text) <= 40
            and _FIGURE_ONLY.fullmatch(prev.text)
            and EXPLAINS_BACK.search(s.text)
        ):
            out[-1] = Sentence(prev.start, s.end, text[prev.start : s.end])
            continue
        out.append(s)
    return out


def _period_breaks(text: str, mark_start: int, mark_end: int) -> bool:
    if _plain_end(text, mark_start, mark_end):
        return True
    if text[mark_start] in _CJK_STOPS:
        return True
    if mark_end < len(text) and not text[mark_end].isspace():
        return _glued_breaks(text, mark_start, mark_end)
    nxt = _NEXT_START.match(text, mark_end, min(len(text), mark_end + 4))
    if nxt is None or not _starts_sentence(nxt.group(1)):
        return False
    if text[mark_start] != ".":
        return True
    word = _WORD_BEFORE.search(text, max(0, mark_start - 20), mark_start + 1)
    if word is None:
        return not _is_list_number(text, mark_start)
    token = word.group(1).lower().rstrip(".")
    if token in _ABBREVIATIONS:
        return False
    # Initials such as "J." or "U.S." (single letters joined by dots) do not end a sentence.
    return not _INITIALS.fullmatch(token)


def _plain_end(text: str, mark_start: int, mark_end: int) -> bool:
    """The common case, decided with string operations alone: a lower-case word of two or more
    letters that is no abbreviation, a full stop, one space and a capital ("... this year. We")."""
    if mark_end - mark_start != 1 or text[mark_start] != "." or mark_end + 1 >= len(text):
        return False
    if text[mark_end] != " " or text[mark_end + 1] not in _ASCII_CAPITALS:
        return False
    space = text.rfind(" ", max(0, mark_start - 20), mark_start)
    word = text[space + 1 : mark_start]
    return (
        len(word) >= 2 and word.isascii() and word.isalpha() and word.islower()
        and word not in _ABBREVIATIONS
    )  # fmt: skip


def _opening_quote(text: str, start: int, mark_start: int, mark_end: int) -> int:
    """Where the sentence ends: before a straight quote glued to the next sentence when it
    opens a quotation (the sentence so far has no quotation left open), after it otherwise."""
    if mark_end >= len(text) or text[mark_end].isspace() or text[mark_end - 1] != '"':
        return mark_end
    quote = mark_end - 1
    if text.count('"', start, quote) % 2 == 0:
        return quote
    return mark_end


def _glued_breaks(text: str, mark_start: int, mark_end: int) -> bool:
    """A stop with the next sentence glued to it: both sides must look like sentence text."""
    if not _GLUED_NEXT.match(text, mark_end):
        return False
    before = text[max(0, mark_start - 2) : mark_start]
    if not _GLUED_BEFORE.search(before):
        return False
    # Latin text on both sides: the word before must not be an abbreviation or a list number.
    if _UNCASED.match(before[-1:]) or _UNCASED.match(text, mark_end):
        return True
    if _is_list_number(text, mark_start):
        return False
    word = _WORD_BEFORE.search(text, max(0, mark_start - 20), mark_start + 1)
    return word is None or word.group(1).lower().rstrip(".") not in _ABBREVIATIONS


def _is_list_number(text: str, mark_start: int) -> bool:
    """A period after "1", "2"... that numbers an item, not a date ("June 30.") or a figure."""
    if text[mark_start] != ".":
        return False
    m = _LIST_NUMBER.search(text, max(0, mark_start - 3), mark_start)
    if m is None:
        return False
    lead = text[max(0, m.start() - 12) : m.start()]
    if _MONTH.search(lead):
        return False
    if m.start() == 0 or not lead.strip() or lead.rstrip()[-1:] in ":;(\u2022\u00b7-":
        return True
    n = int(m.group(1))
    if n == 1:
        return True
    # The next number of an enumeration: "1. Servers 2. Networking".
    lo, hi, mark = max(0, m.start() - 300), m.start(), f"{n - 1}."
    for _ in range(3):
        at = text.rfind(mark, lo, hi)
        if at < 0:
            return False
        after = at + len(mark)
        if not (at > 0 and text[at - 1].isdigit()) and not text[after : after + 1].isdigit():
            return True
        hi = at
    return False


def _newline_breaks(text: str, pos: int, hard: bool) -> bool:
    if hard:
        return True
    if text.startswith("\n", pos + 1) or pos == 0:
        return True
    line_start = text.rfind("\n", max(0, pos - 200), pos) + 1
    before = text[line_start:pos].rstrip()
    if not before or before[-1] in ".?!:;\u3002\uff01\uff1f":
        return True
    # A short line is a heading or list item; a long one is wrapped prose.
    return pos - line_start < 60


def _chunks(text: str, a: int, b: int):
    while b - a > MAX_SENTENCE:
        cut = text.rfind(" ", a + MAX_SENTENCE // 2, a + MAX_SENTENCE)
        cut = cut if cut > a else a + MAX_SENTENCE
        yield a, cut
        a = cut
    yield a, b


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b
