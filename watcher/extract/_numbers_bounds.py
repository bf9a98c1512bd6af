"""The words that bound a money figure, in the languages we read: approximately ("about",
"약", "约", "unos", "rund"), at least ("over", "más de", "mindestens", "이상", "超"), at most ("up
to", "hasta", "bis zu", "최대", "上限"), or exactly."""

from __future__ import annotations

import re
from typing import Literal

Bound = Literal["exact", "approx", "min", "max", "range"]

_I = re.IGNORECASE

# A Spanish change verb before a figure: "elevó su previsión hasta 45.000 millones" says where
# the outlook went (no cap), "elevó su previsión de 60.000 a 65.000 millones" from old to new.
CHANGE_BEFORE = re.compile(
    r"\b(?:elev|aument|increment|sub|recort|reduj|redu[cz]|rebaj|baj|revis)\w*\b", _I
)
# "crecieron hasta 315.700 millones": where a figure went, not a cap.
_MOVED_HASTA = re.compile(
    r"\b(?:crec|creci|cay|ca[ií]|descend|disminu|dispar|ampli|amplí|escal|retroced|ascend|avanz"
    r"|salt)\w*\s+(?:[^\s\d]+\s+){0,3}?hasta\s$",
    _I,
)

_APPROX = re.compile(
    r"\b(?:approximately|approx\.?|about|around|roughly|nearly|almost|close to|circa|some|"
    r"an estimated|estimated|just under|just shy of|in the neighborhood of|in the region of|"
    r"on the order of|of around|of about|of roughly|of approximately"
    r"|alrededor\s+de|cerca\s+de|unos|unas|aproximadamente|en\s+torno\s+a|rund|etwa|ca\.|knapp"
    r"|ungefähr|annähernd)\s$|~\s?$|(?:约|約|大约|大約|近|将近|接近|약|대략|およそ)\s?$",
    _I,
)
_MIN = re.compile(
    r"\b(?:over|more than|at least|above|exceeding|exceed|exceeds|in excess of|north of|top|tops|"
    r"upwards of|greater than|at or above|no less than|a minimum of|at a minimum|just over|"
    r"well over|well above|beyond|más\s+de|al\s+menos|por\s+encima\s+de|mehr\s+als|über"
    r"|(?:un|el)\s+mínimo\s+de|como\s+mínimo|superior(?:es)?\s+a"
    r"|mindestens|wenigstens)\s$"
    r"|\b(?:at or above|at least)\s+the\s$"
    # "at or above the Q1 CapEx of $12 billion": the bound names the figure it is anchored to.
    r"|\b(?:at or above|at least|above|over|more than|exceed|exceeding)\s+the\s+"
    r"(?![^$.;]{0,40}?\b(?:consensus|estimates?|expectations?|forecasts?|analysts?)\b)[^$.;]{0,40}?"
    r"\bof\s$"
    # "不超过" is a cap; "至少为", "超过达" reach over a short verb
    r"|(?:(?<!不)(?:超过|超過)|逾|至少|不低于|不低於|不少于|不少於|최소|적어도|少なくとも)"
    r"(?:为|為|达|達|达到|達到|是)?\s?$",
    _I,
)
_MAX = re.compile(
    r"\b(?:up to|less than|under|below|at most|no more than|a maximum of|as much as|as high as|"
    r"capped at|not to exceed|not exceeding|(?:de|por|con)\s+hasta|menos\s+de|como\s+máximo"
    r"|(?:un|el)\s+máximo\s+de|un\s+tope\s+de"
    r"|bis\s+zu|höchstens|maximal|weniger\s+als)\s$"
    r"|(?:最多|至多|不超过|不超過|最高|最大|上限|최대|많게는)\s?"
    # "最多投入950亿美元", "最高可达", "最大で750億ドル": the bound reaches over a short verb.
    r"(?:可?(?:投入|投资|投資|支出|花费|花費|达到|達到|达|達|为|為|至|到)|で)?\s?$",
    _I,
)
# "hasta 45.000 millones" is a cap, but "elevó su previsión hasta 45.000 millones" is where a
# change went.
_HASTA = re.compile(r"(?<![A-Za-zÀ-ɏ])hasta\s$", _I)
_DE_HASTA = re.compile(
    r"(?<![A-Za-zÀ-ɏ])(?:de|desde)\s(?:(?:los|las|unos|unas)\s)?(?:US\s?\$\s?)?[\d.,]{1,20}"
    r"(?:\s(?:mil\s+millones|millones|billones|millardos))?(?:\s(?:de\s)?(?:dólares|euros|yuanes"
    r"|wones|yenes)(?:\s(?:estadounidenses|americanos|de\s+EE\.?\s?UU\.?))?)?\shasta\s$",
    _I,
)
_MIN_AFTER = re.compile(
    r"^\s?(?:or (?:more|higher|above)|plus\b|\+|o\s+más\b|oder\s+mehr\b|이상|以上|超(?![过過大])"
    r"|を超え|[을를]?\s?넘)",
    _I,
)
_MAX_AFTER = re.compile(
    r"^\s?(?:or (?:less|lower|below)\b|o\s+menos\b|oder\s+weniger\b|이하|미만|以下|以内|未満)", _I
)


# "prevé que su gasto de capital supere los 30.000 millones": a floor; but "la cifra supera los
# 83.000 millones que destinó en 2024" compares with another figure, which stays exact.
_EXCEEDS = re.compile(
    r"(?<![A-Za-zÀ-ɏ])super(?:e|en|ar|ará|arán|aría|arían|ó|aron|a|an)\s+(?:(?:los|las)\s+)?$", _I
)
_COMPARED = re.compile(
    r"\s*(?:de\s+(?:dólares|euros|yuanes)\s+)?,?\s*(?:que|del|de\s+(?:19|20)\d\d)\b", _I
)


# "was bumped up to $88 billion", "ramped up to": a past change verb with "up", where the
# figure went; "could go up to $80 billion" stays a cap.
_MOVED_UP_TO = re.compile(
    r"\b(?:bumped|ramped|ticked|moved|went|revised|pushed|jacked|scaled|stepped|marked|dialed"
    r"|dialled|notched|inched|crept|jumped|shot|climbed|rose|edged|nudged)\s+up\s+to\s$",
    _I,
)


def qualifier(text: str, start: int, end: int) -> Bound:
    """How the words around a figure bound it: approximately, at least, at most, or exactly."""
    window = text[max(0, start - 60) : start]
    after = text[end : end + 12]
    if _MIN.search(window) or _MIN_AFTER.match(after):
        return "min"
    if _EXCEEDS.search(window) and not _COMPARED.match(text, end, end + 40):
        return "min"
    if (_MAX.search(window) and not _MOVED_UP_TO.search(window)) or _MAX_AFTER.match(after):
        return "max"
    if (
        _HASTA.search(window)
        and not _DE_HASTA.search(window)
        and not CHANGE_BEFORE.search(text, max(0, start - 160), start)
        and not _MOVED_HASTA.search(window)
    ):
        return "max"
    if _APPROX.search(window):
        return "approx"
    return "exact"
