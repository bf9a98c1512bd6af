"""Vocabulary: the words that name each metric, the words that name other figures (which
block a number from being read as one of ours), and the cues for guidance, estimates and
changes."""

from __future__ import annotations

import re

from ._literals import sentences_with, trie

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
TERM_RE = re.compile(
    "|".join(f"(?P<m{i}>{p})" for i, (_, _, p) in enumerate(METRIC_TERMS))
    + f"|(?P<block>{BLOCKER_TERMS})",
    _I,
)
ANY_METRIC_RE = re.compile("|".join(p for _, _, p in METRIC_TERMS), _I)
_ENGLISH_METRIC_RE = re.compile("|".join(p for _, _, p in METRIC_TERMS[:_ENGLISH_TERMS]), _I)
_FOREIGN_METRIC_RE = re.compile("|".join(p for _, _, p in METRIC_TERMS[_ENGLISH_TERMS:]), _I)
LEASE_QUALIFIER = re.compile(
    r"(?:including|excluding|inclusive\s+of|net\s+of)\s+(?:principal\s+payments\s+(?:on|of)\s+)?"
    r"(?:finance|financed|capital)?\s*leases?",
    _I,
)

GUIDANCE_CUES = re.compile(
    r"\b(?:expect(?:s|ed|ing)?|anticipat(?:e|es|ed|ing)|outlook|guidance|guid(?:e|ed|ing)|"
    r"forecast(?:s|ed|ing)?|project(?:s|ed|ing|ions?)?|plan(?:s|ned|ning)?|intend(?:s|ed)?|"
    r"will|going\s+to|should\s+be|looking\s+at|budget(?:s|ed)?|target(?:s|ed|ing)?|aim(?:s|ing)?\s+to|"
    r"looking\s+ahead|for\s+the\s+rest\s+of|now\s+sees?|sees|we\s+see|on\s+track\s+to|would|could"
    r"|might|(?<!in\s)(?<!\d\s)(?<!the\s)may\s+(?-i:(?:not\s+|well\s+|also\s+|now\s+|even\s+|still\s+)?"
    r"[a-z]{2,})\b(?<!\bde)(?<!\bdel)(?<!\bla)(?<!\bel)|to\s+(?:spend|invest)|set\s+to|poised\s+to|on\s+pace\s+to|slated\s+to"
    r"|narrow(?:s|ed|ing)?\s+(?:the|our|its|their)|(?:are|is|am)\s+(?:now\s+)?(?:raising|increasing"
    r"|lifting|boosting|lowering|reducing|cutting|trimming))\b|'ll\b",
    _I,
)
# "lower than expected" describes an actual.
NOT_GUIDANCE = re.compile(
    r"\b(?:than|as)\s+(?:we\s+)?(?:expected|anticipated|forecast|planned|guided)", _I
)
RESTATED_GUIDANCE = re.compile(r"(?<!as )\b(?:we|I)\s+(?:said|guided)\b", _I)
ACTUAL_VERBS = re.compile(
    r"\b(?:was|were|is|are|had|have|has|spent|invested|reported|reached|reaching|totaled|came\s+in|"
    r"stood|ended)\b",
    _I,
)

ESTIMATE_CUES = re.compile(
    r"(?<!told\s)(?<!with\s)(?<!\bto\s)(?<!for\s)\banalysts?'?\b|\bconsensus\b|\b(?:investment\s+banks?|brokerages?|research\s+(?:notes?|firms?))\b|\bthe\s+Street\b|Wall\s+Street|\bestimates?\s+(?:from|by)\b"
    r"|according\s+to\s+(?:analysts?|estimates|data|a\s+(?:survey|note|report)|research)"
    r"|\b(?:Morgan\s+Stanley|Goldman(?:\s+Sachs)?|JPMorgan|J\.P\.\s+Morgan|Bank\s+of\s+America|BofA"
    r"|Citi(?:group)?|UBS|Barclays|Jefferies|Bernstein|Evercore|Wells\s+Fargo|Deutsche\s+Bank"
    r"|Dell'Oro|Gartner|IDC|Bloomberg\s+Intelligence|FactSet|Visible\s+Alpha|LSEG|S&P\s+Global"
    r"|Moody's)\b",
    _I,
)
PASSIVE_EXPECTED = re.compile(
    r"\b(?:is|are|was|were)\s+(?:widely\s+|now\s+)?(?:expected|forecast|projected|estimated|seen)\s+to\b",
    _I,
)
FIRST_PERSON = re.compile(
    r"\b(?:[Ww]e|[Oo]ur|us|[Ww]e're|[Ww]e've|[Ww]e'll|I|I'm|I've|I'll)\b"
)

REAFFIRMED = re.compile(
    r"\b(?:still\s+(?:expect|anticipate|plan|see|project|believe)s?|continues?\s+to\s+(?:expect|"
    r"anticipate|plan|project|see)|reaffirm\w*|reiterat\w*|maintain(?:s|ed|ing)?|unchanged|"
    r"remains?\s+on\s+track|no\s+change|confirm(?:s|ed|ing)?|st(?:ood|ands?|uck|icks?|icking)\s+"
    r"(?:by|to|with)|(?:held|holds?|holding|kept|keeps?|keeping|left|leaves?)\b[^.;]{0,100}?"
    r"\b(?:steady|unchanged|intact|flat|the\s+same|in\s+place))\b",
    _I,
)
RAISED = re.compile(
    r"\b(?:rais(?:e|ed|es|ing)|increas(?:e|ed|es|ing)|lift(?:ed|s)?|boost(?:ed|s)?|hik(?:e|ed|es)|up)\b",
    _I,
)
LOWERED = re.compile(
    r"\b(?:lower(?:ed|s|ing)?|reduc(?:e|ed|es|ing)|cut(?:s|ting)?|decreas(?:e|ed|es|ing)|trimm?(?:ed|ing|s)?|slash(?:ed|es)?|down)\b",
    _I,
)
NARROWED = re.compile(r"\b(?:narrow(?:ed|s|ing)?|tighten(?:ed|s)?)\b", _I)
GUIDANCE_NOUN = re.compile(
    r"\b(?:guidance|outlook|forecast|estimate|plan|target|budget|expectations?|range|view|projection)s?\b",
    _I,
)
PRIOR_GAP = re.compile(
    r"\b(?:from|versus|vs\.?|compared\s+(?:to|with)|than)\b[^.;$]{0,60}?"
    r"\b(?:prior|previous|previously|earlier|original|initial|last|former|old)\b[^.;$]{0,40}?"
    r"\b(?:outlook|guidance|guide|range|estimate|forecast|expectation|projection|target|plan|view)s?\b"
    r"[^.;$\d]{0,30}$",
    _I,
)
PRIOR_AFTER = re.compile(r"\s*,?\s*(?:previously|prior|earlier|before)\b", _I)
FROM_GAP = re.compile(
    r"^\s*,?\s*(?:up|down)?\s*from\s*(?:approximately|about|around|roughly)?\s*$", _I
)

INCREMENT_BEFORE = re.compile(
    r"\b(?:up|down|by|rose|fell|grew|jumped|climbed|added|adding|add|additional|another|"
    r"incremental|extra|increase\s+of|decrease\s+of|increased|decreased|increasing|growth\s+of)\s+"
    r"(?:(?:approximately|about|roughly|nearly|around|over|more\s+than|almost|an?)\s+)?$",
    _I,
)
INCREMENT_AFTER = re.compile(
    r"^\s*(?:more|less|higher|lower|increase|decrease|incremental|above|below|ahead\s+of"
    r"|short\s+of|shy\s+of|greater\s+than|over\s+(?:(?:the|its|their|what)\s+)?(?:consensus"
    r"|estimates?|expectations?|forecasts?|guidance|analysts?|Wall\s+Street|last\s+year))\b",
    _I,
)
COMPONENT_BEFORE = re.compile(
    r"\b(?:including|includes|included|inclusive\s+of|of\s+which|excluding|excludes)\s+"
    r"(?:(?:an?|the|its|our|their)\s+)?(?:[\w-]+\s+){0,4}?(?:of\s+)?"
    r"(?:(?:approximately|about|roughly|nearly|around)\s+)?$",
    _I,
)
RIGHT_LINK = re.compile(
    r"\s*(?:(?:of|in|on|for|worth\s+of|into|toward|towards)\s+)?(?:(?:the|our|its|their|total|"
    r"annual|quarterly|cash|gross|net|AI|additional|its\s+own)\s+){0,3}",
    _I,
)
PRONOUN_SUBJECT = re.compile(
    r"\b(?:it|that|this|which)\s+(?:was|is|were|came\s+in\s+at|stood\s+at|totaled|totalled|reached)"
    r"\s+(?:(?:now|approximately|about|around|roughly|nearly)\s+)?$",
    _I,
)
REFERENCE_POINT = re.compile(
    r"\b(?:similar|same|comparable)\s+(?:levels?|amount|pace)\s+(?:to|as|of|with)\b"
    r"|\breasonably\s+representative\b|\bthat\s+run[\s-]rate\b|\bin\s+line\s+with\s+(?:that|this)\b",
    _I,
)
REFERENCE_MIN = re.compile(
    r"\bmore\s+than\s+that\b|\bhigher\s+than\s+that\b|\bat\s+or\s+above\s+(?:that|this|the\s+Q[1-4]"
    r"\s+level)\b|\bthe\s+low(?:est)?\s+quarter\b",
    _I,
)
GROUP_WORDS = re.compile(
    r"\b(?:hyperscalers|tech\s+giants|big\s+tech|magnificent\s+seven|megacaps?|cloud\s+giants|"
    r"cloud\s+providers|combined|collectively|together)\b",
    _I,
)

# Spending words outside the metric vocabulary ("plans to spend $118 billion", "the company
# spent ..."): capex only where the sentence, or the one before, speaks of capital spending or
# the build-out (SPEND_CONTEXT or a capex term), and not of marketing, buybacks or a deal
# (SPEND_OTHER), and not for one place or one company ("on data centers in Pennsylvania",
# "invest $10 billion in OpenAI": SPEND_TARGET).
SPEND_WORDS = re.compile(
    r"(?<![-/])\b(?:spend|spends|spent|invest(?:s|ed)?|shell\s+out)\b(?![-/])", _I
)
SPEND_CONTEXT = re.compile(
    r"\b(?:data[\s-]+cent(?:er|re)s?|infrastructure|build[\s-]?outs?|(?:computing|compute|AI)"
    r"\s+capacity|servers|chips|GPUs)\b",
    _I,
)
SPEND_OTHER = re.compile(
    r"\b(?:marketing|advertising|buy\s?backs?|repurchas\w*|dividends?|acquisitions?|acquir\w*"
    r"|R&D|research|content|stake|startups?|lobbying|wages|salaries|payroll|bonuses|severance"
    r"|tariffs?|fines?|settlements?)\b",
    _I,
)
_MONTHS_EN = (
    r"January|February|March|April|May|June|July|August|September|October|November|December"
)
SPEND_TARGET = re.compile(
    rf"\b(?:in|into|across)\s+(?:the\s+state\s+of\s+)?(?!(?:{_MONTHS_EN}|Q[1-4]|The|Its|Their)\b)"
    r"(?!(?:Rechenzent|Infrastruktur|Server|Chips|Sachanlagen|Anlagen|Netz|Ausrüstung|KI)\w*)"
    r"(?-i:[A-Z][a-z]+)|\b(?:in|into|across)\s+the\s+(?:United\s+States|U\.?S\.?|U\.?K\.?)(?!\w)"
    r"|\b(?:an?|one|its|the)\s+(?:new\s+|single\s+)?(?:AI\s+)?(?:data[\s-]+cent(?:er|re)|campus"
    r"|plant|factory|fab|site)\b",
    _I,
)
# German puts the verb after the figure: "will 75 Milliarden Dollar in Rechenzentren stecken".
SPEND_AFTER = re.compile(r"(?!)")


# --- other languages -------------------------------------------------------------------------
# Korean, Chinese, Japanese, Spanish and German cues extend the English ones above. East Asian
# words carry no \b: those scripts put no spaces between words. Korean and Japanese put the verb
# last, so some cues are read after the figure (GUIDANCE_AFTER, ESTIMATE_AFTER, change words).


def _extend(pattern: re.Pattern[str], extra: str) -> re.Pattern[str]:
    return re.compile(f"(?:{pattern.pattern})|{extra}", pattern.flags)


GUIDANCE_CUES = _extend(
    GUIDANCE_CUES,
    r"예상|전망|계획|예정|목표|방침|가이던스|할\s?것|투입할|늘릴|지출할|집행할"
    r"|预计|預計|预期|預期|计划|計劃|計畫|将(?!近|来の)|將(?!近|來の)|拟|擬|目标|目標|指引|展望|预测|預測|有望"
    r"|見込|見通し|予想|計画|予定|方針|目指|ガイダンス"
    r"|\b(?:prevé|prevén|prevemos|previsto|prevista|previsión|previsiones|espera|esperan|esperamos"
    r"|esperando|anticip(?:a|an|ó|aron|amos|aba|aban)|estim(?:a|an|ó|amos)|estimación"
    r"|pronostic(?:a|an|ó|amos)|presupuest(?:a|an|ó)|contempl(?:a|an|ó)|preveía|preveían"
    r"|proyecta|proyectan|planea|planean|planeamos|objetivo|perspectivas?|pronóstico|invertirá"
    r"|invertirán|invertiremos|destinará|destinarán|gastará|gastarán|alcanzará|alcanzarán|será|serán"
    r"|se\s+situará|guía)\b"
    # the future tense: "gastará", "rondará", "superarán", "destinaremos"
    r"|\w[aei]r(?:án?|emos)\b"
    r"|\b(?:erwartet|erwarten|erwartete|rechnet|rechnen|plant|planen|geplant|Prognose|Ausblick"
    r"|Planung|wollen|soll|sollen|wird|werden|beabsichtigt|Ziel|vorgesehen|voraussichtlich)\b"
    r"|(?:planung|prognose|pläne|ausblick)\b",
)
NOT_GUIDANCE = _extend(
    NOT_GUIDANCE,
    r"(?:高于|低于|超出|超过|不及|好于|差于|符合|高於|低於|超過|好於|不如)(?:市场|市場)?(?:预期|預期)"
    r"|예상(?:치)?(?:를|을)?\s?(?:보다|웃|상회|하회|밑|넘)|(?:予想|見込み)を?(?:上回|下回|超え)"
    r"|\blo\s+que\s+(?:esperaba|preveía|anticipaba|estimaba|proyectaba)n?\b"
    r"|\bde\s+lo\s+(?:esperado|previsto)|\bals\s+(?:erwartet|geplant|prognostiziert)",
)
ACTUAL_VERBS = _extend(
    ACTUAL_VERBS,
    r"기록|집행했|투자했|지출했|늘었|증가했|达到|達到|录得|錄得|達した|となった|だった"
    r"|\b(?:fue|fueron|ascendió|alcanzó|se\s+situó|betrug|beliefen|lag|erreichte)\b"
    r"|\b(?:invirtió|invirtieron|destinó|destinaron|gastó|gastaron|sumó|sumaron|totalizó"
    r"|ascendieron|alcanzaron|se\s+situaron|registró|registraron|generó|generaron|creció"
    r"|crecieron|cerró|era|eran)\b",
)
# "高于市场预期的203亿美元", "시장 예상치인 580억 달러": the expectation named after a figure is
# the next figure's, not this one's.
BEAT_MISS = re.compile(
    r"\b(?:above|below|ahead\s+of|short\s+of|exceed(?:ing|ed|s)?|top(?:ping|ped|s)?|beat(?:ing|s)?"
    r"|miss(?:ing|ed|es)?|in\s+line\s+with|compared\s+with|versus"
    r"|(?:more|less|higher|lower|better|worse|greater|smaller|bigger)\s+than)\s+(?:what\s+)?(?:the\s+)?(?:most\s+)?"
    r"(?:analysts?'?|Wall\s+Street(?:'s)?|the\s+Street(?:'s)?|consensus|estimates?|expectations?"
    r"|forecasts?)\b[^,.;]{0,40}|"
    r"(?:高于|低于|超出|超过|超過|不及|好于|好於|差于|符合|高於|低於)(?:市场|市場)?(?:预期|預期)"
    r"|시장\s?(?:예상치|전망치|기대치|컨센서스)|(?:市場)?予想(?:を|の)(?:上回|下回)|市場予想"
    # "por encima de lo que esperaban los analistas", "superior a las previsiones del consenso"
    r"|\b(?:por\s+(?:encima|debajo)\s+de|superior(?:es)?\s+a|inferior(?:es)?\s+a|más\s+de|menos\s+de)"
    r"\s+(?:lo\s+que\s+(?:esperaba|preveía|estimaba|anticipaba|proyectaba|pronosticaba)n?"
    r"|lo\s+(?:esperado|previsto|estimado)|(?:las?|los)\s+(?:previsiones|estimaciones|expectativas"
    r"|pronósticos)|el\s+consenso)(?:\s+(?:por\s+|de\s+)?(?:los|las|el|la|del)\s+(?:analistas?"
    r"|mercado|consenso|expertos?|inversor(?:es)?))?"
    r"|\b(?:über|unter)\s+den\s+(?:Erwartungen|Schätzungen|Prognosen)"
    # "deutlich mehr als bislang von Analysten erwartet", "weniger als Analysten geschätzt hatten"
    r"|\b(?:mehr|weniger|höher|niedriger)\s+als\s+(?:(?:bislang|bisher|zuvor|allgemein)\s+)?"
    r"(?:von\s+)?(?:den\s+)?(?:Analysten|Experten|Beobachtern?|dem\s+Markt|Marktbeobachtern)"
    r"(?:\s+(?:im\s+Schnitt|im\s+Mittel|zuvor|bislang))?(?:\s+(?:erwartet|geschätzt|prognostiziert"
    r"|angenommen|veranschlagt)(?:\s+hatten)?)?"
)
ESTIMATE_CUES = _extend(
    ESTIMATE_CUES,
    r"애널리스트|증권가|증권사|시장\s?(?:전망|예상|추정)|컨센서스|전문가들"
    r"|分析师|分析師|市场预期|市場預期|市场普遍预期|市场预计|市場預估|一致预期|券商|研报|研究报告|机构预测"
    r"|据估计|據估計|摩根士丹利|摩根大通|高盛|花旗|瑞银|모건스탠리|골드만삭스|JP모건"
    r"|アナリスト|市場予想|市場の予想|コンセンサス|証券会社|ゴールドマン|モルガン"
    r"|\banalistas?\b|\bconsenso\b|según\s+(?:estimaciones|analistas|previsiones\s+de)"
    r"|\bel\s+mercado\s+(?:espera|prevé|estima|anticipa|descuenta|calcula)\b"
    r"|\blos\s+inversores\s+(?:esperan|prevén|estiman|descuentan)\b|\bexpertos\b"
    r"|\b(?:firmas?|casas?)\s+de\s+análisis\b|\bbancos?\s+de\s+inversión\b"
    r"|\bAnalysten\b|\bKonsens\b|\bSchätzungen\s+von\b|\blaut\s+Schätzungen\b",
)
PASSIVE_EXPECTED = _extend(
    PASSIVE_EXPECTED,
    r"\bse\s+(?:espera|prevé|estima|calcula)\s+que\b|"
    r"\b(?:el\s+mercado|los\s+(?:inversores|analistas|expertos)|el\s+consenso|Wall\s+Street)\s+"
    r"(?:espera|esperan|prevé|prevén|estima|estiman|calcula|calculan|anticipa|anticipan|proyecta"
    r"|proyectan|pronostica|pronostican|descuenta|descuentan)\s+que\b|\b(?:dürfte|dürften)\b"
    r"|\bwird\s+(?:erwartet|geschätzt)\b",
)
FIRST_PERSON = _extend(
    FIRST_PERSON,
    r"我们|我們|本公司|当社|弊社|당사|우리\s?(?:는|회사)|\b[Ww]ir\b|\b[Uu]nser\w*\b|\b[Nn]osotros\b"
    r"|\b[Nn]uestr[oa]s?\b|\b(?:esperamos|prevemos|planeamos|invertiremos|estimamos|mantenemos)\b",
)
PRIOR_GAP = _extend(
    PRIOR_GAP,
    r"\b(?:frente\s+a|desde|respecto\s+a|tras|nach|gegenüber|statt|anstatt)\b[^.;$]{0,40}?"
    r"\b(?:anteriores?|previas?|previos?|iniciales?|original(?:es)?|bisherigen|bisher|zuvor"
    r"|bislang|ursprünglich(?:en)?|vorher)\b[^.;$\d]{0,30}$"
    r"|(?:此前|之前|先前|原先|原本|前次|기존|이전|従来|前回|当初)[^\d。.;]{0,12}$",
)
PRIOR_AFTER = _extend(
    PRIOR_AFTER,
    r"\s*,?\s*(?:de\s+(?:dólares|euros|yuanes|wones)\s+)?(?:anteriormente|previamente|anteriores"
    r"|previos|previas|iniciales|inicialmente|zuvor|bisher"
    # "previstos anteriormente", "que estimaba antes", "que había anunciado en enero"
    r"|(?:previst|estimad|proyectad|anunciad|calculad|esperad|pronosticad|fijad)[oa]s?\s+"
    r"(?:anteriormente|previamente|inicialmente|antes|hasta\s+ahora|en\s+un\s+principio)"
    r"|que\s+(?:(?:la\s+compañía|la\s+empresa|el\s+grupo)\s+)?(?:estimaba|preveía|esperaba"
    r"|anticipaba|proyectaba|calculaba|contemplaba|pronosticaba|había\s+(?:previsto|estimado"
    r"|anunciado|proyectado|calculado|anticipado|fijado)))\b",
)
INCREMENT_BEFORE = _extend(
    INCREMENT_BEFORE,
    r"(?:增加|增长|增長|减少|減少|下降|新增|追加|额外|額外|多出)了?\s?(?:约|約|近)?\s?$"
    r"|(?:추가로|추가|더)\s?$|(?:追加で?|さらに)\s?$"
    r"|\bum\s+(?:rund\s+|etwa\s+|knapp\s+|mehr\s+als\s+|fast\s+)?$|\b(?:weitere|zusätzliche[n]?)\s+$"
    r"|\b(?:aument\w*|increment\w*|subi\w*|creci\w*|redu\w*|disminu\w*|cay\w*)\s+(?:en\s+)?"
    r"(?:unos\s+|casi\s+|más\s+de\s+)?$|\b(?:otros|adicionales?)\s+$"
    # "elevó en 2.100 millones su previsión", "supera en 2.500 millones lo que esperaban"
    r"|\b(?:elev\w*|recort\w*|rebaj\w*|super\w*|exced\w*|sub[ea]n?|ampli\w*|amplí\w*|baj\w*)\s+en\s+"
    r"(?:unos\s+|casi\s+|más\s+de\s+)?$"
    r"|\b(?:aumento|incremento|alza|subida|recorte|reducción|caída|descenso|disminución)\s+"
    r"(?:adicional\s+)?de\s+(?:unos\s+|casi\s+|más\s+de\s+)?$",
)
INCREMENT_AFTER = _extend(
    INCREMENT_AFTER,
    r"^\s*(?:가|이)?\s?(?:늘|증가|줄|감소|많|적|확대)|^\s*の?(?:増|減)"
    r"|^\s*(?:más|menos|adicionales|mehr|weniger|zusätzlich)\b",
)
COMPONENT_BEFORE = _extend(
    COMPONENT_BEFORE,
    r"(?:其中|うち|그중|이 중|이중)[^，,。；;]{0,12}$"
    r"|\b(?:davon|darunter|einschließlich|inklusive|incluidos?|incluyendo|de\s+los\s+cuales)\s+"
    r"(?:(?:rund|etwa|unos)\s+)?$",
)
RIGHT_LINK = re.compile(
    r"\s*(?:(?:of|in|on|for|worth\s+of|into|toward|towards|en|de|para|a|an|für)\s+"
    r"|(?:규모의?|의)\s*|(?:的|用于|用於|の|を)\s*)?(?:(?:the|our|its|their|total|"
    r"annual|quarterly|cash|gross|net|AI|additional|its\s+own|la|las|los|sus?|die|den|der|das"
    r"|seine|ihre)\s+){0,3}",
    _I,
)
GROUP_WORDS = _extend(
    GROUP_WORDS,
    r"빅테크|하이퍼스케일러|대형\s?기술|합계|합산|科技巨头|科技巨頭|科技大厂|科技大廠|云厂商|雲端大廠"
    r"|超大规模|巨头们|巨頭們|合计|合計|总计|總計|ハイパースケーラー|巨大テック|大手\d+社"
    r"|\b(?:gigantes\s+tecnológicos|grandes\s+tecnológicas|hiperescaladores|en\s+conjunto"
    r"|combinad[oa]s|Hyperscaler|Tech-Konzerne|Tech-Riesen|Tech-Giganten|zusammen|gemeinsam)\b",
)
LIST_GAP = re.compile(
    r"(?:'s)?\s*(?:,|,?\s*and|&|,?\s*or|/|、|，|와|과|및|和|与|與|及|以及|と|や|,?\s*y|,?\s*und"
    r"|,?\s*sowie)\s*",
    _I,
)

# Read after the figure: "... 640억~720억 달러에 이를 것으로 예상했다", "...7兆円を計画している".
# Korean syllables ending in ㄹ: "넘을 것", "늘어날 것", "이를 것" speak of what is to come.
_L_FINAL = "".join(chr(0xAC00 + i * 28 + 8) for i in range(19 * 21))
GUIDANCE_AFTER = re.compile(
    rf"예상|전망|계획|예정|방침|목표|[{_L_FINAL}]\s?것|하겠다|늘릴|투입할|집행할"
    r"|^\s?(?:으로|로)\s?(?:확대|증액|늘리|늘린|늘려|상향|축소|감액|줄이|줄인|줄여)"
    r"|计划|計劃|計畫|预算|預算|指引|目标|目標"
    r"|見込|見通|予想|計画|予定|方針|目指"
    r"|\b(?:investieren|ausgeben|aufwenden|stecken)\s+(?:will|wollen|wird|werden|soll|sollen|möchte)\b"
    r"|\b(?:geplant|vorgesehen)\b"
    # "Microsoft eleva a 95.000 millones de dólares su estimación de inversiones de capital"
    r"|^\s*(?:sus?|la|el|nuestr[oa]s?)\s+(?:previsi(?:ón|ones)|pronósticos?|objetivos?"
    r"|estimaci(?:ón|ones)|perspectivas|presupuesto|guía|plan(?:es)?)\b",
    _I,
)
ESTIMATE_AFTER = re.compile(
    r"(?:예상|전망|관측|추정|추산)(?:되|된다|됐)|(?:と|に)(?:みられ|見られ|予想され|推計され|試算され)"
    r"|(?:ると|と)(?:の)?(?:見方|予測)",
)
# "240억 달러로 예상치 220억 달러를 웃돌았다", "350億ドルと予想の300億ドルを": a forecast noun
# right before the next figure names that figure, not the one before.
LABEL_OF_NEXT = re.compile(
    r"(?:예상치|전망치|추정치|컨센서스|기대치|予想|予測|見通し|预期|預期|预测|預測|预估|預估)"
    r"(?:는|은|인|의|は|の|为|為|是)?\s?(?:약|約|约|大约|大約)?\s?$"
)
# A year ("2026年", "27年12月期", "2026년") does not end the clause; another number does.
_CLAUSE_END = re.compile(r"[,，;；、]|\d(?!\d{0,3}\s?(?:年|년|月期|회계|会計))")
_ASIDE = re.compile(r"\s?[(（][^()（）]{0,60}[)）]")

# Change words. Strong ones name a revision by themselves ("상향", "上调", "引き上げ",
# "elevó", "angehoben"); weak ones ("늘려", "提高", "aumentó", "erhöht") need a plan or outlook
# noun in the sentence.
_REAFFIRMED_FOREIGN = re.compile(
    r"유지|재확인|维持|維持|重申|不变|不變|据え置|変更なし|\breiter(?:ó|o|a|an|amos|aron|ado)\b"
    r"|\breafirm\w*|\bratific\w*|\bmantien\w*|\bmantenemos\b|\bmantener\b|\bmantendr\w*"
    r"|\bmantuv\w*|\bsin\s+cambios\b|\binalterad[oa]s?\b"
    r"|\b(?:seguimos|sigue|siguen|continuamos|continúa|continúan)\s+(?:esperando|previendo"
    r"|anticipando|proyectando|contemplando|planeando)\b"
    r"|\bconfirm(?:ó|a|an|amos|aron|ado)\s+(?:su|sus|nuestr[oa]s?|la|las|el|los)\s+(?:previsi"
    r"|pronóstic|objetiv|estimaci|perspectiv|plan|presupuest|guía|meta)"
    r"|\bconfirm(?:ó|a|an|amos|aron)\s+que\s+(?:sigue\s+)?(?:espera|esperan|esperamos|prevé|prevén"
    r"|prevemos|mantiene|mantienen)\b|\bbestätig\w*|\bbekräftig\w*|\bbeibehalten\b|\bunverändert\b",
    _I,
)
_RAISED_STRONG = re.compile(
    r"상향|上调|上調|调高|調高|上修|调升|調升|引き?上げ|上方修正|\belev(?:ó|aron|ará|a|an|amos|ado|ada|ando)\b|\bangehoben\b|\bhebt\b"
    r"|\bhob\b|\bhochgeschraubt\b|\bheraufgesetzt\b|\bnach\s+oben\s+(?:korrigiert|geschraubt|gesetzt)\b"
    r"|\brevis\w*\s+(?:[^\s.;]+\s+){0,10}?al\s+alza\b",
    _I,
)
_LOWERED_STRONG = re.compile(
    r"하향|下调|下調|调低|調低|下修|引き?下げ|下方修正|\brecort(?:ó|aron|ará|a|an|amos|ado|ada|ando)\b"
    r"|\brebaj(?:ó|aron|ará|a|an|amos|ado|ada|ando)\b|\bgesenkt\b"
    r"|\bsenkt\w*|\bgekürzt\b|\bkürzt\w*|\bherabgesetzt\b|\bnach\s+unten\s+(?:korrigiert|geschraubt)\b"
    r"|\brevis\w*\s+(?:[^\s.;]+\s+){0,10}?a\s+la\s+baja\b|调降|調降",
    _I,
)
_RAISED_WEAK = re.compile(
    r"늘려|높여|올려|늘렸|높였|올렸|提高|提升|增加|増額|\baument(?:ó|aron|ará|a|an|amos|ado|ada|ando)\b"
    r"|\bincrement(?:ó|aron|ará|a|an|amos|ado|ada|ando)\b|\bsub(?:ió|io|e|en|ieron|imos|ido|ida)\b"
    r"|\bampli(?:ó|aron|amos|ado|ada)\b|\berhöht\w*",
    _I,
)
_LOWERED_WEAK = re.compile(
    r"줄여|낮춰|줄였|낮췄|축소|削减|削減|降低|减少|減額|\bredu(?:jo|ce|cen|jeron|cimos|cido|cida|ciendo)\b"
    r"|\bdisminu(?:yó|ye|yen|yeron|imos|ido|ida)\b|\bbaj(?:ó|a|an|aron|amos)\b|\breduziert\w*", _I
)
_NARROWED_FOREIGN = re.compile(
    r"(?:下限|하단|하한|下限值)(?:を|을|를)?\s?(?:引き上げ|上方修正|상향|올려|올렸|높여|높였|上调|上調|提高)"
    r"|(?:上调|上調|提高)(?:了)?下限|좁혀|收窄|\bacot[óa]\w*|\beingeengt\b|\bpräzisiert\b", _I)
_PLAN_NOUN = re.compile(
    r"전망|계획|목표|가이던스|예상|预期|預期|预计|預計|指引|计划|計劃|計畫|目标|目標|预算|預算|見通し|計画"
    r"|予想|見込み|\b(?:previsión|previsiones|objetivos?|guía|perspectivas?|presupuesto|Prognose"
    r"|pronósticos?|estimaci(?:ón|ones)|metas?|plan(?:es)?|expectativas|proyecci(?:ón|ones)"
    r"|Ausblick|Planung|Ziel|Budget)\b",
    _I,
)
# "从600亿美元上调至720亿美元", "600억 달러에서 700억 달러로", "6兆円から7兆円に", "von 60 auf 65
# Milliarden", "de 60.000 a 65.000 millones": the first figure is the old one.
_PRIOR_FIRST_GAP = re.compile(
    r"\s?(?:에서|から|auf|a|hasta)\s?|\s?,?\s?to\s+(?:a\s+range\s+of\s+|between\s+)?(?:(?:approximately"
    r"|about|around|roughly|nearly)\s+)?|\s?(?:[上下]调|[上下]調|调[高低升]|調[高低升]|提高|提升|增加|降低|减少"
    r"|削减|削減|上修|下修|调整|調整|增|减|降)?\s?(?:至|到)\s?",
    _I,
)
_PRIOR_FIRST_OPEN = re.compile(
    r"(?:从|由|從|(?<![A-Za-zÀ-ɏ])(?:von|de|desde|from(?:\s+(?:about|approximately|around|roughly"
    r"|between|a\s+range\s+of))?))"
    r"\s?(?:US|USD|RMB|KRW)?\s?$",
    _I,
)
_PRIOR_FIRST_CLOSE = re.compile(r"\s?(?:으로|로|に|へ)")

# --- Chinese and German news wording -------------------------------------------------------
# German puts the finite verb second and its particle or participle last ("hob ... an", "hat
# ... angehoben", "hält an ... fest"), so its cues stand far from the figure; Chinese revises
# "由此前的X调高至Y" and compares "高于此前的预期".
_BANKS_ZH = (
    r"美国银行|美國銀行|美银|美銀|伯恩斯坦|瑞银|瑞銀|花旗|高盛|摩根士丹利|大摩|小摩|摩根大通|巴克莱|巴克萊"
    r"|杰富瑞|傑富瑞|富国银行|富國銀行|德意志银行|德意志銀行|野村|中金|中信证券|中信證券|华泰证券|華泰證券"
    r"|国泰君安|國泰君安|招商证券|招商證券|海通证券|海通證券|瑞穗|麦格理|麥格理|汇丰|匯豐|滙豐|晨星|彭博"
)
ESTIMATE_CUES = _extend(
    ESTIMATE_CUES,
    _BANKS_ZH + r"|投行|研究机构|研究機構|市场普遍|市場普遍|市场共识|市場共識|一致預期|研報"
    r"|\bDeutsche[n]?\s+Bank\b|\bKonsens(?:schätzung|prognose)\w*|\bAnalysten(?:schätzung|prognose"
    r"|erwartung)\w*|\bMarktbeobachter\b|\bExperten\b",
)
# The subject of an estimate opens the sentence, however far the figure: "Die Analysten der
# Deutschen Bank schätzen die Investitionen von Oracle im Geschäftsjahr 2025/26 auf ...",
# "美国银行预计英伟达2026财年（截至2026年1月）资本性支出在...".
ESTIMATE_LEAD = re.compile(
    r"\b(?:Analysten|Experten|Marktbeobachter|Beobachter|Banken|Investoren|Anleger)\b[^.;:]{0,60}?"
    r"\b(?:erwarten|erwarteten|rechnen|rechneten|schätzen|schätzten|prognostizieren"
    r"|prognostizierten|veranschlagen|taxieren|sehen|sahen)\b"
    r"|\b(?:[Nn]ach|[Ll]aut)\s+(?:(?:einer\s+)?Schätzung(?:en)?|Berechnungen|Prognosen?|Einschätzung"
    r"|Daten|Angaben)\s+(?:von|der|des)\b|\blaut\s+(?:Konsens|Analysten|LSEG|FactSet|Bloomberg)\b"
    r"|(?:分析师|分析師|券商|投行|市场|市場|研究机构|研究機構|" + _BANKS_ZH + r")[^，。；,;]{0,12}?"
    r"(?:预计|預計|预期|預期|估计|估計|预测|預測|测算|測算|认为|認為|预估|預估)",
)
# A figure for one site or one country is a part of a company's capex, not a figure of its own:
# "will 2 Milliarden Euro in ein Rechenzentrum in Brandenburg investieren", "微软将在德国投资".
SITE_COMPONENT = re.compile(
    r"\bin\s+(?:ein(?:e[nm]?)?\s+(?:neue[snm]?\s+)?(?:[\w-]+-)?(?:Rechenzentrum|Werk|Fabrik"
    r"|Chipfabrik|Standort|Campus)\b|(?:Deutschland|Europa|Frankreich|Großbritannien|Spanien"
    r"|Italien|Österreich|Polen|Irland|Indien|Brasilien|Mexiko|Kanada|Australien|Südkorea"
    r"|Indonesien|Saudi-Arabien|der\s+Schweiz|den\s+Niederlanden|den\s+USA|den\s+Vereinigten"
    r"\s+Staaten|Bayern|Brandenburg|Hessen|Sachsen|Nordrhein-Westfalen|Niedersachsen"
    r"|Baden-Württemberg|Schleswig-Holstein|Sachsen-Anhalt)\b)"
    r"|在(?:德国|德國|日本|印度|英国|英國|法国|法國|墨西哥|巴西|西班牙|马来西亚|馬來西亞|泰国|泰國|印尼"
    r"|澳大利亚|澳洲|沙特|阿联酋|阿聯酋|美国|美國)[^，。；,;]{0,10}?(?:投资|投資|投入|建设|建設|兴建|興建|新建)"
    r"|(?:一座|一个|一個|新建)"
    r"(?:数据中心|數據中心|工厂|工廠|晶圆厂|晶圓廠)",
)
_SITE_CLAUSE_END = re.compile(r"[,;:，；。]|\b(?:und|sowie|während)\b")
# "维持全年资本支出27.3万亿韩元左右的预期不变": the outlook named after its figure
GUIDANCE_AFTER = _extend(
    GUIDANCE_AFTER, r"^\s?(?:左右|上下|以上|以下)?的(?:预期|預期|预测|預測|展望)"
)
# "die Investitionen würden über 30 Milliarden Dollar liegen" (reported speech)
GUIDANCE_CUES = _extend(
    GUIDANCE_CUES, r"\b(?:peilt|peilen|veranschlagt|veranschlagen|würden?|solle|sollten)\b"
)
# "比市场预期高出20亿美元", "将预期上调了78亿美元": by how much, not the figure.
INCREMENT_BEFORE = _extend(
    INCREMENT_BEFORE,
    r"(?:高出|低出|超出|多出|少了|多了|(?:上调|上調|下调|下調|调高|調高|调低|調低|调增|調增|调减|調減)了?"
    r"|(?:提高|提升|降低|削减|削減|缩减|縮減)了)\s?(?:约|約|近|大约|大約)?\s?$",
)
# "liegt 4,1 Milliarden Dollar über den Erwartungen der Analysten"
INCREMENT_AFTER = _extend(
    INCREMENT_AFTER,
    r"^\s*(?:über|unter|oberhalb|unterhalb)\s+(?:den|der|dem|des)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:Erwartung|Schätzung|Prognose|Konsens|Vorjahr|Plan|Ziel|Vorgabe|Markterwartung"
    r"|Analystenerwartung|Analystenschätzung)\w*|^\s*(?:höher|niedriger|größer|kleiner)\b",
)
# "1790亿美元左右用于资本开支", "1190亿美金以上用於資本支出"
RIGHT_LINK = re.compile(
    r"\s*(?:以上|以下|左右|上下)?\s*(?:的|用于|用於|用作|作为|作為)\s*"
    r"|(?:" + RIGHT_LINK.pattern + ")",
    RIGHT_LINK.flags,
)
_REAFFIRMED_FOREIGN = _extend(
    _REAFFIRMED_FOREIGN,
    r"\bh(?:ält|ielt|alten|ielten)\s+(?:\w+\s+){0,2}?an\s+(?:sein|ihr|der|dem|den|unser)\w*"
    r"|\b(?:geh(?:en|t|e)|rechne[nt]?|erwarte[nt]?|plan(?:en|t))\s+(?:\w+\s+){0,2}?weiterhin\b"
    r"|\bweiterhin\s+(?:von|mit)\b|\bbleib(?:t|en)\s+bei\b|\bwie\s+(?:bisher|zuvor)\b"
    # "sollen weiterhin zwischen 38 und 42 Mrd. US-Dollar liegen": the same figure still
    r"|\bweiterhin\s+(?:zwischen|bei|rund|etwa|circa|ungefähr|um\s+die|mehr\s+als|über"
    r"|mindestens|knapp|im\s+Bereich)\s"
    r"|仍(?:然)?(?:预计|預計|预期|預期|将|將|计划|計劃|维持|維持)|继续预计|繼續預計|依然|依旧|依舊"
    r"|确认|確認|保持不变|保持不變",
)
_RAISED_STRONG = _extend(
    _RAISED_STRONG,
    r"\bheb(?:en|t)\b|\bhoben\b|\baufgestockt\b|\bhochgesetzt\b|\bnach\s+oben\s+angepasst\b"
    r"|\bschraub(?:t|te|ten|en)\b[^.;]{0,150}?\bhoch\b|\bhochgeschraubt\b"
    r"|\bstock(?:t|te|ten)\b[^.;]{0,150}?\bauf\b"
    r"|调增|調增",
)
_LOWERED_STRONG = _extend(
    _LOWERED_STRONG,
    r"\bsenk(?:en|e|te|ten)\b|\bkapp(?:t|te|ten|en)\b|\bgekappt\b|\bzusammengestrichen\b"
    r"|\bheruntergeschraubt\b|\bnach\s+unten\s+angepasst\b|调减|調減",
)
_RAISED_WEAK = _extend(
    _RAISED_WEAK, r"\berhöh(?:en|e|te|ten)\b|\bsteiger(?:t|te|ten|n)\b|\bausgeweitet\b"
)
# With no plan noun, only a finite verb moves the figure: "Meta erhöht die Investitionen 2025
# auf ..." raises, "Meta will die Investitionen 2025 auf ... steigern" plans more than last year.
_RAISED_MOVED = re.compile(r"\berhöh(?:t|te)\b|\bsteiger(?:t|te)\b|提高|提升|增加", _I)
_LOWERED_MOVED = re.compile(
    r"\breduzier(?:t|te)\b|\bverringer(?:t|te)\b|降低|减少|削减|削減|缩减|縮減|压缩|壓縮", _I
)
_LOWERED_WEAK = _extend(
    _LOWERED_WEAK,
    r"\breduzier(?:en|e|te|ten)\b|\bverringer(?:t|te|ten|n)\b|缩减|縮減|压缩|壓縮",
)
_PLAN_NOUN = _extend(_PLAN_NOUN, r"预测|預測|展望|(?:prognose|ausblick|planung|budget|ziel)\b")
# A weak change verb moves a plan when it takes the figure as where the plan goes: "erhöht die
# Investitionen 2025 auf 70 Milliarden Dollar", "资本支出提高至".
_MOVED_TO_FOREIGN = re.compile(
    r"(?:\bauf|至|到)\s?(?:(?:rund|etwa|circa|ca\.|ungefähr|knapp|über|mehr\s+als|mindestens"
    r"|bis\s+zu|zwischen|eine\s+Spanne\s+von|约|約|大约|大約|近)\s?)?$",
    _I,
)
_PRIOR_FIRST_GAP = _extend(
    _PRIOR_FIRST_GAP,
    r"\s?auf\s(?:eine[rn]?\s+(?:Spanne|Bandbreite|Höhe|Niveau|Summe|Wert)\s+(?:von\s+)?)?"
    r"(?:(?:rund|etwa|circa|ca\.|ungefähr|knapp|über|mehr\s+als|mindestens|bis\s+zu|zwischen)\s)?"
    r"|\s?(?:左右|上下)?\s?(?:[上下]调|[上下]調|调[高低升增减]|調[高低升增減]|提高|提升|增加|降低|减少"
    r"|削减|削減|缩减|縮減|上修|下修|调整|調整|增|减|降)?\s?(?:至|到|为|為)\s?(?:约|約|大约|大約|近)?\s?",
)
_PRIOR_FIRST_OPEN = _extend(
    _PRIOR_FIRST_OPEN,
    r"(?:从|由|從)\s?(?:此前|之前|先前|原先|原本|早前|原来|原來)?的?\s?(?:约|約|大约|大約|近)?\s?"
    r"(?:人民币|人民幣)?\s?$"
    r"|(?<![A-Za-zÀ-ɏ])von\s(?:(?:rund|etwa|circa|ca\.|ungefähr|knapp|über|mehr\s+als|mindestens"
    r"|bis\s+zu|zuvor|bisher|bislang|einer?\s+(?:Spanne|Bandbreite)\s+von)\s){1,2}$",
)
# "; bislang waren 109 bis 121 Milliarden Dollar veranschlagt", "(bisher: 60 Milliarden)",
# ", zuvor hatte der Konzern mit 60 Milliarden gerechnet": the old outlook after the new one.
PRIOR_GAP = _extend(
    PRIOR_GAP,
    r"(?:[;,(:]|\s[-–]\s)\s*(?:nachdem\s+|wobei\s+)?(?:bisher|bislang|zuvor|vorher|ursprünglich"
    r"|zunächst)(?:\s*:|\s+(?:waren"
    r"|war|lag|lagen|hatte|hatten|wurden|standen|galten|hieß\s+es|sah|sahen|ging|gingen|rechnete"
    r"|rechneten|plante|planten)\b[^.;\d()]{0,40})?\s*(?:(?:rund|etwa|circa|ca\.|ungefähr|knapp"
    r"|über|mehr\s+als|mindestens|bis\s+zu|zwischen|eine\s+Spanne\s+von)\s+)?$",
)


def site_component(text: str, start: int, end: int, lo: int, hi: int) -> str | None:
    """The words naming one site or one country as where the figure at text[start:end] goes,
    in its own clause (text[lo:hi] is its sentence), or None."""
    before = text[max(lo, start - 80) : start]
    cut = list(_SITE_CLAUSE_END.finditer(before))
    before = before[cut[-1].end() :] if cut else before
    after = text[end : min(hi, end + 80)]
    m = _SITE_CLAUSE_END.search(after)
    after = after[: m.start()] if m else after
    found = SITE_COMPONENT.search(before) or SITE_COMPONENT.search(after)
    return found.group(0) if found else None


# --- Korean and Japanese news wording -------------------------------------------------------
# Brokers and banks as Korean and Japanese news name them: "한국투자증권은", "월가는", "시장에서는",
# "KB증권 김OO 연구원은", "JP모간은", "野村證券は", "みずほ証券の".
ESTIMATE_CUES = _extend(
    ESTIMATE_CUES,
    r"월가|증권(?=[은는이가의도과와,\s])|금융투자(?=[은는이가의\s])|리서치센터|연구원(?:은|들은|이)"
    r"|투자은행|시장에서(?:는|도)|업계에서는|시장\s?참여자|추정치|팩트셋|LSEG|블룸버그\s?(?:집계|인텔리전스)"
    r"|JP모간|모간스탠리|씨티(?:그룹|은행)?(?=[은는이가의\s])|뱅크오브아메리카|바클레이즈|제프리스|번스타인"
    r"|에버코어|웰스파고|도이체방크|노무라|맥쿼리"
    r"|(?:証券|證券)(?=[はがのも、]|アナリスト)|ファクトセット|QUICK|野村|みずほ|大和|SMBC日興|三菱UFJモルガン"
    r"|ジェフリーズ|バーンスタイン|シティ(?:グループ)?(?=[はがの])|バンク・?オブ・?アメリカ|UBS|バークレイズ"
    r"|市場では|市場の見方|調べ"
    r"|시장(?:의|이)?\s?[^.。]{0,50}?(?:예상치|전망치|추정치|컨센서스|기대치)",
)
# "시장의 올해 설비투자 예상치(1,080억달러)": the market's expectation named after a figure is the
# next figure's.
BEAT_MISS = _extend(
    BEAT_MISS,
    r"시장(?:의|이)?\s?[^.。]{0,50}?(?:예상치|전망치|추정치|컨센서스|기대치)",
)
# Research firms and Taiwan's foreign institutional investors forecast too: "시장조사업체
# 비저블알파는 …로 내다봤다", "트렌드포스에 따르면", "外資法人預估", "調査会社の…によると".
ESTIMATE_CUES = _extend(
    ESTIMATE_CUES,
    r"(?:시장)?조사\s?(?:업체|기관|회사)|리서치\s?(?:업체|회사|기관)|비저블\s?알파|트렌드포스|카운터포인트"
    r"|가트너|옴디아|調査会社|調査機関|リサーチ会社|トレンドフォース|ガートナー|ビジブル・?アルファ"
    r"|外資法人|外资法人|外資|外资机构|法人(?:預估|预估|預期|预期|看好|估計|估计|推估)|投顧|研調機構"
    r"|市[场場](?:研究|调研|調研|调查|調查)机构|市場(?:研究|調研|調查)機構|集邦|TrendForce|Counterpoint",
)
# "…30조원을 넘어설 것이라는 전망이 나왔다": a forecast that is reported, nobody's own plan;
# "넘을 듯", "달할 듯": a guess.
ESTIMATE_AFTER = _extend(
    ESTIMATE_AFTER,
    r"(?:이라는|라는|란)\s?(?:전망|관측|분석|예상|추정|예측)(?:이|도|은)?\s?(?:나왔|나온|나오|제기|우세|많)"
    r"|(?<=[을를할될설길칠])\s?듯(?![이가])",
)
# "전망치를 27억달러 높였다", "시장 예상치를 41억 달러 웃돌았다", "計画を28億ドル上積みした",
# "市場予想を23億ドル上回った": a verb right after the figure, with no particle ("으로", "に")
# that would make it the new level, says by how much.
INCREMENT_AFTER = _extend(
    INCREMENT_AFTER,
    r"^\s?(?:가량|정도|쯤|이나)?\s?(?:높였|높여|높인|높이|올렸|올려|올린|끌어올|늘렸|늘린|늘리|상향|하향"
    r"|낮췄|낮춰|낮춘|낮추|내렸|내려|내린|줄였|줄인|줄이|웃돌|밑돌|상회|하회|초과|넘어)"
    r"|^\s?(?:程度|前後|ほど)?\s?(?:上回|下回|上積|積み増|引き?上げ|引き?下げ|増や|減ら|増額|減額"
    r"|拡大|縮小|多い|少ない|上振れ|下振れ)",
)
# "기존 ... 종전", "これまでの", "従来予想の": the figure named next is the former outlook.
PRIOR_GAP = _extend(
    PRIOR_GAP,
    r"(?:종전|당초|직전|これまで|従来予想|前回予想)[^\d。.;]{0,12}$",
)
# "... 계획에는 변함이 없다", "従来の見通しに変わりはない": no change.
_REAFFIRMED_FOREIGN = _extend(
    _REAFFIRMED_FOREIGN,
    r"변함\s?(?:이\s?)?없|변동\s?(?:이\s?)?없|변경\s?(?:하지\s?)?않|変わりは?な|変わらず|変更は?な"
    r"|変えな",
)
# "늘리기로 했다", "늘릴 계획", "끌어올렸다", "내려 잡았다", "増やす", "減らした".
_RAISED_WEAK = _extend(
    _RAISED_WEAK, r"늘리|늘린|늘릴|높이|높인|높일|올리|올린|올릴|끌어올|増や|積み増|上積み"
)
_LOWERED_WEAK = _extend(_LOWERED_WEAK, r"줄이|줄인|줄일|낮추|낮춘|낮출|내려|내렸|내린|減ら")
# "쓰겠다고 밝힌 금액이다": an intention, wherever it stands.
GUIDANCE_CUES = _extend(GUIDANCE_CUES, r"겠다|겠습니다")
# Read after the figure: "... 쓰겠다고", "... 제시했다", "...に引き上げた", "...を投じる".
GUIDANCE_AFTER = _extend(
    GUIDANCE_AFTER,
    r"겠다|겠습니다|제시|^\s?(?:수준|안팎|가량|정도|이상|이하)?\s?(?:으로|로)\s?(?:하향|높|올리|올려|올렸|낮|내려"
    r"|내렸|끌어올|잡)"
    r"|^\s?(?:程度|前後|規模|超|以上|以下)?\s?(?:に|へ)\s?(?:引き?上げ|引き?下げ|上方修正|下方修正|増額|減額"
    r"|上積み|拡大|縮小|修正)|投じ|投資する|見込",
)
# "1,760억 위안 규모의", "1,760億元前後とする今期の資本的支出計画", "34兆ウォン程度の設備投資額":
# the words that join a figure to the metric it is of.
RIGHT_LINK = re.compile(
    r"(?:\s?(?:程度|前後|規模|超|以上|以下|안팎|수준|가량|정도|이상|이하|내외)\s?"
    r"(?:규모의?|의|인|とする|という|の)\s?"
    r"(?:(?:今期|来期|今年度?|来年度?|今会計年度|来会計年度|(?:20)?\d{2}\s?(?:年(?:\d{1,2}月期)?|会計年度|年度))の)?)"
    # "...보다 높은 1040억달러로 2025 회계연도 설비투자 전망을": "로" joins the figure to its noun
    r"|\s?(?:안팎|수준|가량|정도|내외|이상|이하)?\s?(?:으로|로)\s"
    r"(?:(?:올\s?한\s?해|올해|내년|연간|\d{4}\s?(?:년|회계\s?연도))\s?(?:[(（][^()（）]{0,30}[)）])?\s){0,2}"
    r"|(?:\s?(?:とする|という)\s?"
    r"(?:(?:今期|来期|今年度?|来年度?|今会計年度|来会計年度|(?:20)?\d{2}\s?(?:年(?:\d{1,2}月期)?|会計年度|年度))の)?)"
    rf"|{RIGHT_LINK.pattern}",
    RIGHT_LINK.flags,
)
_EA_APPROX = r"(?:수준|안팎|가량|정도|내외|규모|前後|程度|規模|ほど)"
# "기존 41조 6천억원 수준에서 약 34조 7000억원으로", "約54兆9000億ウォンから約49兆9000億ウォンへ".
_EA_FROM = re.compile(rf"\s?{_EA_APPROX}?\s?(?:에서|から)\s?(?:약|대략|約|およそ)?\s?")
_EA_TO = re.compile(rf"\s?{_EA_APPROX}?\s?(?:으로|로|に|へ)")
# "종전 전망치(630억 위안)보다 높은 790억 위안으로", "従来予想の2160億～2250億元を下回る
# 1,800億元に": a figure named as the former outlook, compared with the new one.
_EA_FORMER = re.compile(r"(?:종전|기존|이전|당초|직전|従来|これまで|前回|当初)[^\d。.;]{0,12}$")
_EA_FORMER_GAP = re.compile(
    rf"\s?{_EA_APPROX}?\s?[)）]?\s?(?:보다|より|を|에서|から)\s?(?:(?:높|낮|많|적|크|작|늘어난|줄어든)[은는]?"
    r"|上回る|下回る|超える)?\s?(?:약|대략|約|およそ)?\s?"
)


def _ea_prior_first(text: str, old_start: int, old_end: int, new_start: int, new_end: int) -> bool:
    if _EA_FROM.fullmatch(text, old_end, new_start) and text[old_end:new_start].strip():
        return bool(_EA_TO.match(text, new_end, new_end + 6))
    return bool(
        _EA_FORMER_GAP.fullmatch(text, old_end, new_start)
        and _EA_FORMER.search(text, max(0, old_start - 24), old_start)
    )


def clause_after(text: str, start: int, end: int, limit: int = 60) -> str:
    """The words after a figure up to the end of its clause (a comma or the next number)."""
    aside = _ASIDE.match(text, start, end)  # "(약 100조 원)": a restatement, not the clause
    start = aside.end() if aside else start
    window = text[start : min(end, start + limit)]
    m = _CLAUSE_END.search(window)
    return window[: m.start()] if m else window


def kind_after(after: str) -> str | None:
    """The kind a verb-final sentence gives its figure in the words that follow it."""
    if ESTIMATE_AFTER.search(after):
        return "estimate"
    if GUIDANCE_AFTER.search(after):
        return "guidance"
    return None


def foreign_change(sentence: str, before: str, after: str) -> str | None:
    """The change a non-English guidance sentence states without a prior figure."""
    words = before + " " + after
    if _REAFFIRMED_FOREIGN.search(words):
        return "reaffirmed"
    if _NARROWED_FOREIGN.search(words):
        return "narrowed"
    raised = _RAISED_STRONG.search(words)
    lowered = _LOWERED_STRONG.search(words)
    if not (raised or lowered) and _PLAN_NOUN.search(sentence):
        raised, lowered = _RAISED_WEAK.search(words), _LOWERED_WEAK.search(words)
    elif not (raised or lowered) and _MOVED_TO_FOREIGN.search(before):
        raised, lowered = _RAISED_MOVED.search(words), _LOWERED_MOVED.search(words)
    if raised and not lowered:
        return "raised"
    if lowered and not raised:
        return "lowered"
    return None


# Spanish: "de unos 84.000 millones de dólares a unos 105.000 millones", "desde los 128.000
# millones hasta 111.000 millones", "de 46,2 billones de wones a un rango de entre ...": the
# words of each end sit between the figures, so the pair is read only after a change verb.
_ES_QUALIFIER = (
    r"(?:los|las|unos|unas|alrededor\s+de|cerca\s+de|aproximadamente|casi|más\s+de|al\s+menos"
    r"|un\s+máximo\s+de|un\s+mínimo\s+de|en\s+torno\s+a|el\s+rango\s+de|un\s+rango\s+de)"
)
_ES_TO_GAP = re.compile(
    rf"\s(?:a|hasta)\s(?:{_ES_QUALIFIER}\s+)?(?:(?:un\s+rango\s+de\s+)?entre\s+)?(?:US\s?\$\s?)?",
    _I,
)
_ES_FROM_OPEN = re.compile(
    rf"(?<![A-Za-zÀ-ɏ])(?:de|desde)\s(?:{_ES_QUALIFIER}\s+)?(?:entre\s+)?(?:US\s?\$\s?)?$", _I
)
# "..., frente a los 60.000 millones previstos anteriormente", "a 65.000 millones desde los
# 60.000 millones": after a change verb, the figure named after these words is the old one...
_ES_PRIOR_GAP = re.compile(
    rf"\s*,?\s*(?:frente\s+a|desde|en\s+lugar\s+de|en\s+vez\s+de|comparado\s+con|respecto\s+a"
    rf"|tras)\s+(?:{_ES_QUALIFIER}\s+)?(?:entre\s+)?",
    _I,
)
# ... unless it is what was spent, or the figure of a period ("frente a los 60.000 millones de
# 2024", "... invertidos el año pasado").
_ES_NOT_PRIOR = re.compile(
    r"\s*(?:(?:invertid|gastad|destinad|registrad|desembolsad|reportad)\w*"
    r"|(?:en|de|del|durante)\s+(?:20\d\d|todo\s+20\d\d|el\s+(?:año|ejercicio|mismo|trimestre"
    r"|primer|segundo|tercer|cuarto)))\b",
    _I,
)


def _es_moved(text: str, start: int) -> bool:
    before = text[max(0, start - 160) : start]
    return foreign_change(before, before, "") in ("raised", "lowered")


def prior_after_es(text: str, start: int, end: int, nxt_start: int, nxt_end: int) -> str:
    """The words that make the next figure the outlook this one replaced, or ""."""
    m = _ES_PRIOR_GAP.fullmatch(text, end, nxt_start)
    if m is None or _ES_NOT_PRIOR.match(text, nxt_end, nxt_end + 40):
        return ""
    return m.group(0) if _es_moved(text, start) else ""


def prior_first(text: str, old_start: int, old_end: int, new_start: int, new_end: int) -> bool:
    """True when the first of two adjacent figures is the outlook the second replaces."""
    if _ea_prior_first(text, old_start, old_end, new_start, new_end):
        return True
    if (
        _ES_TO_GAP.fullmatch(text, old_end, new_start)
        and _ES_FROM_OPEN.search(text, max(0, old_start - 40), old_start)
        and _es_moved(text, old_start)
    ):
        return True
    if not _PRIOR_FIRST_GAP.fullmatch(text, old_end, new_start):
        return False
    gap = text[old_end:new_start].strip()
    if gap in ("에서", "から"):
        return bool(_PRIOR_FIRST_CLOSE.match(text, new_end, new_end + 3))
    return bool(_PRIOR_FIRST_OPEN.search(text, max(0, old_start - 30), old_start))


# "prevé invertir 100.000 millones", "desembolsó 34.900 millones", "plant Ausgaben von 60 bis
# 65 Milliarden Dollar": the spending words of Spanish and German.
SPEND_WORDS = _extend(
    SPEND_WORDS,
    r"\b(?:invert(?:ir|irá|irán|iría|irían|iremos|imos|ido|ida|idos|idas)|invirti(?:ó|eron)"
    r"|desembols(?:ar|ó|aron|ará|arán|ado|ados)|gast(?:ar|ó|aron|ará|arán|ado|ados)"
    r"|destin(?:ar|ó|aron|ará|arán|ado|ados)|Ausgaben|ausgeben|ausgegeben)\b",
)
SPEND_CONTEXT = _extend(
    SPEND_CONTEXT,
    r"\b(?:centros?\s+de\s+datos|infraestructuras?|capacidad\s+de\s+c(?:ómputo|omputación)"
    r"|servidores|chips|equipos|incluid[oa]s\s+los\s+arrendamientos|Rechenzent\w*"
    r"|KI-Rechenzent\w*|Infrastruktur\w*|Server|Investitionsboom\w*|Sachanlagen)\b",
)
SPEND_OTHER = _extend(
    SPEND_OTHER,
    r"\b(?:publicidad|recompras?|dividendos?|adquisici(?:ón|ones)|compra\s+de\s+(?:la|una)"
    r"|participaci(?:ón|ones)|salarios|despidos|multas?|Werbung|Marketing|Rückk(?:auf|äufe)"
    r"|Dividenden?|Übernahmen?|Beteiligung(?:en)?|Gehälter|Löhne|Personal\w*|Strafen?)\b",
)
SPEND_TARGET = _extend(
    SPEND_TARGET,
    r"(?<![A-Za-zÀ-ɏ])en\s+(?:el\s+estado\s+de\s+)?(?-i:[A-ZÁÉÍÓÚ][a-záéíóúñ]+)"
    r"|\b(?:un|una|su)\s+(?:nuevo\s+|nueva\s+|único\s+)?(?:centro\s+de\s+datos|campus|planta"
    r"|fábrica)\b|\bin\s+(?:ein(?:e[nm]?)?|einem)\s+",
)
SPEND_AFTER = re.compile(
    r"[^.;,\d]{0,60}?\b(?:ausgeben|stecken|aufwenden|ausgegeben|gesteckt|aufgewendet)\b", _I
)


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
    english = any(word in lower for word in _ENGLISH_GATE)
    # "甲骨文RPO达到...": a capitalised RPO among other scripts ("rpo" alone is in "corporate")
    foreign = any(word in lower for word in _FOREIGN_GATE) or "RPO" in text
    return _named(text, english, foreign)


def _named(text: str, english: bool, foreign: bool) -> bool:
    if english and _ENGLISH_METRIC_RE.search(text):
        return True
    return foreign and bool(_FOREIGN_METRIC_RE.search(text))


_ENGLISH_STEMS = re.compile(trie(_ENGLISH_GATE))
_FOREIGN_STEMS = re.compile(trie(_FOREIGN_GATE))
_RPO = re.compile("RPO")


def metric_sentences(text: str, spans: list[tuple[int, int]]) -> list[bool]:
    """`names_metric` for every sentence span of a document at once: one scan of the
    lower-cased document for the stems, then the patterns only on sentences that have one."""
    lower = text.lower()
    if len(lower) != len(text):  # a letter whose lower case is longer: offsets would drift
        return [names_metric(text[a:b]) for a, b in spans]
    english = sentences_with(_ENGLISH_STEMS, lower, spans)
    foreign = sentences_with(_FOREIGN_STEMS, lower, spans) | sentences_with(_RPO, text, spans)
    return [
        (n in english or n in foreign) and _named(text[a:b], n in english, n in foreign)
        for n, (a, b) in enumerate(spans)
    ]


def spend_sentences(text: str, spans: list[tuple[int, int]], named: list[bool]) -> set[int]:
    """The sentences with a spending word and a digit, where they or one of the two sentences
    before speak of the build-out or name a metric: read even when they name no metric, for
    the metric pass to judge (which reads the words exactly). Literal stems on the lower-cased
    text keep the scan cheap."""
    lower = text.lower()
    if len(lower) != len(text):
        lower = text
    words = sentences_with(_SPEND_STEMS, lower, spans)
    if not words:
        return words
    context = sentences_with(_CONTEXT_STEMS, lower, spans)
    near = {
        n for n in words if any(k in context or (k >= 0 and named[k]) for k in (n, n - 1, n - 2))
    }
    return {n for n in near if _DIGIT.search(text, *spans[n])}


_DIGIT = re.compile(r"\d")
_SPEND_STEMS = re.compile(trie((
    "spend", "spent", "invest", "shell out", "invert", "invirti", "desembols", "gast", "destin",
    "ausgab", "ausgeb", "stecken", "gesteckt", "aufwend", "aufgewend",
)))  # fmt: skip
_CONTEXT_STEMS = re.compile(trie((
    "data cent", "data-cent", "infrastruct", "build", "capacity", "servers", "chips", "gpus",
    "centro", "infraestructura", "capacidad", "servidores", "equipos", "arrendamientos",
    "rechenzent", "server", "sachanlagen", "investitionsboom", "infrastruktur",
)))  # fmt: skip
