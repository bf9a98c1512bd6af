"""The words of a change to an outlook: raised, lowered, narrowed or reaffirmed, and the words
that make a figure the prior (the outlook a new one replaces), in six languages. English words
come first; each language's extend them (see `_patterns.extend`). Korean and Japanese put the
verb last, so some change words are read after the figure."""

from __future__ import annotations

import re

from ._patterns import extend

_I = re.IGNORECASE

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

# --- other languages -------------------------------------------------------------------------
# Korean, Chinese, Japanese, Spanish and German words extend the English ones above. East Asian
# words carry no \b: those scripts put no spaces between words.
PRIOR_GAP = extend(
    PRIOR_GAP,
    r"\b(?:frente\s+a|desde|respecto\s+a|tras|nach|gegenüber|statt|anstatt)\b[^.;$]{0,40}?"
    r"\b(?:anteriores?|previas?|previos?|iniciales?|original(?:es)?|bisherigen|bisher|zuvor"
    r"|bislang|ursprünglich(?:en)?|vorher)\b[^.;$\d]{0,30}$"
    r"|(?:此前|之前|先前|原先|原本|前次|기존|이전|従来|前回|当初)[^\d。.;]{0,12}$",
)
PRIOR_AFTER = extend(
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
    r"|(?:上调|上調|提高)(?:了)?下限|좁혀|收窄|收斂|收敛|\bacot[óa]\w*|\bestrech[óa]\w*"
    r"|\beingeengt\b|\bpräzisiert\b",
    _I,
)
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
# ... angehoben", "hält an ... fest"), so its change words stand far from the figure; Chinese
# revises "由此前的X调高至Y".
_REAFFIRMED_FOREIGN = extend(
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
_RAISED_STRONG = extend(
    _RAISED_STRONG,
    r"\bheb(?:en|t)\b|\bhoben\b|\baufgestockt\b|\bhochgesetzt\b|\bnach\s+oben\s+angepasst\b"
    r"|\bschraub(?:t|te|ten|en)\b[^.;]{0,150}?\bhoch\b|\bhochgeschraubt\b"
    r"|\bstock(?:t|te|ten)\b[^.;]{0,150}?\bauf\b"
    r"|调增|調增",
)
_LOWERED_STRONG = extend(
    _LOWERED_STRONG,
    r"\bsenk(?:en|e|te|ten)\b|\bkapp(?:t|te|ten|en)\b|\bgekappt\b|\bzusammengestrichen\b"
    r"|\bheruntergeschraubt\b|\bnach\s+unten\s+angepasst\b|调减|調減",
)
_RAISED_WEAK = extend(
    _RAISED_WEAK, r"\berhöh(?:en|e|te|ten)\b|\bsteiger(?:t|te|ten|n)\b|\bausgeweitet\b"
)
# With no plan noun, only a finite verb moves the figure: "Meta erhöht die Investitionen 2025
# auf ..." raises, "Meta will die Investitionen 2025 auf ... steigern" plans more than last year.
_RAISED_MOVED = re.compile(r"\berhöh(?:t|te)\b|\bsteiger(?:t|te)\b|提高|提升|增加", _I)
_LOWERED_MOVED = re.compile(
    r"\breduzier(?:t|te)\b|\bverringer(?:t|te)\b|降低|减少|削减|削減|缩减|縮減|压缩|壓縮", _I
)
_LOWERED_WEAK = extend(
    _LOWERED_WEAK,
    r"\breduzier(?:en|e|te|ten)\b|\bverringer(?:t|te|ten|n)\b|缩减|縮減|压缩|壓縮",
)
_PLAN_NOUN = extend(_PLAN_NOUN, r"预测|預測|展望|(?:prognose|ausblick|planung|budget|ziel)\b")
# A weak change verb moves a plan when it takes the figure as where the plan goes: "erhöht die
# Investitionen 2025 auf 70 Milliarden Dollar", "资本支出提高至".
_MOVED_TO_FOREIGN = re.compile(
    r"(?:\bauf|至|到)\s?(?:(?:rund|etwa|circa|ca\.|ungefähr|knapp|über|mehr\s+als|mindestens"
    r"|bis\s+zu|zwischen|eine\s+Spanne\s+von|约|約|大约|大約|近)\s?)?$",
    _I,
)
_PRIOR_FIRST_GAP = extend(
    _PRIOR_FIRST_GAP,
    r"\s?auf\s(?:eine[rn]?\s+(?:Spanne|Bandbreite|Höhe|Niveau|Summe|Wert)\s+(?:von\s+)?)?"
    r"(?:(?:rund|etwa|circa|ca\.|ungefähr|knapp|über|mehr\s+als|mindestens|bis\s+zu|zwischen)\s)?"
    r"|\s?(?:左右|上下)?\s?(?:[上下]调|[上下]調|调[高低升增减]|調[高低升增減]|提高|提升|增加|降低|减少"
    r"|削减|削減|缩减|縮減|上修|下修|调整|調整|增|减|降)?\s?(?:至|到|为|為)\s?(?:约|約|大约|大約|近)?\s?",
)
_PRIOR_FIRST_OPEN = extend(
    _PRIOR_FIRST_OPEN,
    r"(?:从|由|從)\s?(?:此前|之前|先前|原先|原本|早前|原来|原來)?的?\s?(?:约|約|大约|大約|近)?\s?"
    r"(?:人民币|人民幣)?\s?$"
    r"|(?<![A-Za-zÀ-ɏ])von\s(?:(?:rund|etwa|circa|ca\.|ungefähr|knapp|über|mehr\s+als|mindestens"
    r"|bis\s+zu|zuvor|bisher|bislang|einer?\s+(?:Spanne|Bandbreite)\s+von)\s){1,2}$",
)
# "; bislang waren 109 bis 121 Milliarden Dollar veranschlagt", "(bisher: 60 Milliarden)",
# ", zuvor hatte der Konzern mit 60 Milliarden gerechnet": the old outlook after the new one.
PRIOR_GAP = extend(
    PRIOR_GAP,
    r"(?:[;,(:]|\s[-–]\s)\s*(?:nachdem\s+|wobei\s+)?(?:bisher|bislang|zuvor|vorher|ursprünglich"
    r"|zunächst)(?:\s*:|\s+(?:waren"
    r"|war|lag|lagen|hatte|hatten|wurden|standen|galten|hieß\s+es|sah|sahen|ging|gingen|rechnete"
    r"|rechneten|plante|planten)\b[^.;\d()]{0,40})?\s*(?:(?:rund|etwa|circa|ca\.|ungefähr|knapp"
    r"|über|mehr\s+als|mindestens|bis\s+zu|zwischen|eine\s+Spanne\s+von)\s+)?$",
)

# --- Korean and Japanese news wording -------------------------------------------------------
# "기존 ... 종전", "これまでの", "従来予想の": the figure named next is the former outlook.
PRIOR_GAP = extend(
    PRIOR_GAP,
    r"(?:종전|당초|직전|これまで|従来予想|前回予想)[^\d。.;]{0,12}$",
)
# "... 계획에는 변함이 없다", "従来の見通しに変わりはない": no change.
_REAFFIRMED_FOREIGN = extend(
    _REAFFIRMED_FOREIGN,
    r"변함\s?(?:이\s?)?없|변동\s?(?:이\s?)?없|변경\s?(?:하지\s?)?않|変わりは?な|変わらず|変更は?な"
    r"|変えな",
)
# "늘리기로 했다", "늘릴 계획", "끌어올렸다", "내려 잡았다", "増やす", "減らした".
_RAISED_WEAK = extend(
    _RAISED_WEAK, r"늘리|늘린|늘릴|높이|높인|높일|올리|올린|올릴|끌어올|増や|積み増|上積み"
)
_LOWERED_WEAK = extend(_LOWERED_WEAK, r"줄이|줄인|줄일|낮추|낮춘|낮출|내려|내렸|내린|減ら")
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
