"""The period expressions of Korean, Chinese, Japanese, Spanish and German: quarters and
halves ("2025년 1분기", "2025年第一季度", "第1四半期", "tercer trimestre", "im dritten Quartal"),
the months of a quarter ("4～6月期", "el trimestre octubre-diciembre", "Monaten Juli bis
September"), fiscal years ("2026年3月期", "Geschäftsjahr 2025/26") and relative ones ("올해",
"去年", "来期", "el próximo año", "im Vorjahr"). `_periods.find_periods` tries FOREIGN_FIRST
before the English patterns and FOREIGN_LAST after them; within each list, too, the order is the
priority where two overlap."""

from __future__ import annotations

# Korean, Chinese, Japanese, Spanish and German. East Asian scripts put no spaces between
# words, so their expressions carry no \b; a year is written before its quarter ("2025년
# 1분기", "2025年第一季度", "2025年第1四半期").
Q_WORDS = {
    "1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4,
    "primer": 1, "segundo": 2, "tercer": 3, "cuarto": 4,
    "erste": 1, "ersten": 1, "erstes": 1, "zweite": 2, "zweiten": 2, "zweites": 2,
    "dritte": 3, "dritten": 3, "drittes": 3, "vierte": 4, "vierten": 4, "viertes": 4,
}  # fmt: skip
_FOREIGN_YEAR_WORD = r"(?:财年|財年|会计年度|會計年度|年度|年|년|회계\s?연도|회계\s?년도)"
ES_MONTH_NAMES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                  "septiembre", "octubre", "noviembre", "diciembre")  # fmt: skip
_ES_MONTHS = "|".join((*ES_MONTH_NAMES, "setiembre"))
# Japanese names a fiscal year by the month it ends in: "2026年3月期", "26年12月期".
_JA_FISCAL = r"\s?年\s?(?:1[0-2]|0?[1-9])\s?月期"
# "연간", "通期", "全年": the whole of the year named just before ("2026년 연간", "내년 연간").
_ANNUAL = r"(?:\s?(?:연간|한\s?해|全年度?|通期|年間)){1,2}"
DE_MONTH_NAMES = (
    "januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september",
    "oktober", "november", "dezember",
)  # fmt: skip
_DE_MONTHS = (
    r"(?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)"
)
FOREIGN_FIRST: list[tuple[str, str]] = [
    # the last twelve months: "los últimos doce meses", "der letzten zwölf Monate", "최근 12개월",
    # "过去12个月", "直近12カ月"
    (
        "trailing",
        r"\b(?:(?:los|sus)\s+)?últimos\s+(?:doce|12)\s+meses\b|\bletzten\s+(?:zwölf|12)\s+Monat"
        r"|(?:최근|지난)\s?12\s?개월|(?:过去|過去|近|最近)\s?12\s?(?:个|個)月|(?:過去|直近)\s?12\s?(?:カ|ヶ|か)月",
    ),
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
FOREIGN_LAST: list[tuple[str, str]] = [
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
