"""Korean and Japanese news wording (issue 9), in sentences written the way Yonhap, Maeil
Business and Nikkei write them rather than as the grammar does: fiscal quarters given by their
months, 'MS' for Microsoft, brokers' forecasts, increments, figures stated first, priors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from watcher.extract import extract, load_companies

ROOT = Path(__file__).resolve().parents[1]
B = 10**9

# (date, text, [(company, kind, period, low, high, currency, change, prior_low, prior_high)])
CASES = [
    (
        "2025-07-31",
        "마이크로소프트(MS)는 30일(현지시간) 2025 회계연도 4분기(2025년 4~6월) 실적을 발표하며 "
        "자본지출이 242억 달러를 기록했다고 밝혔다.",
        [("MSFT", "actual", "FY2025-Q4", 24.2 * B, 24.2 * B, "USD", None, None, None)],
    ),
    (
        "2025-07-31",
        "MS의 2025 회계연도 자본지출은 880억 달러였다.",
        [("MSFT", "actual", "FY2025", 88 * B, 88 * B, "USD", None, None, None)],
    ),
    (
        "2025-07-31",
        "메타는 올해 설비투자 전망치를 기존 640억~720억 달러에서 660억~720억 달러로 상향 조정했다.",
        [("META", "guidance", "FY2025", 66 * B, 72 * B, "USD", "narrowed", 64 * B, 72 * B)],
    ),
    (
        "2025-10-02",
        "한국투자증권은 삼성전자의 내년 시설투자 규모를 약 57조 원으로 추정했다.",
        [("005930.KS", "estimate", "FY2026", 57000 * B, 57000 * B, "KRW", None, None, None)],
    ),
    ("2025-10-30", "알파벳의 설비투자 가이던스는 시장 예상치를 100억 달러 웃돌았다.", []),
    ("2025-07-31", "MS는 이번 회계연도 설비투자를 300억 달러 늘리기로 했다.", []),
    (
        "2025-02-07",
        "1000억 달러. 아마존이 올해 설비투자에 쏟아붓겠다고 밝힌 금액이다.",
        [("AMZN", "guidance", "FY2025", 100 * B, 100 * B, "USD", None, None, None)],
    ),
    (
        "2025-07-31",
        "米マイクロソフトが30日発表した2025年4～6月期決算は、設備投資額が242億ドルだった。",
        [("MSFT", "actual", "FY2025-Q4", 24.2 * B, 24.2 * B, "USD", None, None, None)],
    ),
    (
        "2025-05-01",
        "アナリストは米アルファベットの今期の設備投資を約850億ドルと予想している。",
        [("GOOGL", "estimate", "FY2025", 85 * B, 85 * B, "USD", None, None, None)],
    ),
    ("2025-05-01", "米アマゾンの設備投資計画は市場予想を150億ドル上回った。", []),
    (
        "2025-05-01",
        "韓国サムスン電子は2025年12月期の設備投資計画を約54兆ウォンに据え置いた。",
        [
            (
                "005930.KS", "guidance", "FY2025", 54000 * B, 54000 * B, "KRW", "reaffirmed",
                None, None,
            )
        ],
    ),
    (
        "2025-02-07",
        "米マイクロソフトは今期の設備投資計画を、これまでの約800億ドルから880億ドル前後へ引き上げた。",
        [("MSFT", "guidance", "FY2025", 88 * B, 88 * B, "USD", "raised", 80 * B, 80 * B)],
    ),
    (
        "2025-06-12",
        "米オラクルは2026年5月期の設備投資を約250億ドルと、前期の212億ドルから大幅に増やす計画だ。",
        [
            ("ORCL", "guidance", "FY2026", 25 * B, 25 * B, "USD", None, None, None),
            ("ORCL", "actual", "FY2025", 21.2 * B, 21.2 * B, "USD", None, None, None),
        ],
    ),
]


@pytest.fixture(scope="module")
def registry():
    return load_companies(ROOT / "config" / "companies.yaml")


@pytest.mark.parametrize(("day", "text", "expected"), CASES, ids=[c[1][:24] for c in CASES])
def test_korean_and_japanese_news(registry, day, text, expected):
    found = extract(text, date=dt.date.fromisoformat(day), companies=registry)
    fields = ("company", "kind", "period", "low", "high", "currency", "change", "prior_low",
              "prior_high")  # fmt: skip
    got = [tuple(getattr(o, f) for f in fields) for o in found if o.metric == "capex"]
    want = [tuple(round(v) if isinstance(v, float) else v for v in e) for e in expected]
    assert got == want


def test_ms_is_microsoft_only_next_to_hangul(registry):
    assert [m.company_id for m in registry.mentions("MS는 올해 설비투자를")] == ["MSFT"]
    assert [m.company_id for m in registry.mentions("미국 MS의 자본지출")] == ["MSFT"]
    assert registry.mentions("MS reported capex") == []
    assert registry.mentions("MS&AD Insurance") == []
