"""Vocabulary: the words that name each metric, the words that name other figures (which
block a number from being read as one of ours), and the cues for guidance, estimates and
changes."""

from __future__ import annotations

import re

_I = re.IGNORECASE

# Korean, Chinese (simplified and traditional), Japanese, Spanish and German. East Asian words
# are matched as substrings: those scripts put no spaces between words.
_CAPEX_FOREIGN = (
    r"자본\s?지출|자본적\s?지출|설비\s?투자|시설\s?투자"
    r"|资本性?(?:支出|开支)|資本性?(?:支出|開支)|設備投資|资本投资|資本投資|資本的支出"
    r"|\binversi(?:ón|ones)\s+(?:de|en)\s+capital\b|\bgastos?\s+de\s+capital\b"
    r"|\binversi(?:ón|ones)\s+en\s+(?:activos\s+fijos|bienes\s+de\s+capital)\b"
    r"|\bInvestitionsausgaben\b|\bInvestitionsbudgets?\b|\bKapitalausgaben\b"
    r"|\bSachinvestitionen\b|\bInvestitions(?:volumen|planung|pläne|plan|prognose|ziel)\w*"
    r"|\bInvestitionen\b"
)
_RPO_FOREIGN = (
    r"잔여\s?이행\s?의무|未履行的?履[约約]义务|未履行的?履約義務|剩余履约义务|剩餘履約義務"
    r"|残存履行義務|\bobligaciones\s+de\s+desempeño\s+(?:pendientes|restantes)\b"
    r"|\bverbleibenden?\s+Leistungsverpflichtungen\b|\bRestleistungsverpflichtungen\b"
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
    r"|\bflujo\s+de\s+(?:caja|efectivo)\s+(?:operativo|de\s+(?:las\s+)?operaciones)\b"
    r"|\boperative[nrm]?\s+Cash[\s-]?flows?\b"
    r"|\bCash[\s-]?flows?\s+aus\s+(?:der\s+)?(?:laufenden\s+)?Geschäftstätigkeit\b"
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
    ("capex", "capital investments", r"capital[\s-]+(?:investments?|spending|spend|outlays?)"),
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
    r"forecast(?:s|ed|ing)?|project(?:s|ed|ing)?|plan(?:s|ned|ning)?|intend(?:s|ed)?|"
    r"will|going\s+to|should\s+be|looking\s+at|budget(?:s|ed)?|target(?:s|ed|ing)?|aim(?:s|ing)?\s+to|"
    r"looking\s+ahead|for\s+the\s+rest\s+of|now\s+sees?|sees|we\s+see|on\s+track\s+to|would|could"
    r"|might|(?<!in\s)may(?!\s+\d)|set\s+to|poised\s+to|on\s+pace\s+to|slated\s+to"
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
    r"\banalysts?'?\b|\bconsensus\b|\b(?:investment\s+banks?|brokerages?|research\s+(?:notes?|firms?))\b|\bthe\s+Street\b|Wall\s+Street|\bestimates?\s+(?:from|by)\b"
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
FIRST_PERSON = re.compile(r"\b(?:we|our|us|we're|we've|we'll|I|I'm|I've|I'll)\b")

REAFFIRMED = re.compile(
    r"\b(?:still\s+(?:expect|anticipate|plan|see|project|believe)s?|continues?\s+to\s+(?:expect|"
    r"anticipate|plan|project|see)|reaffirm\w*|reiterat\w*|maintain(?:s|ed|ing)?|unchanged|"
    r"remains?\s+on\s+track|no\s+change)\b",
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
    r"\b(?:guidance|outlook|forecast|estimate|plan|target|budget|expectations?|range|view)s?\b", _I
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


# --- other languages -------------------------------------------------------------------------
# Korean, Chinese, Japanese, Spanish and German cues extend the English ones above. East Asian
# words carry no \b: those scripts put no spaces between words. Korean and Japanese put the verb
# last, so some cues are read after the figure (GUIDANCE_AFTER, ESTIMATE_AFTER, change words).


def _extend(pattern: re.Pattern[str], extra: str) -> re.Pattern[str]:
    return re.compile(f"(?:{pattern.pattern})|{extra}", pattern.flags)


GUIDANCE_CUES = _extend(
    GUIDANCE_CUES,
    r"예상|전망|계획|예정|목표|방침|가이던스|할\s?것|투입할|늘릴|지출할|집행할"
    r"|预计|預計|预期|預期|计划|計劃|計畫|将(?!近)|將(?!近)|拟|擬|目标|目標|指引|展望|预测|預測|有望"
    r"|見込|見通し|予想|計画|予定|方針|目指|ガイダンス"
    r"|\b(?:prevé|prevén|prevemos|previsto|prevista|previsión|previsiones|espera|esperan|esperamos"
    r"|proyecta|proyectan|planea|planean|planeamos|objetivo|perspectivas?|pronóstico|invertirá"
    r"|invertirán|invertiremos|destinará|destinarán|gastará|gastarán|alcanzará|alcanzarán|será|serán"
    r"|se\s+situará|guía)\b"
    r"|\b(?:erwartet|erwarten|erwartete|rechnet|rechnen|plant|planen|geplant|Prognose|Ausblick"
    r"|Planung|wollen|soll|sollen|wird|werden|beabsichtigt|Ziel|vorgesehen|voraussichtlich)\b"
    r"|(?:planung|prognose|pläne|ausblick)\b",
)
NOT_GUIDANCE = _extend(
    NOT_GUIDANCE,
    r"(?:高于|低于|超出|超过|不及|好于|差于|符合|高於|低於|超過|好於|不如)(?:市场|市場)?(?:预期|預期)"
    r"|예상(?:치)?(?:를|을)?\s?(?:보다|웃|상회|하회|밑|넘)|(?:予想|見込み)を?(?:上回|下回|超え)"
    r"|\bde\s+lo\s+(?:esperado|previsto)|\bals\s+(?:erwartet|geplant|prognostiziert)",
)
ACTUAL_VERBS = _extend(
    ACTUAL_VERBS,
    r"기록|집행했|투자했|지출했|늘었|증가했|达到|達到|录得|錄得|達した|となった|だった"
    r"|\b(?:fue|fueron|ascendió|alcanzó|se\s+situó|betrug|beliefen|lag|erreichte)\b",
)
# "高于市场预期的203亿美元", "시장 예상치인 580억 달러": the expectation named after a figure is
# the next figure's, not this one's.
BEAT_MISS = re.compile(
    r"(?:高于|低于|超出|超过|超過|不及|好于|好於|差于|符合|高於|低於)(?:市场|市場)?(?:预期|預期)"
    r"|시장\s?(?:예상치|전망치|기대치|컨센서스)|(?:市場)?予想(?:を|の)(?:上回|下回)|市場予想"
    r"|\b(?:por\s+encima|por\s+debajo)\s+de\s+(?:las?\s+)?(?:previsiones|estimaciones|expectativas)"
    r"|\b(?:über|unter)\s+den\s+(?:Erwartungen|Schätzungen|Prognosen)"
)
ESTIMATE_CUES = _extend(
    ESTIMATE_CUES,
    r"애널리스트|증권가|증권사|시장\s?(?:전망|예상|추정)|컨센서스|전문가들"
    r"|分析师|分析師|市场预期|市場預期|市场普遍预期|市场预计|市場預估|一致预期|券商|研报|研究报告|机构预测"
    r"|据估计|據估計|摩根士丹利|摩根大通|高盛|花旗|瑞银|모건스탠리|골드만삭스|JP모건"
    r"|アナリスト|市場予想|市場の予想|コンセンサス|証券会社|ゴールドマン|モルガン"
    r"|\banalistas?\b|\bconsenso\b|según\s+(?:estimaciones|analistas|previsiones\s+de)"
    r"|\bAnalysten\b|\bKonsens\b|\bSchätzungen\s+von\b|\blaut\s+Schätzungen\b",
)
PASSIVE_EXPECTED = _extend(
    PASSIVE_EXPECTED,
    r"\bse\s+(?:espera|prevé|estima|calcula)\s+que\b|\b(?:dürfte|dürften)\b"
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
    r"\s*,?\s*(?:de\s+(?:dólares|euros|yuanes)\s+)?(?:anteriormente|previamente|anteriores|previos"
    r"|previas|iniciales|previstos\s+anteriormente|zuvor|bisher)\b",
)
INCREMENT_BEFORE = _extend(
    INCREMENT_BEFORE,
    r"(?:增加|增长|增長|减少|減少|下降|新增|追加|额外|額外|多出)了?\s?(?:约|約|近)?\s?$"
    r"|(?:추가로|추가|더)\s?$|(?:追加で?|さらに)\s?$"
    r"|\bum\s+(?:rund\s+|etwa\s+|knapp\s+|mehr\s+als\s+|fast\s+)?$|\b(?:weitere|zusätzliche[n]?)\s+$"
    r"|\b(?:aument\w*|increment\w*|subi\w*|creci\w*|redu\w*|disminu\w*|cay\w*)\s+(?:en\s+)?"
    r"(?:unos\s+)?$|\b(?:otros|adicionales?)\s+$",
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
    r"\s*(?:(?:of|in|on|for|worth\s+of|into|toward|towards|en|de|para|an|für)\s+"
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
    r"|\b(?:geplant|vorgesehen)\b",
    _I,
)
ESTIMATE_AFTER = re.compile(
    r"(?:예상|전망|관측|추정|추산)(?:되|된다|됐)|(?:と|に)(?:みられ|見られ|予想され|推計され|試算され)"
    r"|(?:ると|と)(?:の)?(?:見方|予測)",
)
_CLAUSE_END = re.compile(r"[,，;；、]|\d")
_ASIDE = re.compile(r"\s?[(（][^()（）]{0,60}[)）]")

# Change words. Strong ones name a revision by themselves ("상향", "上调", "引き上げ",
# "elevó", "angehoben"); weak ones ("늘려", "提高", "aumentó", "erhöht") need a plan or outlook
# noun in the sentence.
_REAFFIRMED_FOREIGN = re.compile(
    r"유지|재확인|维持|維持|重申|不变|不變|据え置|変更なし|\breiter[óo]\b|\breafirm\w*|\bmantien\w*"
    r"|\bmantuv\w*|\bbestätig\w*|\bbekräftig\w*|\bbeibehalten\b|\bunverändert\b",
    _I,
)
_RAISED_STRONG = re.compile(
    r"상향|上调|上調|调高|調高|上修|调升|調升|引き?上げ|上方修正|\belev(?:ó|aron|ará|a|an)\b|\bangehoben\b|\bhebt\b"
    r"|\bhob\b|\bhochgeschraubt\b|\bheraufgesetzt\b|\bnach\s+oben\s+(?:korrigiert|geschraubt|gesetzt)\b"
    r"|\brevis(?:ó|aron|a|an)\s+al\s+alza\b",
    _I,
)
_LOWERED_STRONG = re.compile(
    r"하향|下调|下調|调低|調低|下修|引き?下げ|下方修正|\brecort(?:ó|aron|ará|a|an)\b|\brebaj(?:ó|aron|a)\b|\bgesenkt\b"
    r"|\bsenkt\w*|\bgekürzt\b|\bkürzt\w*|\bherabgesetzt\b|\bnach\s+unten\s+(?:korrigiert|geschraubt)\b"
    r"|\brevis(?:ó|aron|a|an)\s+a\s+la\s+baja\b|调降|調降",
    _I,
)
_RAISED_WEAK = re.compile(
    r"늘려|높여|올려|늘렸|높였|올렸|提高|提升|增加|増額|\baument(?:ó|aron|ará|a|an)\b|\bincrement(?:ó|aron|ará|a|an)\b"
    r"|\bsubi[óo]\b|\berhöht\w*",
    _I,
)
_LOWERED_WEAK = re.compile(
    r"줄여|낮춰|줄였|낮췄|축소|削减|削減|降低|减少|減額|\bredu(?:jo|ce|cen)\b|\breduziert\w*", _I
)
_NARROWED_FOREIGN = re.compile(r"좁혀|收窄|\bacot[óa]\w*|\beingeengt\b|\bpräzisiert\b", _I)
_PLAN_NOUN = re.compile(
    r"전망|계획|목표|가이던스|예상|预期|預期|预计|預計|指引|计划|計劃|計畫|目标|目標|预算|預算|見通し|計画"
    r"|予想|見込み|\b(?:previsión|previsiones|objetivo|guía|perspectivas?|presupuesto|Prognose"
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
    r"(?:从|由|從|(?<![A-Za-zÀ-ɏ])(?:von|de|desde|from(?:\s+(?:about|approximately|around|roughly))?))"
    r"\s?(?:US|USD|RMB|KRW)?\s?$",
    _I,
)
_PRIOR_FIRST_CLOSE = re.compile(r"\s?(?:으로|로|に|へ)")


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
    if raised and not lowered:
        return "raised"
    if lowered and not raised:
        return "lowered"
    return None


def prior_first(text: str, old_start: int, old_end: int, new_start: int, new_end: int) -> bool:
    """True when the first of two adjacent figures is the outlook the second replaces."""
    if not _PRIOR_FIRST_GAP.fullmatch(text, old_end, new_start):
        return False
    gap = text[old_end:new_start].strip()
    if gap in ("에서", "から"):
        return bool(_PRIOR_FIRST_CLOSE.match(text, new_end, new_end + 3))
    return bool(_PRIOR_FIRST_OPEN.search(text, max(0, old_start - 30), old_start))


_ENGLISH_GATE = ("cap", "rpo", "backlog", "remaining", "pp&e", "property", "productive", "operati")
_FOREIGN_GATE = (
    "자본", "설비", "시설", "수주", "잔여", "영업", "资本", "資本", "設備", "履约", "履約", "履行",
    "订单", "訂單", "经营", "經營", "营运", "營運", "受注", "営業", "inversi", "gasto", "cartera",
    "obligaciones", "flujo", "investition", "kapitalausgaben", "auftrag", "leistungsverpflicht",
    "geschäftstätigkeit",
)  # fmt: skip


def names_metric(text: str) -> bool:
    """True when a sentence names one of our metrics. Plain substring tests come first: they
    are much cheaper than the patterns, and the other languages' patterns run only on text
    that has one of their words."""
    lower = text.lower()
    if any(word in lower for word in _ENGLISH_GATE) and _ENGLISH_METRIC_RE.search(text):
        return True
    return any(word in lower for word in _FOREIGN_GATE) and bool(_FOREIGN_METRIC_RE.search(text))
