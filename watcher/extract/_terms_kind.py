"""The cues for the kind of a figure: guidance (a company's own outlook), an actual, or a
third party's estimate, in six languages. English cues come first; each language's extend
them (see `_patterns.extend`). Korean and Japanese put the verb last, so some cues are read
after the figure (GUIDANCE_AFTER, ESTIMATE_AFTER)."""

from __future__ import annotations

import re

from ._patterns import extend

_I = re.IGNORECASE

GUIDANCE_CUES = re.compile(
    r"\b(?:expect(?:s|ed|ing)?|anticipat(?:e|es|ed|ing)|outlook|guidance|guid(?:e|ed|ing)|"
    r"forecast(?:s|ed|ing)?|project(?:s|ed|ing|ions?)?|plan(?:s|ned|ning)?|intend(?:s|ed)?|"
    r"will|going\s+to|should\s+be|looking\s+at|budget(?:s|ed)?|target(?:s|ed|ing)?|aim(?:s|ing)?\s+to|"
    r"looking\s+ahead|for\s+the\s+rest\s+of|now\s+sees?|sees|we\s+see|on\s+track\s+to|would|could"
    r"|might|(?<!in\s)(?<!\d\s)(?<!the\s)(?-i:may)\s+(?-i:(?:not\s+|well\s+|also\s+|now\s+|even\s+|still\s+)?"
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

# --- other languages -------------------------------------------------------------------------
# Korean, Chinese, Japanese, Spanish and German cues extend the English ones above. East Asian
# words carry no \b: those scripts put no spaces between words.
GUIDANCE_CUES = extend(
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
NOT_GUIDANCE = extend(
    NOT_GUIDANCE,
    r"(?:高于|低于|超出|超过|不及|好于|差于|符合|高於|低於|超過|好於|不如)(?:市场|市場)?(?:预期|預期)"
    r"|예상(?:치)?(?:를|을)?\s?(?:보다|웃|상회|하회|밑|넘)|(?:予想|見込み)を?(?:上回|下回|超え)"
    r"|\blo\s+que\s+(?:esperaba|preveía|anticipaba|estimaba|proyectaba)n?\b"
    r"|\bde\s+lo\s+(?:esperado|previsto)|\bals\s+(?:erwartet|geplant|prognostiziert)",
)
ACTUAL_VERBS = extend(
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
ESTIMATE_CUES = extend(
    ESTIMATE_CUES,
    r"애널리스트|증권가|증권사|시장\s?(?:전망|예상|추정)|컨센서스|전문가들"
    r"|分析师|分析師|市场预期|市場預期|市场普遍预期|市场预计|市場預估|一致预期|券商|研报|研究报告|机构预测"
    r"|据估计|據估計|摩根士丹利|摩根大通|高盛|花旗|瑞银|모건스탠리|골드만삭스|JP모건"
    r"|アナリスト|市場予想|市場の予想|コンセンサス|証券会社|ゴールドマン|モルガン"
    r"|\banalistas?\b|\bconsenso\b|según\s+(?:estimaciones|analistas|previsiones\s+de)"
    r"|\bel\s+mercado\s+(?:espera|prevé|estima|anticipa|descuenta|calcula)\b"
    r"|\blos\s+inversores\s+(?:esperan|prevén|estiman|descuentan)\b|\bexpertos\b"
    r"|\b(?:firmas?|casas?)\s+de\s+análisis\b|\bbancos?\s+de\s+inversión\b"
    r"|\bAnalysten\b|\bKonsens\w*|\bSchätzungen\s+von\b|\blaut\s+Schätzungen\b",
)
PASSIVE_EXPECTED = extend(
    PASSIVE_EXPECTED,
    r"\bse\s+(?:espera|prevé|estima|calcula)\s+que\b|"
    r"\b(?:el\s+mercado|los\s+(?:inversores|analistas|expertos)|el\s+consenso|Wall\s+Street)\s+"
    r"(?:espera|esperan|prevé|prevén|estima|estiman|calcula|calculan|anticipa|anticipan|proyecta"
    r"|proyectan|pronostica|pronostican|descuenta|descuentan)\s+que\b|\b(?:dürfte|dürften)\b"
    r"|\bwird\s+(?:erwartet|geschätzt)\b",
)
FIRST_PERSON = extend(
    FIRST_PERSON,
    r"我们|我們|本公司|当社|弊社|당사|우리\s?(?:는|회사)|\b[Ww]ir\b|\b[Uu]nser\w*\b|\b[Nn]osotros\b"
    r"|\b[Nn]uestr[oa]s?\b|\b(?:esperamos|prevemos|planeamos|invertiremos|estimamos|mantenemos)\b",
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
    # "stellt Investitionen von bis zu 82 Mrd. Dollar in Aussicht": holds out the prospect of
    r"|\bin\s+Aussicht\b"
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

# --- Chinese and German news wording -------------------------------------------------------
# German puts the finite verb second and its particle or participle last ("hob ... an", "hat
# ... angehoben", "hält an ... fest"), so its cues stand far from the figure; Chinese revises
# "由此前的X调高至Y" and compares "高于此前的预期".
_BANKS_ZH = (
    r"美国银行|美國銀行|美银|美銀|伯恩斯坦|瑞银|瑞銀|花旗|高盛|摩根士丹利|大摩|小摩|摩根大通|巴克莱|巴克萊"
    r"|杰富瑞|傑富瑞|富国银行|富國銀行|德意志银行|德意志銀行|野村|中金|中信证券|中信證券|华泰证券|華泰證券"
    r"|国泰君安|國泰君安|招商证券|招商證券|海通证券|海通證券|瑞穗|麦格理|麥格理|汇丰|匯豐|滙豐|晨星|彭博"
)
ESTIMATE_CUES = extend(
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
# "维持全年资本支出27.3万亿韩元左右的预期不变": the outlook named after its figure
GUIDANCE_AFTER = extend(
    GUIDANCE_AFTER, r"^\s?(?:左右|上下|以上|以下)?的(?:预期|預期|预测|預測|展望)"
)
# "die Investitionen würden über 30 Milliarden Dollar liegen" (reported speech)
GUIDANCE_CUES = extend(
    GUIDANCE_CUES, r"\b(?:peilt|peilen|veranschlagt|veranschlagen|würden?|solle|sollten)\b"
)

# --- Korean and Japanese news wording -------------------------------------------------------
# Brokers and banks as Korean and Japanese news name them: "한국투자증권은", "월가는", "시장에서는",
# "KB증권 김OO 연구원은", "JP모간은", "野村證券は", "みずほ証券の".
ESTIMATE_CUES = extend(
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
BEAT_MISS = extend(
    BEAT_MISS,
    r"시장(?:의|이)?\s?[^.。]{0,50}?(?:예상치|전망치|추정치|컨센서스|기대치)",
)
# Research firms and Taiwan's foreign institutional investors forecast too: "시장조사업체
# 비저블알파는 …로 내다봤다", "트렌드포스에 따르면", "外資法人預估", "調査会社の…によると".
ESTIMATE_CUES = extend(
    ESTIMATE_CUES,
    r"(?:시장)?조사\s?(?:업체|기관|회사)|리서치\s?(?:업체|회사|기관)|비저블\s?알파|트렌드포스|카운터포인트"
    r"|가트너|옴디아|調査会社|調査機関|リサーチ会社|トレンドフォース|ガートナー|ビジブル・?アルファ"
    r"|外資法人|外资法人|外資|外资机构|法人(?:預估|预估|預期|预期|看好|估計|估计|推估)|投顧|研調機構"
    r"|市[场場](?:研究|调研|調研|调查|調查)机构|市場(?:研究|調研|調查)機構|集邦|TrendForce|Counterpoint",
)
# "…30조원을 넘어설 것이라는 전망이 나왔다": a forecast that is reported, nobody's own plan;
# "넘을 듯", "달할 듯": a guess.
ESTIMATE_AFTER = extend(
    ESTIMATE_AFTER,
    r"(?:이라는|라는|란)\s?(?:전망|관측|분석|예상|추정|예측)(?:이|도|은)?\s?(?:나왔|나온|나오|제기|우세|많)"
    r"|(?<=[을를할될설길칠])\s?듯(?![이가])",
)
# "쓰겠다고 밝힌 금액이다": an intention, wherever it stands.
GUIDANCE_CUES = extend(GUIDANCE_CUES, r"겠다|겠습니다")
# Read after the figure: "... 쓰겠다고", "... 제시했다", "...に引き上げた", "...を投じる".
GUIDANCE_AFTER = extend(
    GUIDANCE_AFTER,
    r"겠다|겠습니다|제시|^\s?(?:수준|안팎|가량|정도|이상|이하)?\s?(?:으로|로)\s?(?:하향|높|올리|올려|올렸|낮|내려"
    r"|내렸|끌어올|잡)"
    r"|^\s?(?:程度|前後|規模|超|以上|以下)?\s?(?:に|へ)\s?(?:引き?上げ|引き?下げ|上方修正|下方修正|増額|減額"
    r"|上積み|拡大|縮小|修正)|投じ|投資する|見込",
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
