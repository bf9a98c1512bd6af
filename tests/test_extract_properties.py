"""Property tests of the extraction stage (hypothesis): an amount written in any supported
language and format reads back to its value through the number reader, and no input makes
the pipeline raise or return an observation that breaks the record's rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from watcher.extract import load_companies
from watcher.extract._extract import extract_text
from watcher.extract._numbers import find_amounts

ROOT = Path(__file__).parents[1]
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass(frozen=True)
class Rendered:
    text: str
    low: int
    high: int
    currency: str


# --- rendering an amount the way each language writes it ------------------------------------


def _english_digits(mantissa: int, decimals: int) -> str:
    whole, frac = divmod(mantissa, 10**decimals)
    head = f"{whole:,}"
    return f"{head}.{frac:0{decimals}d}" if decimals else head


def _continental_digits(mantissa: int, decimals: int) -> str:
    whole, frac = divmod(mantissa, 10**decimals)
    head = f"{whole:,}".replace(",", ".")
    return f"{head},{frac:0{decimals}d}" if decimals else head


def _plain_digits(mantissa: int, decimals: int) -> str:
    whole, frac = divmod(mantissa, 10**decimals)
    return f"{whole}.{frac:0{decimals}d}" if decimals else str(whole)


# (scale word, factor, digit style, template with {n}, currency)
FORMATS = [
    ("billion", 10**9, _english_digits, "${n} billion", "USD"),
    ("bn", 10**9, _plain_digits, "US${n}bn", "USD"),
    ("million", 10**6, _english_digits, "{n} million euros", "EUR"),
    ("billion", 10**9, _english_digits, "{n} billion RMB", "CNY"),
    ("trillion", 10**12, _plain_digits, "¥{n} trillion", "JPY"),
    ("억", 10**8, _english_digits, "{n}억 달러", "USD"),
    ("억", 10**8, _plain_digits, "{n}억원", "KRW"),
    ("조", 10**12, _plain_digits, "{n}조 원", "KRW"),
    ("亿", 10**8, _plain_digits, "{n}亿美元", "USD"),
    ("亿", 10**8, _plain_digits, "人民币{n}亿元", "CNY"),
    ("万亿", 10**12, _plain_digits, "{n}万亿元", "CNY"),
    ("億", 10**8, _english_digits, "{n}億ドル", "USD"),
    ("億", 10**8, _plain_digits, "{n}億円", "JPY"),
    ("兆", 10**12, _plain_digits, "{n}兆円", "JPY"),
    ("億", 10**8, _plain_digits, "新台幣{n}億元", "TWD"),
    ("millones", 10**6, _continental_digits, "{n} millones de dólares", "USD"),
    ("mil millones", 10**9, _continental_digits, "{n} mil millones de euros", "EUR"),
    ("Milliarden", 10**9, _continental_digits, "{n} Milliarden Euro", "EUR"),
    ("Mrd.", 10**9, _continental_digits, "{n} Mrd. US-Dollar", "USD"),
    ("Mio.", 10**6, _continental_digits, "{n} Mio. €", "EUR"),
]
# Range joins, by the scale word's language: (prefix, join, repeat the scale on the low end?)
JOINS = {
    "en": [("", " to ", True), ("", "-", False), ("between ", " and ", True)],
    "ko": [("", "~", True), ("", "~", False), ("", "에서 ", True)],
    "zh": [("", "至", True), ("", "-", False), ("介于", "至", True)],
    "ja": [("", "～", True), ("", "〜", False)],
    "es": [("entre ", " y ", False), ("de ", " a ", False), ("", "-", False)],
    "de": [("zwischen ", " und ", False), ("", " bis ", False), ("", "-", False)],
}


def _language(scale: str, template: str) -> str:
    if scale in ("억", "조"):
        return "ko"
    if scale in ("亿", "万亿") or "新台幣" in template:
        return "zh"
    if scale in ("億", "兆"):
        return "ja"
    if scale in ("millones", "mil millones"):
        return "es"
    if scale in ("Milliarden", "Mrd.", "Mio."):
        return "de"
    return "en"


@st.composite
def amounts(draw) -> Rendered:
    scale, factor, digits, template, currency = draw(st.sampled_from(FORMATS))
    decimals = draw(st.integers(0, 2))
    low_m = draw(st.integers(1, 99_999))
    number = digits(low_m, decimals)
    value = round(low_m * factor / 10**decimals)
    assume(value * 5 < 10**15)  # beyond a quadrillion no figure is real, and floats lose cents
    if not draw(st.booleans()):
        return Rendered(template.format(n=number), value, value, currency)
    high_m = draw(st.integers(low_m + 1, low_m * 5))
    high = round(high_m * factor / 10**decimals)
    prefix, join, repeat = draw(st.sampled_from(JOINS[_language(scale, template)]))
    high_text = template.format(n=digits(high_m, decimals))
    if join == "에서 ":
        high_text += " 사이"
    sign, _, _ = template.partition("{n}")
    low_text = f"{sign}{number}" if sign else number
    if repeat:
        low_text = template.format(n=number).removesuffix(_currency_tail(template))
    return Rendered(f"{prefix}{low_text}{join}{high_text}", value, high, currency)


def _currency_tail(template: str) -> str:
    """The currency words written after the scale, which a low end does not repeat."""
    tail = template.split("{n}", 1)[1]
    for scale in ("mil millones", "millones", "Milliarden", "Mrd.", "Mio.", "billion", "bn",
                  "million", "trillion", "万亿", "억", "조", "亿", "億", "兆"):  # fmt: skip
        if scale in tail:
            return tail.split(scale, 1)[1]
    return tail


@FAST
@given(amounts(), st.sampled_from(["", "Capex: ", "设备投资为", "설비투자는 ", "Se prevén "]))
def test_rendered_amount_reads_back(rendered: Rendered, lead: str) -> None:
    found = find_amounts(lead + rendered.text + "。")
    assert [(a.low, a.high, a.currency) for a in found] == [
        (rendered.low, rendered.high, rendered.currency)
    ], rendered.text


@pytest.mark.parametrize(
    ("text", "low", "high", "currency"),
    [
        ("4,200억 달러", 420 * 10**9, 420 * 10**9, "USD"),
        ("2조 3천억 원", 2_300 * 10**9, 2_300 * 10**9, "KRW"),
        ("1兆2000億円", 1_200 * 10**9, 1_200 * 10**9, "JPY"),
        ("1200亿元", 120 * 10**9, 120 * 10**9, "CNY"),
        ("¥1200亿元", 120 * 10**9, 120 * 10**9, "CNY"),
        ("１２００億円", 120 * 10**9, 120 * 10**9, "JPY"),
        ("70.000 millones de dólares", 70 * 10**9, 70 * 10**9, "USD"),
        ("1.234,5 Mrd. Euro", 1_234_500_000_000, 1_234_500_000_000, "EUR"),
        ("US$1,234.5 million", 1_234_500_000, 1_234_500_000, "USD"),
        ("640억~720억 달러", 64 * 10**9, 72 * 10**9, "USD"),
        ("640亿至720亿美元", 64 * 10**9, 72 * 10**9, "USD"),
        ("entre 64.000 y 72.000 millones", 64 * 10**9, 72 * 10**9, "USD"),
        ("64 bis 72 Milliarden", 64 * 10**9, 72 * 10**9, "USD"),
        ("1200多亿元", 120 * 10**9, None, "CNY"),
        ("최대 1조원", None, 10**12, "KRW"),
        ("1兆円超", 10**12, None, "JPY"),
        ("más de 300.000 millones de dólares", 300 * 10**9, None, "USD"),
    ],
)
def test_documented_formats(text, low, high, currency):
    assert [(a.low, a.high, a.currency) for a in find_amounts(text)] == [(low, high, currency)]


def test_restated_currency_is_one_amount():
    for text, currency in [
        ("1200亿元（约165亿美元）", "CNY"),
        ("$64 billion (about 88 trillion won)", "USD"),
        ("88조 원(약 640억 달러)", "KRW"),
        ("27,5 Milliarden Yuan (rund 3,8 Milliarden Dollar)", "CNY"),
    ]:
        assert [a.currency for a in find_amounts(text)] == [currency], text


def test_people_and_years_are_not_money():
    assert find_amounts("사용자 1억 명, 2025년, 1분기, 第1四半期, 3万人, 20%") == []


# --- no input breaks the pipeline -----------------------------------------------------------

REGISTRY = load_companies(ROOT / "config" / "companies.yaml")
DAY = dt.date(2025, 4, 30)
SOUP = [
    "1", "2", "0", ",", ".", "000", "$", "€", "¥", "US$", "억", "조", "천", "亿", "万亿", "億",
    "兆", "万", "원", "달러", "美元", "元", "人民币", "RMB", "円", "ドル", "millones",
    " mil millones", "Milliarden", "Mrd.", "Mio.", " de dólares", " Euro", "~", "～", "至",
    " bis ", " y ", " und ", " de ", " a ", " von ", " auf ", "-", " to ", "（约", "）", "(", ")",
    "capex", "capital expenditures", "设备投资", "资本支出", "資本支出", "設備投資", "설비투자",
    "수주잔고", "受注残", "未履行履约义务", "inversiones de capital", "Investitionsausgaben",
    "Auftragsbestand", "backlog", "RPO", "预计", "예상", "見込み", "prevé", "erwartet", "상향",
    "上调", "引き上げ", "elevó", "angehoben", "애널리스트", "分析师", "Analysten", "微软", "메타",
    "マイクロソフト", "Meta", "Microsoft", "、", "，", "。", ". ", " ", "\n", "2025年", "올해",
    "第一季度", "1분기", "Q1", "<td>", "</td>", "<tr>", "|", "&amp;", "<p>",
]  # fmt: skip


def _check(text: str) -> None:
    for obs in extract_text(text, DAY, REGISTRY, "p.txt", None):
        assert obs.metric in ("capex", "ocf", "rpo")
        assert obs.kind in ("guidance", "actual", "estimate")
        assert obs.low is not None or obs.high is not None
        if obs.low is not None and obs.high is not None:
            assert obs.low <= obs.high
        assert obs.currency is not None and len(obs.currency) == 3
        assert obs.quote


@pytest.mark.slow
@FAST
@given(st.text(max_size=400))
def test_any_text(text: str) -> None:
    _check(text)


@FAST
@given(st.text(alphabet=st.characters(min_codepoint=0x3000, max_codepoint=0xD7A3), max_size=300))
def test_any_east_asian_text(text: str) -> None:
    _check(text)


@FAST
@given(st.lists(st.sampled_from(SOUP), max_size=120).map("".join))
def test_digit_currency_metric_soup(text: str) -> None:
    _check(text)


@FAST
@given(
    st.recursive(
        st.text(max_size=20) | st.sampled_from(SOUP),
        lambda inner: st.tuples(
            st.sampled_from(["p", "div", "td", "tr", "table", "script", "style", "b"]),
            st.lists(inner, max_size=4),
        ).map(lambda t: f"<{t[0]}>{''.join(t[1])}</{t[0]}>"),
        max_leaves=25,
    )
)
def test_html_ish(text: str) -> None:
    _check("<html><body>" + text)


def test_a_document_of_many_figures_is_read_in_full() -> None:
    """No cap on the figures of a document (a 1 MB filing once lost a quarter of its own):
    1,632 distinct quarterly figures of four companies and three metrics, all read."""
    registry = load_companies(Path(__file__).parents[1] / "config" / "companies.yaml")
    companies = ("Microsoft", "Alphabet", "Amazon", "Meta")
    metrics = ("capital expenditures", "operating cash flow", "remaining performance obligations")
    quarters = ("first", "second", "third", "fourth")
    lines = [
        f"{c}'s {m} were ${y - 1990 + q / 10:.1f} billion in the {w} quarter of fiscal {y}."
        for c in companies
        for m in metrics
        for y in range(1991, 2025)
        for q, w in enumerate(quarters, 1)
    ]
    found = extract_text("\n".join(lines), dt.date(2025, 5, 1), registry, None, None)
    assert len(found) == len(lines) == 1632
    assert {(o.company, o.metric) for o in found} == {
        (c, m) for c in ("MSFT", "GOOGL", "AMZN", "META") for m in ("capex", "ocf", "rpo")
    }
