"""The words beside a figure that say how it stands to others: an increment ("up $5 billion"),
a component ("including $2 billion of ..."), the link to the metric noun it is of, a pronoun or a
reference to an earlier figure, a group of companies, a list. English words come first; each
language's extend them (see `_patterns.extend`)."""

from __future__ import annotations

import re

from ._patterns import extend

_I = re.IGNORECASE

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
# Korean, Chinese, Japanese, Spanish and German words extend the English ones above. East Asian
# words carry no \b: those scripts put no spaces between words.
INCREMENT_BEFORE = extend(
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
INCREMENT_AFTER = extend(
    INCREMENT_AFTER,
    # "100억 달러 이상 늘어날", "300億ドル超増える": a bound word may stand before the verb
    r"^\s*(?:이상|이하|가량|정도|안팎|以上|超|程度)?\s?(?:가|이)?\s?(?:늘|증가|줄|감소|많|적|확대)"
    r"|^\s*(?:以上|超|程度)?の?(?:増|減)"
    r"|^\s*(?:más|menos|adicionales|mehr|weniger|zusätzlich)\b",
)
COMPONENT_BEFORE = extend(
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
GROUP_WORDS = extend(
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

# --- Chinese and German news wording -------------------------------------------------------
# "比市场预期高出20亿美元", "将预期上调了78亿美元": by how much, not the figure.
INCREMENT_BEFORE = extend(
    INCREMENT_BEFORE,
    r"(?:高出|低出|超出|多出|少了|多了|(?:上调|上調|下调|下調|调高|調高|调低|調低|调增|調增|调减|調減)了?"
    r"|(?:提高|提升|降低|削减|削減|缩减|縮減)了)\s?(?:约|約|近|大约|大約)?\s?$",
)
# "liegt 4,1 Milliarden Dollar über den Erwartungen der Analysten"
INCREMENT_AFTER = extend(
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

# --- Korean and Japanese news wording -------------------------------------------------------
# "전망치를 27억달러 높였다", "시장 예상치를 41억 달러 웃돌았다", "計画を28億ドル上積みした",
# "市場予想を23億ドル上回った": a verb right after the figure, with no particle ("으로", "に")
# that would make it the new level, says by how much.
INCREMENT_AFTER = extend(
    INCREMENT_AFTER,
    r"^\s?(?:가량|정도|쯤|이나)?\s?(?:높였|높여|높인|높이|올렸|올려|올린|끌어올|늘렸|늘린|늘리|상향|하향"
    r"|낮췄|낮춰|낮춘|낮추|내렸|내려|내린|줄였|줄인|줄이|웃돌|밑돌|상회|하회|초과|넘어)"
    r"|^\s?(?:程度|前後|ほど)?\s?(?:上回|下回|上積|積み増|引き?上げ|引き?下げ|増や|減ら|増額|減額"
    r"|拡大|縮小|多い|少ない|上振れ|下振れ)",
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
