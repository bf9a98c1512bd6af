"""The period expressions of English: "the fiscal 2024 third quarter", "the nine months ended
September 30, 2024", "Q1", "the first half", "fiscal 2025", "2025", "this quarter", "next year",
"a year ago", "this year", "year-to-date", "the last four quarters". PATTERNS holds them as
(kind, pattern) in the order `_periods.find_periods` tries them: where two overlap, the one
found first is kept."""

from __future__ import annotations

ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_YEAR_TAIL = (
    r"(?:\s*(?:of\s+)?(?:(?:fiscal\s+(?:year\s+)?|FY\s?'?|F)(?P<qfy>\d{4}|\d{2})\b"
    r"|(?:calendar\s+(?:year\s+)?)?(?P<qy>20\d{2})\b|'(?P<qy2>\d{2})\b))?"
)
MONTHS = {
    m: n + 1
    for n, m in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august", "september",
         "october", "november", "december")
    )
}  # fmt: skip
MONTHS_WORDS = {"three": 3, "six": 6, "nine": 9, "twelve": 12, "3": 3, "6": 6, "9": 9, "12": 12}
_MONTH_NAMES = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
PATTERNS: list[tuple[str, str]] = [
    (  # "the fiscal 2024 third quarter", "FY2026 first quarter"
        "year_quarter",
        r"\b(?:fiscal\s+(?:year\s+)?|FY\s?'?|calendar\s+)(?P<yqy>\d{4}|\d{2})[\s-]+"
        r"(?:(?P<yqw>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal\s+)?quarter|Q(?P<yqn>[1-4]))\b",
    ),
    # "the March-May quarter", "the July to September 2025 period": a quarter by its months, in
    # the year of the last month
    (
        "en_mspan",
        rf"\b(?P<am1>{_MONTH_NAMES})\s?(?:-|–|to|through)\s?(?P<am2>{_MONTH_NAMES})"
        r"(?:\s+(?P<amy>20\d{2}))?\s+(?:quarter|period)\b",
    ),
    (
        "date",
        r"\b(?:(?:the\s+)?(?:(?P<dn>three|six|nine|twelve|3|6|9|12)\s+months|(?:fiscal\s+)?(?P<dyr>year)"
        r"|quarter)\s+(?:ended|ending)\s+)?"
        r"(?P<dm>January|February|March|April|May|June|July|August|September|October|November"
        r"|December)\s+(?:\d{1,2},?\s+)?(?P<dy>20\d{2})\b",
    ),
    (
        "quarter",
        r"\b(?:F?Q(?P<q1>[1-4])|(?P<q2>[1-4])Q|(?P<q3>first|second|third|fourth|1st|2nd|3rd|4th)"
        r"[\s-]+(?:fiscal\s+|calendar\s+)?quarter)" + _YEAR_TAIL,
    ),
    (
        "half",
        r"\b(?:(?P<h1>first|1st|second|2nd|back|front)\s+half|(?P<h2>[12])H|H(?P<h3>[12]))\b"
        r"(?:\s+of\s+(?:the\s+)?(?:(?:fiscal\s+(?:year\s+)?)?(?P<hy>20\d{2})|year))?",
    ),
    (
        "year_span",
        r"\b(?:FY\s?|fiscal\s+(?:years\s+)?)?(?P<s1>20\d{2})\s?(?:-|–|to|through)\s?(?:FY\s?)?(?P<s2>20\d{2})\b",
    ),
    (
        "year",
        r"\b(?:fiscal\s+year\s*|fiscal\s*|FY\s?'?|calendar\s+(?:year\s+)?)(?P<fy>\d{4}|\d{2})\b",
    ),
    # "2000억 달러", "2013億ドル" are amounts, not years.
    ("year", r"(?<![\d$.,조兆])(?P<y>20\d{2})(?!\d|[.,]\d|\s?[억조만천亿億万兆萬])"),
    ("this_quarter", r"\b(?:this|the|current|that)\s+(?:fiscal\s+)?quarter\b"),
    ("next_quarter", r"\b(?:next|coming|following)\s+(?:fiscal\s+)?quarter\b"),
    ("last_quarter", r"\b(?:last|prior|previous|preceding)\s+quarter\b"),
    ("next_year", r"\b(?:next|coming)\s+(?:fiscal\s+|calendar\s+)?year\b"),
    (
        "last_year",
        r"\b(?:last|prior|previous)\s+(?:fiscal\s+)?year\b|\ba\s+year\s+(?:ago|earlier|before)\b"
        r"|\bthe\s+(?:year[\s-]+(?:ago|earlier)|prior[\s-]+year|previous[\s-]+year)\s+(?:quarter|period)\b"
        r"|\bthe\s+same\s+(?:quarter|period)\s+(?:of\s+|in\s+)?(?:last|the\s+previous|the\s+prior)\s+year\b",
    ),
    (
        "this_year",
        r"\b(?:this|the\s+current|current)[\s-]+(?:fiscal\s+|calendar\s+)?year\b"
        r"|\b(?:the\s+)?full[\s-]+(?:fiscal\s+)?year\b|\bfor\s+the\s+(?:fiscal\s+)?year\b"
        r"|\bthroughout\s+the\s+year\b",
    ),
    ("ytd", r"\byear[\s-]+to[\s-]+date\b|\bYTD\b|\bso\s+far\s+this\s+year\b"),
    (
        "trailing",
        r"\b(?:last|past|trailing|prior)\s+(?:four|4|twelve|12)\s+(?:quarters|months)\b"
        r"|\btrailing[\s-]+twelve[\s-]+months?\b|\bTTM\b|\bLTM\b",
    ),
    ("same_period", r"\bsame\s+(?:time\s+)?period\b"),
]
