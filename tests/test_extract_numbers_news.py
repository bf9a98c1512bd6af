"""Number formats and text splitting as news wires write them (issue 9): dash variants and
から in Japanese ranges, mixed unit groups, Spanish and German scale words with either digit
grouping, upper and lower bounds in six languages, vague amounts that give no figure, change
verbs after the figure, and one-line article bodies whose sentences are glued together. The
sentences are written for these tests; each class has several variants."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from watcher.extract import extract, load_companies
from watcher.extract._numbers import find_amounts
from watcher.extract._sentences import split_sentences

ROOT = Path(__file__).parents[1]
DAY = dt.date(2025, 8, 1)
M = 10**6
B = 10**9
T = 10**12


@pytest.fixture(scope="module")
def registry():
    return load_companies(ROOT / "config" / "companies.yaml")


def _amounts(text: str) -> list[tuple[int | None, int | None, str | None]]:
    return [(a.low, a.high, a.currency) for a in find_amounts(text)]


def _one(text: str) -> tuple[int | None, int | None, str | None]:
    found = _amounts(text)
    assert len(found) == 1, (text, found)
    return found[0]


def _observations(text: str, registry) -> list[dict]:
    return [o.to_dict() for o in extract(text, date=DAY, companies=registry)]


# --- East Asian ranges and mixed unit groups ------------------------------------------------


@pytest.mark.parametrize(
    "dash", ["\u2500", "\u2015", "\u2010", "～", "〜", "ー", "－", "–", "—", "-", "~"]
)
def test_japanese_range_with_any_dash(dash):
    assert _one(f"同社は720億{dash}780億ドルを投じる。") == (72 * B, 78 * B, "USD")
    assert _one(f"設備投資は3兆{dash}3兆5000億円となる。") == (3 * T, 35 * 10**11, "JPY")


@pytest.mark.parametrize(
    "text, low, high, currency",
    [
        ("投資額は1,000億から1,200億ドルの見込み。", 100 * B, 120 * B, "USD"),
        ("800億円から900億円を投じる計画だ。", 80 * B, 90 * B, "JPY"),
        ("設備投資は1,000億から1,100億ドルまでを想定する。", 100 * B, 110 * B, "USD"),
        ("올해 500억에서 550억 달러를 투자한다.", 50 * B, 55 * B, "USD"),
        ("예산은 3조에서 4조 원 사이다.", 3 * T, 4 * T, "KRW"),
        ("投资规模为1,200亿至1,300亿美元。", 120 * B, 130 * B, "USD"),
        ("預計投入450～520億ドル。", 45 * B, 52 * B, "USD"),
    ],
)
def test_east_asian_ranges(text, low, high, currency):
    assert _one(text) == (low, high, currency)


def test_from_to_with_a_destination_particle_is_a_change_not_a_range():
    # The old figure keeps the currency of the new one and is a figure of its own.
    assert _amounts("計画を900億から950億ドルに引き上げた。") == [
        (90 * B, 90 * B, "USD"),
        (95 * B, 95 * B, "USD"),
    ]
    assert _amounts("계획을 8천억에서 1조 원으로 늘렸다.") == [
        (8 * 10**11, 8 * 10**11, "KRW"),
        (T, T, "KRW"),
    ]


@pytest.mark.parametrize(
    "text, value, currency",
    [
        ("総額は431億7,000万ドルだった。", 43_170_000_000, "USD"),
        ("投資は2兆4,000億円に達した。", 2_400_000_000_000, "JPY"),
        ("설비투자는 3조 6천억 원이다.", 3_600_000_000_000, "KRW"),
        ("설비투자는 5,800억 달러다.", 580 * B, "USD"),
        ("资本开支为1350亿美元。", 135 * B, "USD"),
        ("支出约8,750万美元。", 87_500_000, "USD"),
    ],
)
def test_mixed_unit_groups(text, value, currency):
    low, high, cur = _one(text)
    assert (low, high, cur) == (value, value, currency)


# --- Spanish and German scale words ------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value, currency",
    [
        ("invertirá US$ 38,000 millones este año", 38 * B, "USD"),
        ("invertirá US$38,500 millones este año", 38_500 * M, "USD"),
        ("un gasto de 1,250 millones de dólares", 1_250 * M, "USD"),
        ("invertirá 38.000 millones de dólares", 38 * B, "USD"),
        ("invertirá 38 mil millones de dólares", 38 * B, "USD"),
        ("invertirá US$38.500 millones", 38_500 * M, "USD"),
        ("invertirá 38,5 millones de euros", 38_500_000, "EUR"),
        ("planea 3,2 billones de wones", 3_200 * B, "KRW"),  # Spanish billón is 10^12
        ("planea 3.2 billones de wones", 3_200 * B, "KRW"),
        ("investiert 58 Mrd. Dollar", 58 * B, "USD"),
        ("investiert 58,5 Milliarden US-Dollar", 58_500 * M, "USD"),
        ("investiert 58.000 Millionen Euro", 58 * B, "EUR"),
        ("investiert 1,235 Milliarden Euro", 1_235 * M, "EUR"),  # German decimals stay decimals
    ],
)
def test_spanish_and_german_scales(text, value, currency):
    assert _one(text) == (value, value, currency)


def test_spanish_range_with_english_grouping():
    assert _one("entre 52,000 y 56,000 millones de dólares") == (52 * B, 56 * B, "USD")
    assert _one("desde 52.000 hasta 56.000 millones de dólares") == (52 * B, 56 * B, "USD")


# --- Bounds ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value, currency",
    [
        ("spending of up to $118 billion", 118 * B, "USD"),
        ("as much as $118 billion this year", 118 * B, "USD"),
        ("podría gastar hasta 47.000 millones de dólares", 47 * B, "USD"),
        ("gastará hasta US$ 47,000 millones", 47 * B, "USD"),
        ("investiert bis zu 55 Milliarden Euro", 55 * B, "EUR"),
        ("최대 850억 달러를 투자", 85 * B, "USD"),
        ("最多投入950亿美元", 95 * B, "USD"),
        ("最高投入950亿美元", 95 * B, "USD"),
        ("最大750億ドルを投じる", 75 * B, "USD"),
    ],
)
def test_upper_bounds(text, value, currency):
    assert _one(text) == (None, value, currency)


@pytest.mark.parametrize(
    "text, value, currency",
    [
        ("more than $42 billion in capex", 42 * B, "USD"),
        ("más de 42.000 millones de dólares", 42 * B, "USD"),
        ("mehr als 42 Milliarden Euro", 42 * B, "EUR"),
        ("420억 달러 이상을 투자", 42 * B, "USD"),
        ("投入420亿美元以上", 42 * B, "USD"),
        ("超过420亿美元", 42 * B, "USD"),
    ],
)
def test_lower_bounds(text, value, currency):
    assert _one(text) == (value, None, currency)


def test_hasta_after_a_change_verb_is_where_the_figure_went():
    assert _one("elevó su previsión hasta 47.000 millones de dólares") == (47 * B, 47 * B, "USD")


# --- Vague amounts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "설비투자는 30조 원대 초반이 될 전망이다.",
        "투자 규모는 10조원대로 예상된다.",
        "設備投資は2兆円台に乗る見通し。",
        "수십조 원을 투자한다.",
        "数百亿美元的资本支出",
        "tens of billions of dollars in capex",
        "hundreds of billions of dollars",
        "decenas de miles de millones de dólares",
        "capex in the mid-$70 billion range",
        "capex in the high-70 billions",
    ],
)
def test_vague_amounts_give_no_figure(text):
    assert find_amounts(text) == []


def test_vague_korean_amount_is_no_observation(registry):
    text = "삼성전자는 올해 설비투자가 50조 원대 중반에 이를 것으로 예상했다."
    assert _observations(text, registry) == []


# --- English shorthand ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, low, high",
    [
        ("$58B-$66B", 58 * B, 66 * B),
        ("$58B to $66B", 58 * B, 66 * B),
        ("$58bn-$66bn", 58 * B, 66 * B),
        ("US$58-66 billion", 58 * B, 66 * B),
        ("$58,000 million", 58 * B, 58 * B),
        ("$1.4 trillion", 1_400 * B, 1_400 * B),
    ],
)
def test_english_shorthand(text, low, high):
    assert _one(text) == (low, high, "USD")


# --- Change verbs after the figure -----------------------------------------------------------


@pytest.mark.parametrize(
    "text, change",
    [
        ("메타는 올해 설비투자 전망치를 780억 달러로 높였다.", "raised"),
        ("메타는 올해 설비투자 계획을 780억 달러로 늘렸다.", "raised"),
        ("메타는 올해 설비투자 계획을 780억 달러로 올렸다.", "raised"),
        ("메타는 올해 설비투자 전망치를 780억 달러로 상향했다.", "raised"),
        ("메타는 올해 설비투자 전망치를 780억 달러로 상향 조정했다.", "raised"),
        ("메타는 올해 설비투자 전망치를 780억 달러로 하향했다.", "lowered"),
        ("메타는 올해 설비투자 전망치를 780억 달러로 낮췄다.", "lowered"),
        ("메타는 올해 설비투자 계획을 780억 달러로 줄였다.", "lowered"),
        ("메타는 올해 설비투자 전망치를 780억 달러로 유지했다.", "reaffirmed"),
        ("Meta将今年资本支出指引上修至780亿美元。", "raised"),
        ("Meta将今年资本支出指引调高至780亿美元。", "raised"),
        ("Meta将今年资本支出指引调降至780亿美元。", "lowered"),
        ("Meta将今年资本支出指引削减至780亿美元。", "lowered"),
        ("Meta维持今年780亿美元的资本支出指引。", "reaffirmed"),
        ("メタは今年の設備投資計画を780億ドルに上方修正した。", "raised"),
        ("メタは今年の設備投資計画を780億ドルに引き下げた。", "lowered"),
        ("メタは今年の設備投資計画を780億ドルに据え置いた。", "reaffirmed"),
        (
            "Meta subió su previsión de inversiones de capital a 78.000 millones de dólares.",
            "raised",
        ),
        (
            "Meta redujo su previsión de inversiones de capital a 78.000 millones de dólares.",
            "lowered",
        ),
        (
            "Meta revisó a la baja su previsión de inversiones de capital a 78.000 millones "
            "de dólares.",
            "lowered",
        ),
        (
            "Meta mantuvo su previsión de inversiones de capital en 78.000 millones de dólares.",
            "reaffirmed",
        ),
        (
            "Meta hat die Prognose für die Investitionen auf 78 Milliarden Dollar hochgeschraubt.",
            "raised",
        ),
        (
            "Meta hat die Prognose für die Investitionen auf 78 Milliarden Dollar nach oben "
            "korrigiert.",
            "raised",
        ),
        (
            "Meta hat die Prognose für die Investitionen auf 78 Milliarden Dollar herabgesetzt.",
            "lowered",
        ),
        (
            "Meta hat die Prognose für die Investitionen von 78 Milliarden Dollar bestätigt.",
            "reaffirmed",
        ),
    ],
)
def test_change_verbs(text, change, registry):
    found = _observations(text, registry)
    assert [(o["company"], o["kind"], o["low"], o["change"]) for o in found] == [
        ("META", "guidance", found[0]["low"], change)
    ], text


def test_korean_old_to_new_keeps_the_prior(registry):
    text = "메타는 올해 설비투자 전망치를 700억에서 780억 달러로 상향했다."
    found = _observations(text, registry)
    assert [(o["low"], o["change"], o["prior_low"]) for o in found] == [(78 * B, "raised", 70 * B)]


def test_spanish_de_hasta_after_a_change_verb_keeps_the_prior(registry):
    text = (
        "Meta elevó su previsión de inversiones de capital de 70.000 hasta 78.000 millones "
        "de dólares."
    )
    found = _observations(text, registry)
    assert [(o["low"], o["change"], o["prior_low"]) for o in found] == [(78 * B, "raised", 70 * B)]


# --- Sentences glued together -------------------------------------------------------------------


def _texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize(
    "parts",
    [
        ["Meta lifted its capex outlook to $72 billion.", "Alphabet kept its at $85 billion."],
        ["Capex rose 12%.", "The company said so."],
        ["It spent $4B.", "Then it stopped."],
        ["Capex doubled in 2025.", "Analysts agreed."],
        ["It was $60 billion.", '"We are not done," he said.'],
        ['He said "we spent $60 billion."', "Analysts cheered."],
        ["메타는 투자를 늘렸다.", "알파벳은 유지했다."],
        ["メタは投資を増やした。", "アルファベットは維持した。"],
        ["资本支出为700亿美元.", "谷歌表示不变。"],
        ["La inversión subió.", "Meta lo confirmó."],
        ["Die Ausgaben steigen.", "Der Konzern bestätigte."],
        ["Read it on cnbc.com.", "Then decide."],
    ],
)
def test_glued_sentences_split(parts):
    assert _texts("".join(parts)) == parts


@pytest.mark.parametrize(
    "text",
    [
        "Capex was $1.5 billion in the quarter.",
        "The U.S.Steel plant cost $2.5 billion.",
        "Amazon.com Inc.Capex was high.",
        "Sales per e.g.Region stayed flat.",
        "Visit cnbc.com or Amazon.com for capex news.",
        "Microsoft Corp.Azure spending grew.",
        "Priorities: 1.Servers 2.Networking 3.Power.",
        "Priorities: 1. Servers 2. Networking 3. Power.",
        "The filing lists 1. Servers and 2. Networking as the big items.",
        "Nr. 1 ist Meta.",
        "我们有1.5亿美元的资本支出。",
    ],
)
def test_not_split_inside(text):
    assert _texts(text) == [text]


def test_date_at_end_of_sentence_still_splits():
    assert _texts("The quarter ended June 30. Capex was $20 billion.") == [
        "The quarter ended June 30.",
        "Capex was $20 billion.",
    ]


def test_one_line_article_body_gives_each_figure_its_sentence(registry):
    body = (
        "Meta raised its 2025 capital expenditures outlook to $66 billion to $72 billion."
        "Alphabet said it expects capital expenditures of about $85 billion in 2025."
        "Amazon.com did not comment."
    )
    found = _observations(body, registry)
    assert [(o["company"], o["low"], o["high"]) for o in found] == [
        ("META", 66 * B, 72 * B),
        ("GOOGL", 85 * B, 85 * B),
    ]
    assert found[0]["quote"].endswith("$72 billion.")
