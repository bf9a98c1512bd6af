"""Extraction in Korean, Chinese (simplified and traditional), Japanese, Spanish and German,
plus English currency restatements: for each language, short news and press-release sentences
written for these tests (guidance with a range, a raise with its prior, an actual, backlog or
RPO, an analyst estimate, a figure for several companies, a figure restated in a second
currency, and figures that are not ours). Each case asserts the whole observation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from watcher.extract import extract, load_companies

ROOT = Path(__file__).parents[1]
DAY = dt.date(2025, 4, 30)  # after the first calendar quarter of 2025 was reported
B = 10**9
T = 10**12

# (company, metric, kind, period, low, high, currency, change, prior_low, prior_high)
Row = tuple


def guidance(company, period, low, high, currency="USD", change=None, prior=(None, None)):
    return (company, "capex", "guidance", period, low, high, currency, change, *prior)


def actual(company, period, value, currency="USD", metric="capex"):
    return (company, metric, "actual", period, value, value, currency, None, None, None)


def estimate(company, period, low, high, currency="USD"):
    return (company, "capex", "estimate", period, low, high, currency, None, None, None)


KOREAN = [
    (
        "메타는 올해 설비투자 규모를 640억~720억 달러로 예상한다고 밝혔다.",
        [guidance("META", "FY2025", 64 * B, 72 * B)],
    ),
    (
        "메타는 올해 설비투자 전망치를 기존 600억~650억 달러에서 640억~720억 달러로 상향 조정했다.",
        [guidance("META", "FY2025", 64 * B, 72 * B, change="raised", prior=(60 * B, 65 * B))],
    ),
    (
        "인텔은 올해 설비투자 계획을 200억 달러에서 180억 달러로 하향했다.",
        [guidance("INTC", "FY2025", 18 * B, 18 * B, change="lowered", prior=(20 * B, 20 * B))],
    ),
    (
        "삼성전자의 1분기 시설투자는 12조 2천억 원으로 집계됐다.",
        [actual("005930.KS", "FY2025-Q1", 12_200 * B, "KRW")],
    ),
    (
        "오라클의 잔여 이행 의무는 1,380억 달러에 달했다.",
        [actual("ORCL", "FY2025-Q3", 138 * B, metric="rpo")],
    ),
    (
        "증권가는 구글의 올해 설비투자가 800억 달러를 넘어설 것으로 보고 있다.",
        [estimate("GOOGL", "FY2025", 80 * B, None)],
    ),
    (
        "마이크로소프트와 구글, 메타, 아마존의 올해 설비투자 합계는 3,200억 달러에 이를 전망이다.",
        [guidance(None, "FY2025", 320 * B, 320 * B)],
    ),
    (
        "메타는 올해 설비투자에 최대 720억 달러(약 100조 원)를 투입할 계획이다.",
        [guidance("META", "FY2025", None, 72 * B)],
    ),
    (
        "마이크로소프트는 2025 회계연도 설비투자 전망을 800억 달러로 유지했다.",
        [guidance("MSFT", "FY2025", 80 * B, 80 * B, change="reaffirmed")],
    ),
    (
        "메타의 1분기 설비투자는 전년 대비 50억 달러 늘어난 137억 달러였다.",
        [actual("META", "FY2025-Q1", 13_700_000_000)],
    ),
    ("SK하이닉스의 1분기 매출은 17조 6천억 원, 영업이익은 7조 4천억 원이었다.", []),
    (
        "알리바바는 분기 매출 2,360억 위안을 기록했으며, 설비투자는 240억 위안으로 집계됐다.",
        [actual("BABA", "FY2025-Q4", 24 * B, "CNY")],
    ),
    ("메타버스 사업부의 올해 설비투자 사용자는 1억 명을 넘었다.", []),
]

CHINESE = [
    (
        "Meta预计2025年资本支出将在640亿至720亿美元之间。",
        [guidance("META", "FY2025", 64 * B, 72 * B)],
    ),
    (
        "Meta将2025年资本支出指引从600亿至650亿美元上调至640亿至720亿美元。",
        [guidance("META", "FY2025", 64 * B, 72 * B, change="raised", prior=(60 * B, 65 * B))],
    ),
    (
        "英特尔将今年资本支出目标下调至180亿美元。",
        [guidance("INTC", "FY2025", 18 * B, 18 * B, change="lowered")],
    ),
    (
        "腾讯第一季度资本开支为274.8亿元（约合38亿美元），同比大幅增长。",
        [actual("0700.HK", "FY2025-Q1", 27_480_000_000, "CNY")],
    ),
    (
        "腾讯第一季度资本开支同比增加110亿元至274.8亿元。",
        [actual("0700.HK", "FY2025-Q1", 27_480_000_000, "CNY")],
    ),
    (
        "甲骨文剩余履约义务达到1380亿美元。",
        [actual("ORCL", "FY2025-Q3", 138 * B, metric="rpo")],
    ),
    (
        "分析师预计微软本财年资本支出将超过800亿美元。",
        [estimate("MSFT", "FY2025", 80 * B, None)],
    ),
    (
        "微软、谷歌、亚马逊和Meta今年的资本支出合计将超过3000亿美元。",
        [guidance(None, "FY2025", 300 * B, None)],
    ),
    ("阿里巴巴季度营收为2365亿元，净利润为124亿元。", []),
    (
        "腾讯第一季度营收1800亿元，资本开支274.8亿元。",
        [actual("0700.HK", "FY2025-Q1", 27_480_000_000, "CNY")],
    ),
    (
        "字节跳动计划2025年资本开支1600亿元。",
        [guidance("BYTEDANCE", "FY2025", 160 * B, 160 * B, "CNY")],
    ),
    (
        "谷歌母公司Alphabet维持今年750亿美元的资本支出计划不变。",
        [guidance("GOOGL", "FY2025", 75 * B, 75 * B, change="reaffirmed")],
    ),
    # traditional characters
    (
        "台積電今年資本支出預計介於380億至420億美元之間。",
        [guidance("TSM", "FY2025", 38 * B, 42 * B)],
    ),
    (
        "台積電今年資本支出預計為新台幣1.2兆元。",
        [guidance("TSM", "FY2025", 1_200 * B, 1_200 * B, "TWD")],
    ),
    (
        "微軟商業剩餘履約義務達3,150億美元。",
        [actual("MSFT", "FY2025-Q3", 315 * B, metric="rpo")],
    ),
    (
        "輝達與微軟今年的資本支出合計將超過1,000億美元。",
        [guidance(None, "FY2025", 100 * B, None)],
    ),
]

JAPANESE = [
    (
        "マイクロソフトは今期の設備投資を800億ドル程度と見込んでいる。",
        [guidance("MSFT", "FY2025", 80 * B, 80 * B)],
    ),
    (
        "メタは2025年の設備投資計画を従来の600億～650億ドルから640億～720億ドルに引き上げた。",
        [guidance("META", "FY2025", 64 * B, 72 * B, change="raised", prior=(60 * B, 65 * B))],
    ),
    (
        "インテルは2025年の設備投資計画を200億ドルから180億ドルに引き下げた。",
        [guidance("INTC", "FY2025", 18 * B, 18 * B, change="lowered", prior=(20 * B, 20 * B))],
    ),
    (
        "グーグルは今年の設備投資計画を750億ドルに据え置いた。",
        [guidance("GOOGL", "FY2025", 75 * B, 75 * B, change="reaffirmed")],
    ),
    (
        "アマゾンの第1四半期の設備投資は243億ドルだった。",
        [actual("AMZN", "FY2025-Q1", 24_300_000_000)],
    ),
    (
        "オラクルの受注残は1380億ドルに達した。",
        [actual("ORCL", "FY2025-Q3", 138 * B, metric="rpo")],
    ),
    (
        "アナリストはグーグルの今年の設備投資が750億ドルに達すると予想している。",
        [estimate("GOOGL", "FY2025", 75 * B, 75 * B)],
    ),
    (
        "マイクロソフト、グーグル、メタ、アマゾンの4社の今年の設備投資は合計で3000億ドルを超える見通しだ。",
        [guidance(None, "FY2025", 300 * B, None)],
    ),
    (
        "アマゾンは今年、設備投資に1000億ドル（約15兆円）を投じる計画だ。",
        [guidance("AMZN", "FY2025", 100 * B, 100 * B)],
    ),
    ("アップルの第1四半期の売上高は954億ドルだった。", []),
    (
        "NTTは今期の設備投資を1兆8000億円と見込む。",
        [guidance(None, "FY2025", 1_800 * B, 1_800 * B, "JPY")],
    ),
    ("メタバース関連の設備投資は、利用者が1億人を超えた。", []),
]

SPANISH = [
    (
        "Meta prevé que sus inversiones de capital en 2025 se sitúen entre 64.000 y 72.000 "
        "millones de dólares.",
        [guidance("META", "FY2025", 64 * B, 72 * B)],
    ),
    (
        "Meta elevó su previsión de gastos de capital para 2025 de 60.000 a 65.000 millones "
        "de dólares.",
        [guidance("META", "FY2025", 65 * B, 65 * B, change="raised", prior=(60 * B, 60 * B))],
    ),
    (
        "Intel recortó su previsión de inversiones de capital para 2025 a 18.000 millones de "
        "dólares.",
        [guidance("INTC", "FY2025", 18 * B, 18 * B, change="lowered")],
    ),
    (
        "Google mantiene su previsión de inversiones de capital de 75.000 millones de dólares "
        "para este año.",
        [guidance("GOOGL", "FY2025", 75 * B, 75 * B, change="reaffirmed")],
    ),
    (
        "Amazon destinó 24.300 millones de dólares a gastos de capital en el primer trimestre.",
        [actual("AMZN", "FY2025-Q1", 24_300_000_000)],
    ),
    (
        "La cartera de pedidos de Oracle alcanzó los 138.000 millones de dólares.",
        [actual("ORCL", "FY2025-Q3", 138 * B, metric="rpo")],
    ),
    (
        "Los analistas esperan que Alphabet invierta unos 75.000 millones de dólares en gastos "
        "de capital este año.",
        [estimate("GOOGL", "FY2025", 75 * B, 75 * B)],
    ),
    (
        "Microsoft, Alphabet, Amazon y Meta invertirán en conjunto más de 300.000 millones de "
        "dólares en gastos de capital este año.",
        [guidance(None, "FY2025", 300 * B, None)],
    ),
    (
        "Las inversiones de capital de Tencent sumaron 27.480 millones de yuanes (unos 3.800 "
        "millones de dólares) en el primer trimestre.",
        [actual("0700.HK", "FY2025-Q1", 27_480_000_000, "CNY")],
    ),
    ("Los ingresos de Microsoft alcanzaron 70.100 millones de dólares en el trimestre.", []),
    (
        "Telefónica prevé unas inversiones de capital de 5.000 millones de euros en 2025.",
        [guidance(None, "FY2025", 5 * B, 5 * B, "EUR")],
    ),
    (
        "Alphabet prevé inversiones de capital de 75.000 millones de dólares este año, frente "
        "a los 52.500 millones del año pasado.",
        [guidance("GOOGL", "FY2025", 75 * B, 75 * B), actual("GOOGL", "FY2024", 52_500_000_000)],
    ),
]

GERMAN = [
    (
        "Meta erwartet für 2025 Investitionsausgaben zwischen 64 und 72 Milliarden US-Dollar.",
        [guidance("META", "FY2025", 64 * B, 72 * B)],
    ),
    (
        "Meta hat die Prognose für die Investitionsausgaben 2025 von 60 auf 65 Milliarden "
        "Dollar angehoben.",
        [guidance("META", "FY2025", 65 * B, 65 * B, change="raised", prior=(60 * B, 60 * B))],
    ),
    (
        "Intel hat seine Investitionsplanung für 2025 auf 18 Milliarden Dollar gesenkt.",
        [guidance("INTC", "FY2025", 18 * B, 18 * B, change="lowered")],
    ),
    (
        "Alphabet bestätigte seine Prognose von 75 Milliarden Dollar für Investitionsausgaben "
        "im laufenden Jahr.",
        [guidance("GOOGL", "FY2025", 75 * B, 75 * B, change="reaffirmed")],
    ),
    (
        "Die Investitionsausgaben von Microsoft lagen im dritten Quartal bei 21,4 Milliarden "
        "Dollar.",
        [actual("MSFT", "FY2025-Q3", 21_400_000_000)],
    ),
    (
        "Der Auftragsbestand von Oracle stieg auf 138 Milliarden Dollar.",
        [actual("ORCL", "FY2025-Q3", 138 * B, metric="rpo")],
    ),
    (
        "Analysten rechnen damit, dass Alphabet in diesem Jahr rund 75 Milliarden Dollar für "
        "Investitionen ausgibt.",
        [estimate("GOOGL", "FY2025", 75 * B, 75 * B)],
    ),
    (
        "Microsoft, Alphabet, Amazon und Meta planen für dieses Jahr Investitionen von "
        "zusammen mehr als 300 Milliarden Dollar.",
        [guidance(None, "FY2025", 300 * B, None)],
    ),
    (
        "Tencent meldete für das erste Quartal Investitionsausgaben von 27,5 Milliarden Yuan "
        "(rund 3,8 Milliarden Dollar).",
        [actual("0700.HK", "FY2025-Q1", 27_500_000_000, "CNY")],
    ),
    (
        "Der Umsatz von Microsoft stieg auf 70,1 Milliarden Dollar, der Nettogewinn auf 25,8 "
        "Milliarden Dollar.",
        [],
    ),
    (
        "Die Deutsche Telekom plant für 2025 Investitionen von rund 17,5 Mrd. Euro.",
        [guidance(None, "FY2025", 17_500_000_000, 17_500_000_000, "EUR")],
    ),
    (
        "Der Konzern plant im Geschäftsjahr 2025/26 Investitionsausgaben von 1.234,5 Mio. Euro.",
        [guidance(None, "FY2026", 1_234_500_000, 1_234_500_000, "EUR")],
    ),
]

ENGLISH = [
    (
        "Meta expects capital expenditures of $64 billion (about 88 trillion won) this year.",
        [guidance("META", "FY2025", 64 * B, 64 * B)],
    ),
    (
        "Samsung Electronics said facility investment, its capital expenditures, was 12.2 "
        "trillion won in the first quarter.",
        [actual("005930.KS", "FY2025-Q1", 12_200 * B, "KRW")],
    ),
]

CASES = [
    pytest.param(text, rows, id=f"{lang}-{n}")
    for lang, cases in (
        ("ko", KOREAN),
        ("zh", CHINESE),
        ("ja", JAPANESE),
        ("es", SPANISH),
        ("de", GERMAN),
        ("en", ENGLISH),
    )
    for n, (text, rows) in enumerate(cases)
]


@pytest.fixture(scope="module")
def registry():
    return load_companies(ROOT / "config" / "companies.yaml")


def _rows(text: str, registry) -> list[Row]:
    found = extract(text, date=DAY, companies=registry, source="t.txt")
    return [
        (
            o.company,
            o.metric,
            o.kind,
            o.period,
            o.low,
            o.high,
            o.currency,
            o.change,
            o.prior_low,
            o.prior_high,
        )
        for o in found
    ]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_sentence(text, expected, registry):
    assert _rows(text, registry) == expected


def test_news_article_in_korean(registry):
    text = (
        "[속보] 구글, 올해 설비투자 750억 달러로 확대\n\n"
        "구글 모회사 알파벳은 올해 설비투자(CAPEX)를 750억 달러로 늘릴 계획이라고 4일 밝혔다. "
        "이는 시장 예상치인 580억 달러를 크게 웃도는 수준이다. "
        "지난해 알파벳의 설비투자는 525억 달러였다.\n"
        "4분기 설비투자는 143억 달러였다."
    )
    found = extract(text, date=dt.date(2025, 2, 5), companies=registry)
    assert [(o.company, o.kind, o.period, o.low) for o in found] == [
        ("GOOGL", "guidance", "FY2025", 75 * B),
        # "이는 시장 예상치인 580억 달러": the market's expectation, pointing back at the outlook
        ("GOOGL", "estimate", "FY2025", 58 * B),
        ("GOOGL", "actual", "FY2024", 52_500_000_000),
        ("GOOGL", "actual", "FY2024-Q4", 14_300_000_000),
    ]


def test_beat_of_expectations_in_chinese(registry):
    text = "微软表示，2025财年第三季度资本支出（含融资租赁）为214亿美元，高于市场预期的203亿美元。"
    found = extract(text, date=DAY, companies=registry)
    assert [(o.company, o.kind, o.period, o.low) for o in found] == [
        ("MSFT", "actual", "FY2025-Q3", 21_400_000_000),
        ("MSFT", "estimate", "FY2025-Q3", 20_300_000_000),  # expected for the same quarter
    ]


def test_quote_and_offsets_point_into_the_document(registry):
    text = "会议纪要。\n腾讯第一季度资本开支为274.8亿元（约合38亿美元）。其他内容。"
    (obs,) = extract(text, date=DAY, companies=registry)
    assert obs.quote == "腾讯第一季度资本开支为274.8亿元（约合38亿美元）。"
    assert text[obs.start : obs.end] == obs.quote


def test_company_names_in_every_script(registry):
    names = {
        "MSFT": ["마이크로소프트", "微软", "微軟", "マイクロソフト"],
        "GOOGL": ["구글", "谷歌", "グーグル"],
        "AMZN": ["아마존", "亚马逊", "亞馬遜", "アマゾン"],
        "AAPL": ["애플", "苹果", "蘋果", "アップル"],
        "ORCL": ["오라클", "甲骨文", "オラクル"],
        "NVDA": ["엔비디아", "英伟达", "輝達", "エヌビディア"],
        "TSM": ["台积电", "台積電", "TSMC"],
        "INTC": ["인텔", "英特尔", "インテル"],
        "BABA": ["알리바바", "阿里巴巴", "アリババ"],
        "CRWV": ["코어위브", "CoreWeave"],
    }
    for company, written in names.items():
        for name in written:
            found = registry.mentions(f"据报道，{name}表示。 {name}는 밝혔다. {name}は述べた。")
            assert {m.company_id for m in found} == {company}, name


def test_names_inside_longer_words_are_not_mentions(registry):
    assert registry.mentions("메타버스 플랫폼") == []
    assert registry.mentions("メタバース市場") == []
    assert [m.company_id for m in registry.mentions("메타는 메타버스를")] == ["META"]


def test_spanish_prior_stated_after_the_figure(registry):
    text = (
        "Amazon elevó su previsión de inversiones de capital para 2025 hasta unos 125.000 "
        "millones de dólares, frente a los 100.000 millones anteriores."
    )
    found = [o.to_dict() for o in extract(text, date=dt.date(2025, 8, 1), companies=registry)]
    assert len(found) == 1
    assert (found[0]["low"], found[0]["change"], found[0]["prior_low"]) == (
        125_000_000_000,
        "raised",
        100_000_000_000,
    )
