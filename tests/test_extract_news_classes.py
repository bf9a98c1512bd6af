"""Classes of news wording, each checked with several sentences written for these tests, in
every language where the class occurs: spending words outside the metric vocabulary (gated by
the capital-spending context), a metric named in a relative clause after the figure, Spanish
property-and-equipment nouns, "including finance leases" as a definition, floors written with a
verb ("supere los"), a Spanish dateline that is not the English modal "may", German
"weiterhin zwischen", "ein Jahr zuvor", analysts' figures with no period, "en el ejercicio",
the Taiwan dollar in German and Spanish, analysts as the comparison of a company's plan, moves
("revised up to", "desde ... hasta", a prior range after the figure) and readings of plans,
quarters by their months, fiscal years explained in brackets and others' expectations.
Each case gives (date, text, expected rows) with rows (company, kind, period, low, high,
currency, change) for capex unless the metric is given."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from watcher.extract import extract, load_companies

ROOT = Path(__file__).parents[1]
B = 10**9
D_FEB = dt.date(2025, 2, 6)
D_APR = dt.date(2025, 4, 30)
D_JUL = dt.date(2025, 7, 31)
D_OCT = dt.date(2025, 10, 30)


@pytest.fixture(scope="module")
def registry():
    return load_companies(ROOT / "config" / "companies.yaml")


def _rows(text: str, day: dt.date, registry) -> list[tuple]:
    found = extract(text, date=day, companies=registry, source="t.txt")
    return [
        (o.company, o.metric, o.kind, o.period, o.low, o.high, o.currency, o.change) for o in found
    ]


def capex(company, kind, period, low, high=..., currency="USD", change=None, metric="capex"):
    return (company, metric, kind, period, low, low if high is ... else high, currency, change)


SPENDING = [
    # English: a spending verb where the sentence speaks of the build-out
    (
        D_APR,
        "Meta said it plans to spend about $70 billion this year, mostly on AI data centers.",
        [capex("META", "guidance", "FY2025", 70 * B)],
    ),
    (
        D_APR,
        "Oracle will spend roughly $25 billion in fiscal 2026 to expand its cloud infrastructure.",
        [capex("ORCL", "guidance", "FY2026", 25 * B)],
    ),
    (
        D_JUL,
        "Alphabet's capital expenditures reached $22.4 billion in the second quarter. "
        "Analysts now expect the company to spend about $90 billion this year.",
        [
            capex("GOOGL", "actual", "FY2025-Q2", 22.4 * B),
            capex("GOOGL", "estimate", "FY2025", 90 * B),
        ],
    ),
    (
        D_JUL,
        "For the full fiscal year, Microsoft spent $88.2 billion on capital projects.",
        [capex("MSFT", "actual", "FY2025", 88.2 * B)],
    ),
    # ... but not for marketing, buybacks, one site or one place
    (D_APR, "Meta plans to spend $5 billion on marketing this year as it builds out AI.", []),
    (D_APR, "Amazon will spend $10 billion on a data center campus in North Carolina.", []),
    (D_APR, "Apple plans to spend $500 billion in the United States over four years.", []),
    (D_APR, "Amazon plans to spend $20 billion on data centers in Pennsylvania.", []),
    (D_APR, "Netflix will spend $18 billion on content this year.", []),
    # Spanish: invertir, desembolsar, destinar
    (
        D_APR,
        "Meta prevé invertir entre 64.000 y 72.000 millones de dólares este año, sobre todo en "
        "centros de datos.",
        [capex("META", "guidance", "FY2025", 64 * B, 72 * B)],
    ),
    (
        D_OCT,
        "En el tercer trimestre, Alphabet invirtió 24.000 millones de dólares en servidores y "
        "centros de datos.",
        [capex("GOOGL", "actual", "FY2025-Q3", 24 * B)],
    ),
    (
        dt.date(2025, 9, 10),
        "Oracle desembolsó 8.500 millones de dólares en el primer trimestre fiscal, incluidos "
        "los arrendamientos.",
        [capex("ORCL", "actual", "FY2026-Q1", 8.5 * B)],
    ),
    (D_APR, "Microsoft invertirá 10.000 millones de dólares en Portugal este año.", []),
    (D_APR, "Microsoft invertirá 3.000 millones de dólares en un centro de datos este año.", []),
    (D_APR, "Inditex gastará 1.000 millones en publicidad este año.", []),
    # German: Ausgaben, stecken
    (
        dt.date(2025, 2, 27),
        "Die großen Tech-Konzerne bauen ihre KI-Rechenzentren aus. Allein Meta plant Ausgaben "
        "von 60 bis 65 Milliarden Dollar.",
        [capex("META", "guidance", "FY2025", 60 * B, 65 * B)],
    ),
    (
        D_FEB,
        "Alphabet will in diesem Jahr rund 75 Milliarden Dollar in Rechenzentren und Server "
        "stecken.",
        [capex("GOOGL", "guidance", "FY2025", 75 * B)],
    ),
    (D_FEB, "Der Konzern plant Ausgaben von 5 Milliarden Euro für Werbung.", []),
]

NOUNS = [
    # Spanish metric nouns: inversiones, inmuebles y equipos, compra de propiedades y equipos
    (
        D_OCT,
        "La matriz de Google prevé ahora unas inversiones de entre 91.000 y 93.000 millones de "
        "dólares en 2025.",
        [capex("GOOGL", "guidance", "FY2025", 91 * B, 93 * B)],
    ),
    (
        dt.date(2025, 3, 14),
        "Nvidia destinó 3.200 millones de dólares a la compra de propiedades y equipos en su año "
        "fiscal 2025.",
        [capex("NVDA", "actual", "FY2025", 3.2 * B)],
    ),
    (
        D_FEB,
        "Amazon invirtió 26.300 millones de dólares en inmuebles y equipos en el cuarto trimestre.",
        [capex("AMZN", "actual", "FY2024-Q4", 26.3 * B)],
    ),
    (D_APR, "El fondo tiene inversiones financieras por 4.000 millones de dólares.", []),
    # a metric noun in a relative clause after the figure
    (
        D_FEB,
        "La cifra supera con holgura los 83.000 millones que Amazon destinó a gastos de capital "
        "en 2024.",
        [capex("AMZN", "actual", "FY2024", 83 * B)],
    ),
    (
        D_FEB,
        "That is well above the $52.5 billion that Alphabet spent on capital expenditures in 2024.",
        [capex("GOOGL", "actual", "FY2024", 52.5 * B)],
    ),
]

DEFINITIONS = [
    (
        D_JUL,
        "Capital spending including finance leases was $24.2 billion in the fourth quarter "
        "ended June 30, Microsoft said.",
        [capex("MSFT", "actual", "FY2025-Q4", 24.2 * B)],
    ),
    (
        D_JUL,
        "Microsoft's capital expenditures excluding finance leases came in at $16.7 billion in "
        "the fourth quarter.",
        [capex("MSFT", "actual", "FY2025-Q4", 16.7 * B)],
    ),
    (
        D_JUL,
        "Microsoft's capex was $24.2 billion in the fourth quarter, including $6.5 billion of "
        "finance leases.",
        [capex("MSFT", "actual", "FY2025-Q4", 24.2 * B)],
    ),
]

BOUNDS = [
    (
        D_JUL,
        "Microsoft prevé que su gasto de capital supere los 30.000 millones de dólares en el "
        "primer trimestre de su ejercicio fiscal 2026.",
        [capex("MSFT", "guidance", "FY2026-Q1", 30 * B, None)],
    ),
    (
        D_APR,
        "Alphabet espera que sus inversiones de capital superen los 80.000 millones de dólares "
        "este año.",
        [capex("GOOGL", "guidance", "FY2025", 80 * B, None)],
    ),
    (
        D_APR,
        "Meta prevé que sus gastos de capital superarán los 64.000 millones de dólares en 2025.",
        [capex("META", "guidance", "FY2025", 64 * B, None)],
    ),
    (
        D_JUL,
        "Im ersten Quartal sollen die Investitionsausgaben von Microsoft auf mehr als 30 "
        "Milliarden Dollar steigen.",
        [capex("MSFT", "guidance", "FY2026-Q1", 30 * B, None)],
    ),
]

DATELINES = [
    (
        dt.date(2025, 5, 15),
        "Pekín, 15 may (EFE).- Alibaba invirtió 24.612 millones de yuanes en gastos de capital "
        "en el trimestre enero-marzo.",
        [capex("BABA", "actual", "FY2025-Q4", 24.612 * B, currency="CNY")],
    ),
    (
        dt.date(2025, 5, 2),
        "Seattle (EE.UU.), 2 may (EFE).- Los gastos de capital de Amazon fueron de 24.300 "
        "millones de dólares en el primer trimestre.",
        [capex("AMZN", "actual", "FY2025-Q1", 24.3 * B)],
    ),
    (
        D_APR,
        "Analysts say Meta's capital expenditures may reach $70 billion this year.",
        [capex("META", "estimate", "FY2025", 70 * B)],
    ),
    (
        D_APR,
        "Meta's capital expenditures may reach $70 billion this year, the company said.",
        [capex("META", "guidance", "FY2025", 70 * B)],
    ),
]

GERMAN = [
    (
        dt.date(2025, 4, 17),
        "Die Investitionsausgaben von TSMC sollen weiterhin zwischen 38 und 42 Mrd. US-Dollar "
        "liegen.",
        [capex("TSM", "guidance", "FY2025", 38 * B, 42 * B, change="reaffirmed")],
    ),
    (
        D_APR,
        "Die Investitionen von Meta sollen weiterhin bei rund 65 Milliarden Dollar liegen.",
        [capex("META", "guidance", "FY2025", 65 * B, change="reaffirmed")],
    ),
    (
        D_FEB,
        "Im vierten Quartal stiegen die Investitionsausgaben von Alphabet auf 14,3 Milliarden "
        "Dollar, nach 11 Milliarden Dollar ein Jahr zuvor.",
        [
            capex("GOOGL", "actual", "FY2024-Q4", 14.3 * B),
            capex("GOOGL", "actual", "FY2023-Q4", 11 * B),
        ],
    ),
    (
        D_FEB,
        "Analysten hatten bei Alphabet mit Investitionen von knapp 58 Milliarden Dollar gerechnet.",
        [capex("GOOGL", "estimate", "FY2025", 58 * B)],
    ),
    (
        D_OCT,
        "Amazon will in diesem Jahr rund 125 Milliarden Dollar investieren, deutlich mehr als "
        "bislang von Analysten erwartet.",
        [capex("AMZN", "guidance", "FY2025", 125 * B)],
    ),
    (
        D_APR,
        "Meta will 2025 bis zu 65 Milliarden Dollar investieren, mehr als Analysten erwartet "
        "hatten.",
        [capex("META", "guidance", "FY2025", None, 65 * B)],
    ),
]

FISCAL_YEAR_AND_CURRENCY = [
    (
        dt.date(2025, 3, 14),
        "El flujo de caja operativo de Nvidia se situó en 64.089 millones de dólares en el "
        "ejercicio.",
        [capex("NVDA", "actual", "FY2025", 64.089 * B, metric="ocf")],
    ),
    (
        dt.date(2025, 3, 14),
        "Nvidia invirtió 3.236 millones de dólares en gastos de capital en el ejercicio, frente "
        "a 1.069 millones del ejercicio anterior.",
        [
            capex("NVDA", "actual", "FY2025", 3.236 * B),
            capex("NVDA", "actual", "FY2024", 1.069 * B),
        ],
    ),
    (
        dt.date(2025, 4, 17),
        "Der operative Cashflow von TSMC belief sich im ersten Quartal auf 625,6 Mrd. "
        "Taiwan-Dollar.",
        [capex("TSM", "actual", "FY2025-Q1", 625.6 * B, currency="TWD", metric="ocf")],
    ),
    (
        dt.date(2025, 4, 17),
        "TSMC investierte im ersten Quartal 300 Milliarden NT-Dollar.",
        [capex("TSM", "actual", "FY2025-Q1", 300 * B, currency="TWD")],
    ),
    (
        dt.date(2025, 4, 17),
        "Los gastos de capital de TSMC fueron de 320.000 millones de dólares taiwaneses en el "
        "primer trimestre.",
        [capex("TSM", "actual", "FY2025-Q1", 320 * B, currency="TWD")],
    ),
    (
        dt.date(2025, 5, 15),
        "El grupo Alibaba reiteró su plan de invertir más de 380.000 millones de yuanes en "
        "infraestructura de nube en los próximos tres años.",
        [capex("BABA", "guidance", "FY2026-FY2028", 380 * B, None, "CNY", "reaffirmed")],
    ),
]

D_NOV = dt.date(2025, 11, 20)
T = 10**12
# A verb with "up" ("ramped up to", "was revised up to") says where a figure went, not a cap; a
# "from A to B" range after the new figure is its prior; "desde A hasta B" moves, whatever the
# currency words between.
MOVES = [
    (
        D_NOV,
        "Amazon's 2025 capex plan was ratcheted higher and then revised up to $125 billion.",
        [capex("AMZN", "guidance", "FY2025", 125 * B, change="raised")],
    ),
    (
        D_NOV,
        "Meta lifted its 2025 capex guidance to $70bn-$72bn from $66 to $72 billion.",
        [capex("META", "guidance", "FY2025", 70 * B, 72 * B, change="raised")],
    ),
    (
        D_NOV,
        "Alphabet elevó su previsión de gasto de capital para 2025 desde los 85.000 millones de "
        "dólares estadounidenses hasta 91.000 millones de dólares.",
        [capex("GOOGL", "guidance", "FY2025", 91 * B, change="raised")],
    ),
]
# A plan stated figure first ("... is what X has budgeted"), German "in Aussicht stellen", a
# quarter named by its months, a fiscal year explained in brackets before the word for the
# whole year, and others' expectation in a sentence of its own after the figure it expects.
READINGS = [
    (
        D_NOV,
        "Roughly $30 billion in capital spending is what Oracle has budgeted for fiscal 2026.",
        [capex("ORCL", "guidance", "FY2026", 30 * B)],
    ),
    (
        D_NOV,
        "Für 2026 stellt Alphabet Investitionsausgaben von mehr als 100 Milliarden Dollar in "
        "Aussicht.",
        [capex("GOOGL", "guidance", "FY2026", 100 * B, None)],
    ),
    (
        dt.date(2025, 12, 12),
        "In the September-November quarter, Oracle's capital expenditures came to $12 billion.",
        [capex("ORCL", "actual", "FY2026-Q2", 12 * B)],
    ),
    (
        D_NOV,
        "Microsoft said its fiscal 2026 (July 2025 to June 2026) full-year capex would top "
        "$140 billion.",
        [capex("MSFT", "guidance", "FY2026", 140 * B, None)],
    ),
    (
        D_NOV,
        "마이크로소프트는 2026 회계연도(2025년 7월~2026년 6월) 연간 설비투자를 1,400억 달러로 "
        "잡았다고 밝혔다.",
        [capex("MSFT", "guidance", "FY2026", 140 * B)],
    ),
    (
        D_NOV,
        "Meta's capital expenditures reached $19.4 billion in the third quarter. Analysts polled "
        "by FactSet had expected $18.2 billion.",
        [
            capex("META", "actual", "FY2025-Q3", 19.4 * B),
            capex("META", "estimate", "FY2025-Q3", 18.2 * B),
        ],
    ),
    (
        D_NOV,
        "메타는 3분기 설비투자가 194억 달러라고 밝혔다.증권가 컨센서스는 182억 달러였다.",
        [
            capex("META", "actual", "FY2025-Q3", 19.4 * B),
            capex("META", "estimate", "FY2025-Q3", 18.2 * B),
        ],
    ),
]

# Spanish "estrechó" narrows; a Korean increment keeps its bound word before the verb; the last
# twelve months in Spanish and German.
MORE = [
    (
        D_NOV,
        "Meta estrechó su previsión de gasto de capital para 2025 a entre 70.000 y 72.000 "
        "millones de dólares.",
        [capex("META", "guidance", "FY2025", 70 * B, 72 * B, change="narrowed")],
    ),
    (D_NOV, "오라클은 올해 설비투자가 지난해보다 100억 달러 이상 늘어날 것이라고 밝혔다.", []),
    (
        D_NOV,
        "Amazon destinó 110.000 millones de dólares a gastos de capital en los últimos doce meses.",
        [capex("AMZN", "actual", "FY2024-Q4-FY2025-Q3", 110 * B)],
    ),
    (
        D_NOV,
        "Alphabet hat in den letzten zwölf Monaten Investitionsausgaben von 80 Milliarden Dollar "
        "getätigt.",
        [capex("GOOGL", "actual", "FY2024-Q4-FY2025-Q3", 80 * B)],
    ),
]

CASES = (
    SPENDING + NOUNS + DEFINITIONS + BOUNDS + DATELINES + GERMAN + FISCAL_YEAR_AND_CURRENCY
    + MOVES + READINGS + MORE
)  # fmt: skip


@pytest.mark.parametrize(("day", "text", "expected"), CASES, ids=[c[1][:50] for c in CASES])
def test_news_class(day, text, expected, registry):
    rows = _rows(text, day, registry)
    assert [r[:4] for r in rows] == [e[:4] for e in expected]
    for row, want in zip(rows, expected, strict=True):
        assert row[4] == (None if want[4] is None else pytest.approx(want[4]))
        assert row[5] == (None if want[5] is None else pytest.approx(want[5]))
        assert row[6:] == want[6:]
