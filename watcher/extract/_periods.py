"""Fiscal periods: a company's fiscal calendar, the quarter a document reports on, and the
period expressions of a sentence ("Q1", "the fourth quarter", "fiscal 2025", "this year",
"next year", "the first half", "year-to-date", "the last four quarters") resolved to labels
such as FY2025, FY2026-Q1 or the span FY2023-Q2-FY2024-Q1."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ._scripts import EAST_ASIAN, ScriptPattern

Quarter = tuple[int, int]  # (fiscal year, quarter 1-4)


@dataclass(frozen=True)
class FiscalCalendar:
    """Fiscal years are named by the calendar year in which they end."""

    end_month: int = 12

    def year_of(self, day: dt.date) -> int:
        return day.year if day.month <= self.end_month else day.year + 1

    def quarter_of(self, day: dt.date) -> Quarter:
        first_month = self.end_month % 12 + 1
        return self.year_of(day), (day.month - first_month) % 12 // 3 + 1

    def reported_quarter(self, day: dt.date) -> Quarter:
        """The last quarter that ended before the day: what an earnings call or a filing on
        that day reports."""
        return shift(self.quarter_of(day), -1)


def shift(q: Quarter, n: int) -> Quarter:
    index = q[0] * 4 + (q[1] - 1) + n
    return index // 4, index % 4 + 1


def label(first: Quarter | int, last: Quarter | int | None = None) -> str:
    """FY2025, FY2025-Q1, FY2023-Q2-FY2024-Q1; a span of a whole fiscal year is named by it."""
    if isinstance(first, int):
        if last is None or last == first:
            return f"FY{first}"
        return f"FY{first}-FY{last}"
    if last is None or last == first:
        return f"FY{first[0]}-Q{first[1]}"
    assert isinstance(last, tuple)
    if first[0] == last[0] and first[1] == 1 and last[1] == 4:
        return f"FY{first[0]}"
    return f"FY{first[0]}-Q{first[1]}-FY{last[0]}-Q{last[1]}"


@dataclass(frozen=True)
class PeriodRef:
    """A period expression at text[start:end]."""

    start: int
    end: int
    kind: str  # quarter, year, this_quarter, next_quarter, last_quarter, this_year, next_year,
    # last_year, half, ytd, trailing, same_period, year_span
    quarter: int | None = None
    year: int | None = None
    year2: int | None = None
    comparison: bool = False  # "from Q3", "versus last year": a comparison base
    # "올해", "去年", "el año pasado": named from the document's date, as news does, not
    # from the quarter a call reports on.
    dated: bool = False
    month: int | None = None  # a day named by its date ("September 30, 2024"): its month
    months: int | None = None  # "the nine months ended ...": a span of that many months

    def resolve(
        self, cal: FiscalCalendar, day: dt.date | None, guidance: bool
    ) -> tuple[Quarter | int, Quarter | int | None] | None:
        """(first, last) of the period, or None when the date is needed and unknown."""
        year = self.year
        if self.kind == "year" and year is not None:
            return year, None
        if self.kind == "year_span" and year is not None:
            return year, self.year2
        if self.kind == "quarter" and year is not None and self.quarter:
            return (year, self.quarter), None
        if self.kind == "date" and year is None and self.month and day is not None:
            # "4～6月期" with no year: the latest such months ended by the day (an outlook:
            # the next ones to end)
            ended = self.month < day.month
            if guidance:
                year = day.year + 1 if ended else day.year
            else:
                year = day.year if ended else day.year - 1
        if self.kind == "date" and year is not None and self.month:
            last = cal.quarter_of(dt.date(year, self.month, 1))
            if not self.months or self.months <= 3:
                return last, None
            return shift(last, -(self.months // 3 - 1)), last
        if day is None:
            return None
        reported = cal.reported_quarter(day)
        current_year = cal.year_of(day) if guidance or self.dated else reported[0]
        if self.kind == "quarter" and self.quarter:
            return _nearest_quarter(reported, self.quarter, guidance), None
        if self.kind == "this_quarter":
            return (shift(reported, 1) if guidance else reported), None
        if self.kind == "next_quarter":
            return shift(reported, 1), None
        if self.kind == "last_quarter":
            return shift(reported, -1), None
        if self.kind == "this_year":
            return current_year, None
        if self.kind == "next_year":
            return current_year + 1, None
        if self.kind == "last_year":
            return current_year - 1, None
        if self.kind == "half" and self.quarter:
            fy = year or current_year
            return (fy, self.quarter), (fy, self.quarter + 1)
        if self.kind == "ytd":
            return (reported[0], 1), reported
        if self.kind == "trailing":
            return shift(reported, -3), reported
        return None


def _nearest_quarter(reported: Quarter, q: int, guidance: bool) -> Quarter:
    """A bare "Q1": the latest Q1 reported so far for an actual, the next one for guidance."""
    if guidance:
        cand = (reported[0], q)
        return cand if cand > reported else (reported[0] + 1, q)
    cand = (reported[0], q)
    return cand if cand <= reported else (reported[0] - 1, q)


_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_YEAR_TAIL = (
    r"(?:\s*(?:of\s+)?(?:(?:fiscal\s+(?:year\s+)?|FY\s?'?|F)(?P<qfy>\d{4}|\d{2})\b"
    r"|(?:calendar\s+(?:year\s+)?)?(?P<qy>20\d{2})\b|'(?P<qy2>\d{2})\b))?"
)
# Korean, Chinese, Japanese, Spanish and German. East Asian scripts put no spaces between
# words, so their expressions carry no \b; a year is written before its quarter ("2025년
# 1분기", "2025年第一季度", "2025年第1四半期").
_Q_WORDS = {
    "1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4,
    "primer": 1, "segundo": 2, "tercer": 3, "cuarto": 4,
    "erste": 1, "ersten": 1, "erstes": 1, "zweite": 2, "zweiten": 2, "zweites": 2,
    "dritte": 3, "dritten": 3, "drittes": 3, "vierte": 4, "vierten": 4, "viertes": 4,
}  # fmt: skip
_FOREIGN_YEAR_WORD = r"(?:财年|財年|会计年度|會計年度|年度|年|년|회계\s?연도|회계\s?년도)"
_ES_MONTH_NAMES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                   "septiembre", "octubre", "noviembre", "diciembre")  # fmt: skip
_ES_MONTHS = "|".join((*_ES_MONTH_NAMES, "setiembre"))
# Japanese names a fiscal year by the month it ends in: "2026年3月期", "26年12月期".
_JA_FISCAL = r"\s?年\s?(?:1[0-2]|0?[1-9])\s?月期"
# "연간", "通期", "全年": the whole of the year named just before ("2026년 연간", "내년 연간").
_ANNUAL = r"(?:\s?(?:연간|한\s?해|全年度?|通期|年間)){1,2}"
_DE_MONTH_NAMES = (
    "januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september",
    "oktober", "november", "dezember",
)  # fmt: skip
_DE_MONTHS = (
    r"(?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)"
)
_FOREIGN_FIRST: list[tuple[str, str]] = [
    # "2분기(2024년 9~11월)", "2024年10～12月期", "4～6月期", "1～9月期": the months of a quarter
    # (or of a span from the start of a fiscal year), the year being that of the first month.
    (
        "mspan",
        # "(2024년 6월~2025년 5월)", "2024年7月～25年6月": a year named at both ends
        r"(?P<ya>20\d{2}|(?<!\d)\d{2})\s?[년年]\s?(?P<ma>1[0-2]|0?[1-9])\s?[월月]\s?[~～〜∼-]\s?"
        r"(?P<yb>20\d{2}|\d{2})\s?[년年]\s?(?P<mb>1[0-2]|0?[1-9])\s?[월月]"
        r"|(?:(?P<my>20\d{2}|(?<!\d)\d{2})\s?[년年]\s?)?(?<!\d)(?P<m1>1[0-2]|0?[1-9])\s?[월月]?\s?"
        r"[~～〜∼]\s?(?P<m2>1[0-2]|0?[1-9])\s?[월月](?!\s?\d)",
    ),
    (
        "fquarter",
        rf"(?:(?:(?P<fqy>20\d{{2}})\s?(?:{_JA_FISCAL}|{_FOREIGN_YEAR_WORD})?"
        rf"|(?<!\d)(?P<fqy5>\d{{2}}){_JA_FISCAL})\s?)?(?:第\s?)?(?P<fq>[1-4一二三四])\s?"
        r"(?:분기|财季|財季|季度|四半期|季)"
        r"|\b(?P<fq2>primer|segundo|tercer|cuarto)\s+trimestre(?:\s+(?:fiscal\s+)?(?:de(?:l)?\s+)?"
        r"(?:su\s+)?(?:(?:año|ejercicio)(?:\s+fiscal)?\s+)?(?P<fqy2>20\d{2}))?"
        r"|\b(?:(?P<fq3>erste[nrs]?|zweite[nrs]?|dritte[nrs]?|vierte[nrs]?)\s+|(?P<fq4>[1-4])\.\s?)"
        r"(?:Geschäfts|Fiskal)?[Qq]uartals?(?:\s+(?:(?:des|im)\s+(?:Geschäftsjahr(?:es)?|Fiskaljahr(?:es)?"
        r"|Jahres)\s+)?(?P<fqy3>20\d{2})(?:/(?P<fqy3b>\d{2})(?![\d/]))?)?",
    ),
    (
        "fhalf",
        rf"(?:(?P<fhy>20\d{{2}})\s?{_FOREIGN_YEAR_WORD}?\s?)?(?P<fh>상반기|하반기|上半年|下半年|上半期|下半期)"
        r"|\b(?P<fh2>primer|segundo)\s+semestre\b|\b(?P<fh3>ersten|zweiten)\s+(?:Halbjahr|Jahreshälfte)\b",
    ),
    (
        "year_span",
        r"(?<![\d$.,])(?P<s1>20\d{2})\s?(?:년|年)?\s?(?:~|～|〜|至|到|bis|a|-|–)\s?(?P<s2>20\d{2})(?!\d)",
    ),
    ("year_split", r"(?<![\d$.,/])(?P<ya>20\d{2})/(?P<yb>\d{2})(?![\d/])"),
    # "el trimestre octubre-diciembre", "el periodo de julio a septiembre de 2025": the months
    # of a quarter, the year being that of the last month.
    (
        "es_mspan",
        rf"\b(?:trimestre|periodo|período|meses)\s+(?:de\s+)?(?P<em1>{_ES_MONTHS})\s?(?:-|–|a)\s?"
        rf"(?P<em2>{_ES_MONTHS})\b(?:\s+(?:de|del)\s+(?:(?:año|ejercicio)\s+(?:fiscal\s+)?)?"
        r"(?P<emy>20\d{2})\b)?",
    ),
    # "frente a 5.000 millones en el mismo periodo del año anterior": a year before the figure
    # given just before.
    (
        "last_year",
        r"\b(?:el|del|al)\s+mismo\s+(?:periodo|período|trimestre|lapso)\s+del?\s+(?:año|ejercicio)"
        r"\s+(?:anterior|pasado|previo)\b|\bun\s+año\s+(?:antes|atrás)\b|\bhace\s+un\s+año\b",
    ),
    ("year", rf"(?<!\d)(?P<y>20\d{{2}}|\d{{2}}){_JA_FISCAL}"),
    ("year", rf"(?P<y>20\d{{2}})\s?(?:년|年度?|회계\s?[연년]도){_ANNUAL}"),
    # Japanese news writes the year in two digits: "24年実績の525億ドル", "25年の設備投資"; not a
    # count of years ("20年間", "今後20年", "20年ぶり").
    (
        "year",
        r"(?<![\d.,後去約こ])(?P<y>2\d)年(?!\s?\d|度|間|前|後|以|来|ぶり|連続|末|初|代|近|余|超|程)",
    ),
    ("dated:next_year", rf"(?:내년|다음\s?회계\s?[연년]도|来年度?|来期|来会計年度|明年){_ANNUAL}"),
    ("dated:last_year", rf"(?:작년|지난해|지난\s?회계\s?[연년]도|去年|昨年度?|前期){_ANNUAL}"),
    (
        "dated:this_year",
        rf"(?:올해|금년|(?:이번|올|금)\s?회계\s?[연년]도|今年度?|今期|今会計年度|本年度?){_ANNUAL}",
    ),
    # "전년 동기(69억 달러)", "前年同期の98億元": the same period a year before the figure's.
    (
        "last_year",
        r"(?:전년|작년|지난해)\s?(?:동기|같은\s?기간)(?!\s?대비)"
        r"|(?:前年同期|前年同四半期|去年同期|上年同期)(?!比)",
    ),
    # Japanese "前期の212億ドル" is the previous fiscal year (Chinese 前期 is "earlier").
    ("dated:last_year", r"前期(?=[のはにもか]|比|実績)"),
    # "nach 2,1 Milliarden Dollar im Vorjahresquartal": the same quarter a year before.
    ("last_year", r"\bVorjahres(?:quartal|zeitraum|periode)s?\b"),
    ("year", r"(?P<y>20\d{2})\s?(?:财年|財年|会计年度|會計年度)\s?(?:全年度?|整年)"),
    # "2025年Q2", "2025财年Q1末", "今年Q3": a quarter written Q among Chinese words
    (
        "cjk_q",
        r"(?:(?P<cqy>20\d{2})\s?(?:财年|財年|会计年度|會計年度|年度|年)\s?|(?<=[\u3040-\u9fff]))"
        r"F?Q(?P<cq>[1-4])(?![0-9A-Za-z])",
    ),
    # "im Schlussquartal", "das Weihnachtsquartal": the fourth
    ("de_q4", r"\b(?:Schluss|Jahresschluss|Weihnachts)quartals?\b"),
    # "im Quartal bis Ende Mai", "in den Monaten Juli bis September 2025"
    (
        "de_mspan",
        rf"\b(?:Quartal|Vierteljahr|Dreimonatszeitraum)\s+(?:bis\s+(?:Ende\s+)?|zum\s+)"
        rf"(?P<dm2>{_DE_MONTHS})(?:\s+(?P<dmy>20\d{{2}}))?\b"
        rf"|\bMonaten?\s+(?P<dm1>{_DE_MONTHS})\s+bis\s+(?P<dm3>{_DE_MONTHS})(?:\s+(?P<dmy2>20\d{{2}}))?\b",
    ),
    # "se situó en 64.089 millones en el ejercicio": the whole fiscal year (of the figure's time)
    (
        "this_year",
        r"全年度?|通期|연간|\bel\s+año\s+completo\b|\bGesamtjahr(?:es)?\b"
        r"|\ben\s+el\s+ejercicio\b(?!\s+(?:fiscal\b|anterior\b|pasado\b|previo\b|en\s+curso\b"
        r"|actual\b|20\d\d|\d\d\b))",
    ),
]
_FOREIGN_LAST: list[tuple[str, str]] = [
    (
        "this_quarter",
        r"이번\s?분기|本季度|本财季|本財季|当前财季|當前財季|本季|当季|當季|今四半期|当四半期"
        r"|\beste\s+trimestre\b"
        r"|\b(?:diese[sm]?|laufenden)\s+Quartal\b"
        r"|\b(?:abgelaufenen|vergangenen|zurückliegenden)\s+(?:Geschäfts)?[Qq]uartals?\b",
    ),
    (
        "next_quarter",
        r"다음\s?분기|下一?个?季度|下一?個?季度|下一?[个個]?[财財]季|来四半期|翌四半期"
        r"|\bel\s+próximo\s+trimestre\b"
        r"|\b(?:nächsten|kommenden)\s+Quartal\b",
    ),
    (
        "last_quarter",
        r"지난\s?분기|직전\s?분기|(?<![가-힣])이?전\s?분기|上一?个?季度|上一?個?季度|上一?[个個]?[财財]季"
        r"|(?:此前|之前|前)一?[个個]?(?:季度|[财財]季)|上季度?|前四半期"
        r"|\bel\s+trimestre\s+(?:pasado|anterior)\b"
        r"|\bVorquartal\b|\bletzten\s+Quartal\b",
    ),
    (
        "next_year",
        r"내년|다음\s?회계\s?[연년]도|来会計年度|明年|来年度?|来期|下一?个?财年|下一?個?財年|下一?财政年度"
        r"|\b(?:el|del|al)\s+(?:próximo|siguiente)\s+(?:año|ejercicio)\b|\bel\s+año\s+que\s+viene\b"
        r"|\b(?:nächste[snm]?|kommende[snm]?)\s+(?:Jahr|Geschäftsjahr)\b",
    ),
    (
        "last_year",
        r"작년|지난해|지난\s?회계\s?[연년]도|전년(?!\s?동기)|去年|上年|上一?个?财年|上一?個?財年|昨年度?|前年度?"
        r"|\b(?:el|del|al)\s+(?:año|ejercicio)\s+(?:pasado|anterior)\b"
        r"|\b(?:letzte[snm]?|vergangene[snm]?)\s+(?:Jahr|Geschäftsjahr)\b|\bVorjahr(?:es)?\b"
        # "nach 11 Milliarden Dollar ein Jahr zuvor": the same period a year before
        r"|\bein\s+Jahr\s+(?:zuvor|früher|davor|vorher)\b|\bvor\s+einem\s+Jahr\b",
    ),
    (
        "ytd",
        r"今年迄今|年初至今|今年以来|今年以來|年初来|\ben\s+lo\s+que\s+va\s+de(?:l)?\s+(?:año|ejercicio)\b"
        r"|\bseit\s+Jahresbeginn\b|\bbisher\s+in\s+diesem\s+Jahr\b",
    ),
    (
        "this_year",
        r"올해|금년|올\s?한\s?해|(?:이번|올|금)\s?회계\s?[연년]도|今会計年度|本会計年度|当会計年度"
        r"|今年度?|本年度|本财年|本財年|本会计年度|本會計年度|今期|当前财年|當前財年|本财政年度|本財政年度"
        r"|\b(?:este|el\s+presente)\s+(?:año|ejercicio)\b|\b(?:el|del)\s+(?:año|ejercicio)\s+en\s+curso\b"
        r"|\b(?:el|del|al)\s+(?:actual|presente)\s+(?:año|ejercicio)\b|\btodo\s+el\s+(?:año|ejercicio)\b"
        r"|\b(?:el|del)\s+conjunto\s+del?\s+(?:año|ejercicio)\b"
        r"|\b(?:el|del)\s+(?:año|ejercicio)\s+(?:fiscal\s+)?(?:en\s+curso|actual)\b"
        r"|\b(?:dieses|diesem|laufenden|laufende)\s+(?:Jahr(?:es)?|Geschäftsjahr(?:es)?)\b"
        r"|\bim\s+Gesamtjahr\b",
    ),
]
_MONTHS = {
    m: n + 1
    for n, m in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august", "september",
         "october", "november", "december")
    )
}  # fmt: skip
_MONTHS_WORDS = {"three": 3, "six": 6, "nine": 9, "twelve": 12, "3": 3, "6": 6, "9": 9, "12": 12}
_PATTERNS: list[tuple[str, str]] = [
    (  # "the fiscal 2024 third quarter", "FY2026 first quarter"
        "year_quarter",
        r"\b(?:fiscal\s+(?:year\s+)?|FY\s?'?|calendar\s+)(?P<yqy>\d{4}|\d{2})[\s-]+"
        r"(?:(?P<yqw>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal\s+)?quarter|Q(?P<yqn>[1-4]))\b",
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
_COMPILED = [
    (kind, ScriptPattern(p, re.IGNORECASE))
    for kind, p in _FOREIGN_FIRST + _PATTERNS + [(f"dated:{k}", p) for k, p in _FOREIGN_LAST]
]
_COMPARISON_BEFORE = re.compile(
    r"\bfrom\s+\S+\s+to\s+$|\b(?:from|versus|vs\.?|compared\s+(?:to|with)|than|relative\s+to)\s+(?:the\s+|our\s+)?$"
    r"|(?:较|較|比|相比|对比|對比|同比)\s?$"
    r"|\b(?:frente\s+a(?:l)?|respecto\s+a(?:l)?|comparado\s+con|gegenüber|im\s+Vergleich\s+zu(?:m)?"
    r"|verglichen\s+mit)\s+(?:el\s+|la\s+|dem\s+|der\s+)?$",
    re.IGNORECASE,
)
_COMPARISON_AFTER = re.compile(r"\s?(?:대비|보다|に比べ|と比べ|比|同期|比較)")


def _year(raw: str | None) -> int | None:
    if not raw:
        return None
    value = int(raw)
    return value + 2000 if value < 100 else value


def find_periods(text: str, start: int = 0, end: int | None = None) -> list[PeriodRef]:
    """Period expressions in text[start:end], longest first where they overlap."""
    end = len(text) if end is None else end
    east_asian = EAST_ASIAN.search(text, start, end) is not None
    found: list[PeriodRef] = []
    for kind, patterns in _COMPILED:
        pattern = patterns.for_text(east_asian)
        if pattern is None:
            continue
        for m in pattern.finditer(text, start, end):
            if any(f.start < m.end() and m.start() < f.end for f in found):
                continue
            ref = _make_ref(kind, m, text)
            if ref is not None:
                found.append(ref)
    found.sort(key=lambda f: f.start)
    return found


def _make_ref(kind: str, m: re.Match[str], text: str) -> PeriodRef | None:
    g = m.groupdict()
    comparison = bool(
        _COMPARISON_BEFORE.search(text, max(0, m.start() - 20), m.start())
        or _COMPARISON_AFTER.match(text, m.end(), m.end() + 5)
    )
    foreign = ("fquarter", "fhalf", "year_split", "mspan", "es_mspan", "cjk_q", "de_mspan", "de_q4")
    if kind in foreign:
        return _foreign_ref(kind, m, comparison)
    if kind.startswith("dated:"):
        return PeriodRef(m.start(), m.end(), kind[6:], comparison=comparison, dated=True)
    if kind == "date":
        months = 12 if g["dyr"] else _MONTHS_WORDS.get((g["dn"] or "").lower())
        month = _MONTHS[g["dm"].lower()]
        return PeriodRef(m.start(), m.end(), "date", None, int(g["dy"]), comparison=comparison,
                         month=month, months=months)  # fmt: skip
    if kind == "year_quarter":
        q = int(g["yqn"] or _ORD[g["yqw"].lower()])
        return PeriodRef(m.start(), m.end(), "quarter", q, _year(g["yqy"]), comparison=comparison)
    if kind == "quarter":
        q = int(g["q1"] or g["q2"] or _ORD[g["q3"].lower()])
        year = _year(g.get("qfy") or g.get("qy") or g.get("qy2"))
        return PeriodRef(m.start(), m.end(), "quarter", q, year, comparison=comparison)
    if kind == "half":
        word = (g["h1"] or g["h2"] or g["h3"] or "").lower()
        first = 1 if word in ("first", "1st", "front", "1") else 3
        return PeriodRef(
            m.start(), m.end(), "half", first, _year(g.get("hy")), comparison=comparison
        )
    if kind == "year_span":
        y1, y2 = _year(g["s1"]), _year(g["s2"])
        if y1 is None or y2 is None or not y1 < y2 <= y1 + 10:
            return None
        return PeriodRef(m.start(), m.end(), kind, None, y1, y2, comparison=comparison)
    if kind == "year":
        year = _year(g.get("fy") or g.get("y"))
        if year is None or not 1990 <= year <= 2100:
            return None
        return PeriodRef(m.start(), m.end(), kind, None, year, comparison=comparison)
    return PeriodRef(m.start(), m.end(), kind, comparison=comparison)


def _foreign_ref(kind: str, m: re.Match[str], comparison: bool) -> PeriodRef | None:
    g = m.groupdict()
    if kind == "mspan" and g["ya"]:
        year, last = _year(g["yb"]), int(g["mb"])
        months = (year or 0) * 12 + last - ((_year(g["ya"]) or 0) * 12 + int(g["ma"])) + 1
        if months not in (3, 6, 9, 12):
            return None
    elif kind == "mspan":
        first, last = int(g["m1"]), int(g["m2"])
        months = (last - first) % 12 + 1
        if months not in (3, 6, 9, 12):
            return None
        year = _year(g["my"])
        if year is not None and last < first:
            year += 1  # "2023년 11~1월": the span ends in the next year
    if kind == "mspan":
        return PeriodRef(m.start(), m.end(), "date", None, year, comparison=comparison,
                         month=last, months=months)  # fmt: skip
    if kind == "es_mspan":
        first = _ES_MONTH_NAMES.index(g["em1"].lower().replace("setiembre", "septiembre")) + 1
        last = _ES_MONTH_NAMES.index(g["em2"].lower().replace("setiembre", "septiembre")) + 1
        months = (last - first) % 12 + 1
        if months not in (3, 6, 9, 12):
            return None
        return PeriodRef(m.start(), m.end(), "date", None, _year(g["emy"]), comparison=comparison,
                         month=last, months=months)  # fmt: skip
    if kind == "cjk_q":
        return PeriodRef(m.start(), m.end(), "quarter", int(g["cq"]), _year(g["cqy"]),
                         comparison=comparison)  # fmt: skip
    if kind == "de_q4":
        return PeriodRef(m.start(), m.end(), "quarter", 4, None, comparison=comparison)
    if kind == "de_mspan":
        last = _DE_MONTH_NAMES.index((g["dm2"] or g["dm3"]).lower()) + 1
        months = 3 if g["dm2"] else (last - _DE_MONTH_NAMES.index(g["dm1"].lower()) - 1) % 12 + 1
        if months not in (3, 6, 9, 12):
            return None
        return PeriodRef(m.start(), m.end(), "date", None, _year(g["dmy"] or g["dmy2"]),
                         comparison=comparison, month=last, months=months)  # fmt: skip
    if kind == "fquarter":
        word = g["fq"] or g["fq2"] or g["fq3"] or g["fq4"] or ""
        year = _year(g["fqy"] or g["fqy2"] or g["fqy3"] or g["fqy5"])
        if year is not None and g["fqy3b"] and int(g["fqy3b"]) == (year + 1) % 100:
            year += 1  # "im dritten Quartal des Geschäftsjahres 2025/26"
        q = _Q_WORDS.get(word.lower())
        return PeriodRef(m.start(), m.end(), "quarter", q, year, comparison=comparison)
    if kind == "fhalf":
        word = (g["fh"] or g["fh2"] or g["fh3"] or "").lower()
        first = 1 if word in ("상반기", "上半年", "上半期", "primer", "ersten") else 3
        return PeriodRef(m.start(), m.end(), "half", first, _year(g["fhy"]), comparison=comparison)
    # "Geschäftsjahr 2025/26": the fiscal year is named by the year in which it ends.
    first, second = int(g["ya"]), int(g["yb"])
    if second != (first + 1) % 100:
        return None
    return PeriodRef(m.start(), m.end(), "year", None, first + 1, comparison=comparison)
