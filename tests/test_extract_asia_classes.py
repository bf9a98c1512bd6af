"""Korean, Japanese and Chinese news wording, by class (each class in several sentences written
for this test): numbers written with 천/千 inside a 억 group, an old figure before a new range,
a figure compared with the market's expectation, research firms and foreign institutional
investors forecasting, headlines that repeat the body, and a year ago or the quarter before
named after the figure."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from watcher.extract import extract, load_companies
from watcher.extract._numbers import find_amounts

ROOT = Path(__file__).resolve().parents[1]
B = 10**9


@pytest.fixture(scope="module")
def registry():
    return load_companies(ROOT / "config" / "companies.yaml")


def _rows(registry, day, text, metric=None):
    found = extract(text, date=dt.date.fromisoformat(day), companies=registry)
    fields = ("company", "metric", "kind", "period", "low", "high", "change", "prior_low")
    return [tuple(getattr(o, f) for f in fields) for o in found if metric in (None, o.metric)]


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("1천550억 달러", 155 * B, 155 * B),
        ("1천200억 달러", 120 * B, 120 * B),
        ("2천 75억 달러", 207.5 * B, 207.5 * B),
        ("1천2백억 원", 120 * B, 120 * B),
        ("3천억 원", 300 * B, 300 * B),
        ("2조5천억 원", 2500 * B, 2500 * B),
        ("4조 1천200억 원", 4120 * B, 4120 * B),
        ("1千億円", 100 * B, 100 * B),
        ("1千5百億円", 150 * B, 150 * B),
        ("2千300億元", 230 * B, 230 * B),
        ("1천200억~1천350억 달러", 120 * B, 135 * B),
    ],
)
def test_small_units_inside_a_large_group(text, low, high):
    amounts = find_amounts(text)
    assert [(a.low, a.high) for a in amounts] == [(round(low), round(high))]


@pytest.mark.parametrize("text", ["1천 명", "2천 개 매장", "3千人"])
def test_small_units_alone_are_no_money(text):
    assert find_amounts(text) == []


@pytest.mark.parametrize(
    ("day", "text", "expected"),
    [
        (
            "2025-10-30",
            "메타는 올해 설비투자 전망치를 기존 680억 달러에서 700억∼720억 달러로 올렸다.",
            [("META", "capex", "guidance", "FY2025", 70 * B, 72 * B, "raised", 68 * B)],
        ),
        (
            "2025-10-30",
            "아마존은 올해 설비투자 계획을 종전 1천억에서 1천150억~1천200억 달러로 늘렸다.",
            [("AMZN", "capex", "guidance", "FY2025", 115 * B, 120 * B, "raised", 100 * B)],
        ),
        (
            "2025-10-30",
            "米メタは今期の設備投資見通しを従来の680億ドルから700億～720億ドルに引き上げた。",
            [("META", "capex", "guidance", "FY2025", 70 * B, 72 * B, "raised", 68 * B)],
        ),
    ],
)
def test_old_figure_before_a_new_range(registry, day, text, expected):
    assert _rows(registry, day, text) == [tuple(round(v) if isinstance(v, float) else v
                                                for v in e) for e in expected]  # fmt: skip


@pytest.mark.parametrize(
    ("day", "text", "expected"),
    [
        (
            "2025-07-24",
            "알파벳의 2분기 자본지출은 224억 달러로 시장 예상치 190억 달러를 크게 웃돌았다.",
            [
                ("GOOGL", "capex", "actual", "FY2025-Q2", 22.4 * B, 22.4 * B, None, None),
                ("GOOGL", "capex", "estimate", "FY2025-Q2", 19 * B, 19 * B, None, None),
            ],
        ),
        (
            "2025-05-01",
            "메타의 1분기 설비투자는 137억 달러로 애널리스트 평균 예상치 150억 달러를 밑돌았다.",
            [
                ("META", "capex", "actual", "FY2025-Q1", 13.7 * B, 13.7 * B, None, None),
                ("META", "capex", "estimate", "FY2025-Q1", 15 * B, 15 * B, None, None),
            ],
        ),
    ],
)
def test_an_actual_beside_the_market_expectation_stays_actual(registry, day, text, expected):
    assert _rows(registry, day, text) == [tuple(round(v) if isinstance(v, float) else v
                                                for v in e) for e in expected]  # fmt: skip


@pytest.mark.parametrize(
    ("day", "text", "period", "low", "high"),
    [
        (
            "2025-08-01",
            "시장조사업체 트렌드포스는 아마존의 내년 설비투자가 1천300억 달러에 달할 것으로 "
            "내다봤다.",
            "FY2026",
            130 * B,
            130 * B,
        ),
        (
            "2025-08-01",
            "조사기관 가트너에 따르면 MS의 다음 회계연도 설비투자는 1천억 달러를 넘을 전망이다.",
            "FY2027",
            100 * B,
            None,
        ),
        (
            "2025-04-18",
            "外資法人預估，台積電明年資本支出可望提升至500億美元以上。",
            "FY2026",
            50 * B,
            None,
        ),
        (
            "2025-04-18",
            "外资法人看好台积电明年资本支出将增加到480亿美元。",
            "FY2026",
            48 * B,
            48 * B,
        ),
        (
            "2025-08-14",
            "SK하이닉스의 내년 설비투자가 35조원을 넘어설 것이라는 관측이 나왔다.",
            "FY2026",
            35000 * B,
            None,
        ),
        (
            "2025-08-14",
            "삼성전자의 올해 시설투자는 55조원에 이를 것이라는 분석이 우세하다.",
            "FY2025",
            55000 * B,
            55000 * B,
        ),
    ],
)
def test_third_parties_forecast(registry, day, text, period, low, high):
    rows = _rows(registry, day, text)
    assert [(r[2], r[3], r[4], r[5]) for r in rows] == [("estimate", period, round(low), high
                                                         and round(high))]  # fmt: skip


@pytest.mark.parametrize(
    ("day", "text", "expected"),
    [
        (
            "2025-02-07",
            "아마존, 올해 설비투자 1천억달러 넘긴다…AI 인프라 확대\n\n"
            "아마존이 올해 설비투자를 1천억 달러 이상으로 늘리겠다고 밝혔다.\n",
            [("AMZN", "capex", "guidance", "FY2025", 100 * B, None, None, None)],
        ),
        (
            "2025-06-12",
            '오라클, 새 회계연도 설비투자 300억달러 이상…"AI 수요 급증"\n\n'
            "오라클은 2026 회계연도에 300억 달러 이상을 설비투자에 쓰겠다고 밝혔다.\n",
            [("ORCL", "capex", "guidance", "FY2026", 30 * B, None, None, None)],
        ),
        (
            "2025-09-10",
            "オラクル、受注残高5000億ドルに　今期設備投資400億ドルに上方修正\n\n"
            "米オラクルの残存履行義務（RPO）は5000億ドルに膨らんだ。"
            "同社は今期の設備投資見通しを従来の350億ドルから400億ドルに引き上げた。\n",
            [
                ("ORCL", "rpo", "actual", "FY2026-Q1", 500 * B, 500 * B, None, None),
                ("ORCL", "capex", "guidance", "FY2026", 40 * B, 40 * B, "raised", 35 * B),
            ],
        ),
        (
            "2025-07-31",
            "微软上财年资本支出达900亿美元 新财年一季度预计超320亿美元\n\n"
            "微软表示，2026财年第一财季资本支出预计将超过320亿美元。\n",
            [
                ("MSFT", "capex", "actual", "FY2025", 90 * B, 90 * B, None, None),
                ("MSFT", "capex", "guidance", "FY2026-Q1", 32 * B, None, None, None),
            ],
        ),
        (
            "2025-07-31",
            "メタ、今期の設備投資見通しを680億～720億ドルに　下限を引き上げ\n\n"
            "米メタは30日、2025年の設備投資額が680億～720億ドルになるとの見通しを示した。\n",
            [("META", "capex", "guidance", "FY2025", 68 * B, 72 * B, "narrowed", None)],
        ),
    ],
)
def test_a_headline_the_body_repeats_is_read_from_the_body(registry, day, text, expected):
    assert _rows(registry, day, text) == [tuple(round(v) if isinstance(v, float) else v
                                                for v in e) for e in expected]  # fmt: skip


def test_a_headline_figure_the_body_does_not_repeat_stays(registry):
    text = "메타, 올해 설비투자 700억달러로 상향…주가 급등\n\n메타 주가가 시간외 거래에서 올랐다."
    assert _rows(registry, "2025-07-31", text) == [
        ("META", "capex", "guidance", "FY2025", 70 * B, 70 * B, "raised", None)
    ]


@pytest.mark.parametrize(
    ("day", "text", "expected"),
    [
        (
            "2025-05-01",
            "1분기 설비투자는 150억 달러로 작년 같은 기간 100억 달러보다 50% 늘었다.",
            [("FY2025-Q1", 15 * B), ("FY2024-Q1", 10 * B)],
        ),
        (
            "2025-05-01",
            "메타의 1분기 자본지출은 137억 달러로 지난해 같은 기간보다 두 배 늘었다.",
            [("FY2025-Q1", 13.7 * B)],
        ),
        (
            "2025-09-10",
            "オラクルの残存履行義務（RPO）は4000億ドルと前年同期の3倍に膨らんだ。",
            [("FY2026-Q1", 400 * B)],
        ),
        (
            "2025-10-30",
            "マイクロソフトの商業RPOは4000億ドルと前年同期から50%増えた。",
            [("FY2026-Q1", 400 * B)],
        ),
        (
            "2025-06-12",
            "오라클의 RPO는 1천500억 달러로 1년 전보다 40% 증가했다.",
            [("FY2025-Q4", 150 * B)],
        ),
        (
            "2025-06-12",
            "오라클의 잔여이행의무(RPO)는 1천380억 달러로 작년 같은 기간보다 41% 늘었다.",
            [("FY2025-Q4", 138 * B)],
        ),
        (
            "2025-09-10",
            "甲骨文剩余履约义务（RPO）达到4000亿美元，前一个季度为1500亿美元。",
            [("FY2026-Q1", 400 * B), ("FY2025-Q4", 150 * B)],
        ),
        (
            "2025-09-10",
            "甲骨文RPO为4000亿美元，此前一个季度为1500亿美元。",
            [("FY2026-Q1", 400 * B), ("FY2025-Q4", 150 * B)],
        ),
    ],
)
def test_a_year_ago_or_the_quarter_before_named_after_the_figure(registry, day, text, expected):
    rows = _rows(registry, day, text)
    assert [(r[3], r[4]) for r in rows] == [(p, round(v)) for p, v in expected]


@pytest.mark.parametrize(
    ("day", "text", "expected"),
    [
        (
            "2025-05-02",
            "米アマゾンの24年の設備投資は830億ドルだった。",
            [("AMZN", "capex", "actual", "FY2024", 83 * B, 83 * B, None, None)],
        ),
        (
            "2025-02-05",
            "メタの設備投資は24年実績の392億ドルから大きく増える。",
            [("META", "capex", "actual", "FY2024", 39.2 * B, 39.2 * B, None, None)],
        ),
        (
            "2025-02-05",
            "アルファベットは25年の設備投資を750億ドルとする計画だ。",
            [("GOOGL", "capex", "guidance", "FY2025", 75 * B, 75 * B, None, None)],
        ),
    ],
)
def test_japanese_two_digit_years(registry, day, text, expected):
    want = [tuple(round(v) if isinstance(v, float) else v for v in e) for e in expected]
    assert _rows(registry, day, text) == want


def test_a_count_of_years_is_no_year(registry):
    rows = _rows(registry, "2025-02-05", "アマゾンは今後20年で設備投資に2000億ドルを投じる計画だ。")
    assert all(r[3] != "FY2020" for r in rows)
