"""The words that name each metric (capex, RPO and backlog, operating cash flow) in six
languages, the words that name other figures (which block a number from being read as one of
ours), and the test for a sentence that names a metric."""

from __future__ import annotations

import re

from ._literals import trie

_I = re.IGNORECASE

# Korean, Chinese (simplified and traditional), Japanese, Spanish and German. East Asian words
# are matched as substrings: those scripts put no spaces between words.
_CAPEX_FOREIGN = (
    r"자본\s?지출|자본적\s?지출|설비\s?투자|시설\s?투자"
    r"|资本性?(?:支出|开支)|資本性?(?:支出|開支)|設備投資|资本投资|資本投資|資本的支出"
    r"|\binversi(?:ón|ones)\s+(?:de|en)\s+capital\b|\bgastos?\s+de\s+capital\b"
    r"|\binversi(?:ón|ones)\s+en\s+(?:activos\s+fijos|bienes\s+de\s+capital)\b"
    # "invirtió 27.100 millones en bienes de capital", "destinó ... a bienes de equipo"
    r"|(?:(?<=\ben\s)|(?<=\sa\s))bienes\s+de\s+(?:capital|equipo)\b|\bgastos?\s+en\s+capital\b"
    r"|\bpresupuestos?\s+de\s+(?:capital|inversi(?:ón|ones))\b|\binversi(?:ón|ones)\s+en\s+instalaciones\b"
    # "unas inversiones de entre 91.000 y 93.000 millones", "inmuebles y equipos", "la compra de
    # propiedades y equipos" (not "inversiones financieras", "inversiones en startups")
    r"|\binversiones\b(?!\s+(?:financieras|en\s+(?:startups|empresas|compañías|acciones|bolsa)))"
    r"|\b(?:compras?|adquisici(?:ón|ones)|pagos?)\s+(?:de|por)\s+(?:propiedades|inmuebles),?\s+"
    r"(?:planta\s+)?y\s+equipos?\b|(?<=\ben\s)(?:propiedades|inmuebles),?\s+(?:planta\s+)?y\s+equipos?\b"
    r"|\bpropiedades,\s+planta\s+y\s+equipos?\b"
    r"|\bInvestitionsausgaben\b|\bInvestitionsbudgets?\b|\bKapitalausgaben\b"
    r"|\bSachinvestitionen\b|\bInvestitions(?:volumen|planung|pläne|plan|prognose|ziel|ausblick)\w*"
    r"|\bInvestitionen\b"
    # "Microsoft investierte im Quartal 19 Milliarden Dollar", "... in Sachanlagen investieren",
    # "seine Capex-Prognose"
    r"|\binvestier(?:t|te|ten|en)\b|\bin\s+Sachanlagen\b|\bCapex-?(?:Prognose|Planung|Ausblick|Budget|Ziel)\w*"
    # "Meta将2025年capex指引上调至...": an English word among Chinese ones has no \b
    r"|(?<=[\u3040-\u9fff])cap[\s-]?ex(?![A-Za-z])|(?<![A-Za-z])cap[\s-]?ex(?=[\u3040-\u9fff])"
)
_RPO_FOREIGN = (
    r"잔여\s?이행\s?의무|未履行的?履[约約]义务|未履行的?履約義務|剩余履约义务|剩餘履約義務"
    r"|残存履行義務|\bobligaciones\s+de\s+(?:desempeño|rendimiento|cumplimiento|ejecución)\s+"
    r"(?:pendientes|restantes)\b"
    r"|\bverbleibenden?\s+Leistungsverpflichtungen\b|\bRestleistungsverpflichtungen\b"
    r"|(?<=[\u3040-\u9fff\uac00-\ud7a3])RPO(?![A-Za-z])|(?<![A-Za-z])RPO(?=[\u3040-\u9fff\uac00-\ud7a3])"
)
_BACKLOG_FOREIGN = (
    r"수주\s?잔고|수주\s?잔액|在手订单|在手訂單|订单积压|訂單積壓|积压订单|積壓訂單|未交付订单"
    r"|受注残高?|\bcartera\s+de\s+(?:pedidos|contratos)\b"
    r"|\bAuftragsbest(?:and|ände|ands)\b|\bAuftragsrückstand\b"
)
_OCF_FOREIGN = (
    r"영업\s?활동\s?(?:으로\s?인한\s?)?현금\s?흐름|영업\s?현금\s?흐름"
    r"|经营(?:活动)?(?:产生的)?现金流量?|經營(?:活動)?(?:產生的)?現金流量?|营运现金流|營運現金流"
    r"|営業(?:活動による)?キャッシュ[・･]?フロー"
    r"|\bflujo\s+de\s+(?:caja|efectivo)\s+(?:operativo|operacional|de\s+(?:las\s+)?operaciones"
    r"|de\s+explotación|(?:neto\s+)?(?:de|procedente\s+de|generado\s+por)\s+(?:las\s+)?"
    r"actividades\s+(?:de\s+operación|operativas))\b"
    r"|\boperative[nrm]?\s+Cash[\s-]?flows?\b"
    r"|\bCash[\s-]?flows?\s+aus\s+(?:der\s+)?(?:laufend(?:en|er)\s+|operativer\s+)?Geschäftstätigkeit\b"
    r"|\bMittel(?:zufluss|zuflüsse)\s+aus\s+(?:der\s+)?(?:laufend(?:en|er)\s+|operativer\s+)?"
    r"Geschäftstätigkeit\b"
)
_BLOCKERS_FOREIGN = (
    r"매출|영업\s?이익|순\s?이익|이익|잉여\s?현금\s?흐름|자사주|배당|시가\s?총액|부채|차입|연구\s?개발"
    r"|감가\s?상각|비용|계약|인수|지분|투자\s?유치|수주(?!\s?잔)"
    r"|营收|營收|营业收入|營業收入|收入|销售额|銷售額|净利润?|淨利潤?|利润|利潤|盈利|毛利"
    r"|自由现金流|自由現金流|回购|回購|股息|分红|分紅|市值|债务|債務|负债|負債|研发|研發|折旧|折舊"
    r"|摊销|攤銷|收购|收購|融资(?!租赁)|融資(?!租賃)|估值|成本|费用|費用|订单|訂單|合同|合约|合約"
    r"|売上|営業利益|純利益|最終利益|利益|フリー[・･]?キャッシュ[・･]?フロー|自社株|配当|時価総額"
    r"|負債|借入|研究開発|減価償却|買収|出資|資金調達|コスト|受注(?!残)|契約"
    r"|\b(?:ingresos|ventas|facturación|beneficios?|ganancias?|utilidad(?:es)?|recompras?"
    r"|dividendos?|capitalización|deuda|amortizaci(?:ón|ones)|depreciaci(?:ón|ones)"
    r"|adquisici(?:ón|ones)|costes|costos|gastos\s+operativos|financiación|financiamiento"
    r"|valoración|contratos?|acuerdos?)\b|\bflujo\s+de\s+caja\s+libre\b"
    r"|\b(?:Umsatz|Umsätze|Umsatzerlöse|Erlöse|Gewinne?|Nettogewinn|Ergebnis|Betriebsergebnis"
    r"|Aktienrückk(?:auf|äufe)|Rückkäufe|Dividenden?|Börsenwert|Marktkapitalisierung|Schulden"
    r"|Verbindlichkeiten|Abschreibungen|Übernahme|Kaufpreis|Finanzierung|Bewertung|Kosten"
    r"|Forschung|Aufträge|Auftrag|Verträge|Vertrag|Beteiligung)\b"
    r"|\b(?:freie[nr]?|Free)\s+Cash[\s-]?flows?\b"
)

# (metric, variant, pattern)
METRIC_TERMS: list[tuple[str, str | None, str]] = [
    (
        "capex",
        "cash paid for PP&E",
        r"cash\s+paid\s+for\s+(?:PP&E|property,?\s+(?:plant,?\s+)?and\s+equipment)",
    ),
    (
        "capex",
        "purchases of property and equipment",
        r"(?:purchases?|payments?)\s+(?:of|for)\s+(?:property,?\s+(?:plant,?\s+)?and\s+equipment"
        r"|PP&E|productive\s+assets)",
    ),
    ("capex", "cash capex", r"cash\s+cap[\s-]?ex\b"),
    ("capex", None, r"capital[\s-]+expenditures?|capital[\s-]+expenses|\bcap[\s-]?ex\b"),
    (
        "capex",
        "capital investments",
        r"capital[\s-]+(?:investments?|spending|spend|outlays?|projects)",
    ),
    ("rpo", "commercial RPO", r"commercial\s+(?:remaining\s+performance\s+obligations?|RPO)"),
    ("rpo", None, r"remaining\s+performance\s+obligations?|\bRPO\b"),
    ("rpo", "backlog", r"\b(?:revenue\s+)?backlog(?:\s+of\s+(?:future\s+)?revenue)?\b"),
    (
        "ocf",
        None,
        r"operating\s+cash\s+flows?|cash\s+flows?\s+from\s+operati(?:ons|ng\s+activities)"
        r"|(?:net\s+)?cash\s+(?:provided\s+by|generated\s+(?:by|from))(?:\s+\(used\s+in\))?\s+"
        r"operati(?:ons|ng\s+activities)",
    ),
]
_ENGLISH_TERMS = len(METRIC_TERMS)
METRIC_TERMS += [
    ("capex", None, _CAPEX_FOREIGN),
    ("rpo", "commercial RPO", r"商业剩余履约义务|商業剩餘履約義務|상업용\s?잔여\s?이행\s?의무"),
    ("rpo", None, _RPO_FOREIGN),
    ("rpo", "backlog", _BACKLOG_FOREIGN),
    ("ocf", None, _OCF_FOREIGN),
]
# Figures that are not ours. "leases" inside "including finance leases" is a qualifier of
# capex, not a competing figure; that case is filtered where the match is used.
BLOCKER_TERMS = (
    r"free\s+cash\s+flows?|revenues?|\bsales\b|income|earnings|\bEPS\b|margins?|expenses|\bopex\b"
    r"|depreciation|amortization|buy\s?backs?|bought\s+back|repurchases?|repurchased|dividends?"
    r"|\bdebt\b|\bnotes\b|\bbonds?\b|borrowings?|cash\s+and\s+(?:cash\s+equivalents|marketable)"
    r"|deferred\s+revenue|bookings|headcount|run[\s-]rate|valuation|market\s+cap\w*|\bcosts?\b"
    r"|\bleases?\b|\bprofits?\b|EBITDA|\btax(?:es)?\b|liquidity|acquisitions?|purchase\s+price"
    r"|contracts?\b|\bdeals?\b|commitments?|\bfunding\b|\bequity\b|\bstake\b|\bloans?\b|\bprice\b"
    r"|shareholders|\bproceeds\b|issuance|\bfinancing\b|\bARR\b|\bGMV\b|subscriptions?|\bfines?\b|\bpenalt(?:y|ies)\b|"
    + _BLOCKERS_FOREIGN
)
# A term starts where no Latin letter or digit comes before it, or at a letter of another
# script ("商業RPO", "설비투자"): "earnings" is not read in "learnings", nor "valuation" in
# "evaluation"; and the patterns' many branches are tried there only, not at every letter.
WORD_START = r"(?:(?<![0-9A-Za-z\u00c0-\u024f])|(?=[^\x00-\u024f]))"
TERM_RE = re.compile(
    WORD_START
    + "(?:"
    + "|".join(f"(?P<m{i}>{p})" for i, (_, _, p) in enumerate(METRIC_TERMS))
    + f"|(?P<block>{BLOCKER_TERMS}))",
    _I,
)
ANY_METRIC_RE = re.compile(WORD_START + "(?:" + "|".join(p for _, _, p in METRIC_TERMS) + ")", _I)
_ENGLISH_METRIC_RE = re.compile(
    WORD_START + "(?:" + "|".join(p for _, _, p in METRIC_TERMS[:_ENGLISH_TERMS]) + ")", _I
)
_FOREIGN_METRIC_RE = re.compile(
    WORD_START + "(?:" + "|".join(p for _, _, p in METRIC_TERMS[_ENGLISH_TERMS:]) + ")", _I
)
LEASE_QUALIFIER = re.compile(
    r"(?:including|excluding|inclusive\s+of|net\s+of)\s+(?:principal\s+payments\s+(?:on|of)\s+)?"
    r"(?:finance|financed|capital)?\s*leases?",
    _I,
)

# The stems of each language's metric words, to find cheaply the text worth matching.
_ENGLISH_GATE = ("cap", "rpo", "backlog", "remaining", "pp&e", "property", "productive", "operati")
_FOREIGN_GATE = (
    "자본", "설비", "시설", "수주", "잔여", "영업", "资本", "資本", "設備", "履约", "履約", "履行",
    "订单", "訂單", "经营", "經營", "营运", "營運", "受注", "営業", "inversi", "gasto", "cartera",
    "bienes de", "presupuesto", "obligaciones", "flujo", "investition", "kapitalausgaben",
    "auftrag", "propiedades", "inmuebles",
    "leistungsverpflicht",
    "geschäftstätigkeit", "cashflow", "cash-flow", "mittelzufluss", "investier", "sachanlagen",
    "capex",
)  # fmt: skip


def names_metric(text: str) -> bool:
    """True when a sentence names one of our metrics. Plain substring tests come first: they
    are much cheaper than the patterns, and the other languages' patterns run only on text
    that has one of their words."""
    lower = text.lower()
    english = _ENGLISH_STEMS.search(lower) is not None
    # "甲骨文RPO达到...": a capitalised RPO among other scripts ("rpo" alone is in "corporate")
    foreign = _FOREIGN_STEMS.search(lower) is not None or "RPO" in text
    return _named(text, english, foreign)


_ENGLISH_STEMS = re.compile(trie(_ENGLISH_GATE))
_FOREIGN_STEMS = re.compile(trie(_FOREIGN_GATE))


def _named(text: str, english: bool, foreign: bool) -> bool:
    if english and _ENGLISH_METRIC_RE.search(text):
        return True
    return foreign and bool(_FOREIGN_METRIC_RE.search(text))


