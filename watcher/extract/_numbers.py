"""Reading money amounts in the languages we read: "$64.5 billion", "US$64-72 billion",
"between $40 billion and $42 billion", "over $30 billion", "4,200억 달러", "2조 3천억 원",
"640亿至720亿美元", "3兆円", "70.000 millones de dólares", "1.234,5 Mrd. Euro",
"zwischen 64 und 72 Milliarden".

Numbers are found with one simple token pattern; everything around a token (currency, scale,
range partner, qualifier words) is read from a small window next to it, so the cost stays
linear in the size of the text whatever the input. Full-width characters are folded to their
ASCII twins one for one, so offsets are kept."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Bound = Literal["exact", "approx", "min", "max", "range"]

_I = re.IGNORECASE

# Full-width digits, letters and signs, and exotic spaces, folded one character for one.
_FOLD = str.maketrans(
    {chr(0xFF01 + i): chr(0x21 + i) for i in range(94) if chr(0x21 + i) != ","}
    | {"\u3000": " ", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u301c": "~", "\u223c": "~"}
    | {"\uffe5": "¥", "\uffe6": "₩", "\u2212": "-"}
    # Dashes of every width, and the box-drawing line Japanese typesetting uses for one.
    | {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2015": "-", "\u2500": "-", "\u2501": "-"}
)

# A number starts after no letter or digit, except a currency code written against it
# ("RMB150-168 billion", "USD40 billion").
_TOKEN = re.compile(
    r"(?:(?<![0-9A-Za-z_.,\u00c0-\u024f])|(?<=(?<![A-Za-z])(?:USD|RMB|KRW|EUR|JPY|CNY|TWD|GBP)))"
    r"\d(?:\d|[.,](?=\d)){0,30}"
)

# East Asian unit characters: 3천억 = 3 * 1000 * 10^8, 1200亿 = 1200 * 10^8, 万亿 = 10^12.
_CJK_UNITS = {
    "十": 10, "십": 10, "百": 100, "백": 100, "千": 10**3, "仟": 10**3, "천": 10**3,
    "万": 10**4, "萬": 10**4, "만": 10**4, "亿": 10**8, "億": 10**8, "억": 10**8,
    "兆": 10**12, "조": 10**12,
}  # fmt: skip
_CJK_SCALE = re.compile(r"\s?([多余餘])?([十십百백千仟천万萬만亿億억兆조]{1,3})")
_CJK_NEXT = re.compile(r"\s?(\d(?:\d|[.,](?=\d)){0,12})\s?([十십百백千仟천万萬만亿億억兆조]{1,3})")
_EN_SCALE = re.compile(
    r"(?:\s?(?:plus|\+)\s?)?"
    r"(?:\s?-?\s?(trillion|billion|million|thousand)|\s?(tn|bn|mn|bln|mln)|([BMTbm]))(?![A-Za-z0-9])",
    _I,
)
_EN_SCALES = {
    "trillion": 10**12, "tn": 10**12, "t": 10**12,
    "billion": 10**9, "bn": 10**9, "bln": 10**9, "b": 10**9,
    "million": 10**6, "mn": 10**6, "mln": 10**6, "m": 10**6,
    "thousand": 10**3,
}  # fmt: skip
# Spanish and German: the long scale (billón = 10^12) and the continental digit grouping.
_EU_SCALE = re.compile(
    r"\s?(?:(mil\s+millones|millardos?|millones|millón|billones|billón)\b"
    r"|(Milliarden|Milliarde|Millionen|Billionen|Mrd|Mio|Tsd)\b\.?"
    # German "Billion" is 10^12; "$65 Billion Dollar" in an English headline is not German.
    r"|(Billion|Million)(?=\s+(?:Euro|US-Dollar|Yuan|Yen|Won)\b))",
)
_EU_SCALES = {
    "mil millones": 10**9, "millardo": 10**9, "millardos": 10**9, "millones": 10**6,
    "millón": 10**6, "billones": 10**12, "billón": 10**12,
    "milliarden": 10**9, "milliarde": 10**9, "millionen": 10**6, "billionen": 10**12,
    "mrd": 10**9, "mio": 10**6, "tsd": 10**3, "billion": 10**12, "million": 10**6,
}  # fmt: skip

_CURRENCY_BEFORE = re.compile(
    r"(US\s?\$|NT\$|HK\$|A\$|C\$|S\$|R\$|RMB\s?¥|CN¥|JP¥|\$|€|£|¥|₩|₹"
    r"|(?:USD|EUR|GBP|JPY|CNY|RMB|KRW|TWD|INR)\s?"
    r"|人民币|人民幣|新台币|新台幣|台币|台幣|港币|港幣)\s?$"
)
_CURRENCY_AFTER = re.compile(
    r"\s?(?:(?:US|U\.S\.)\s)?(dollars|USD|yuan|renminbi|RMB|CNY|euros?|EUR|won|KRW|yen|JPY|"
    r"pounds|GBP|NT dollars|Taiwan dollars|TWD|rupees|INR)(?![A-Za-z])"
    # "625,6 Mrd. Taiwan-Dollar", "dólares taiwaneses", "NT-Dollar": the Taiwan dollar
    r"|\s?(?:de\s+)?(dólares\s+(?:taiwaneses|de\s+Taiwán)|nuevos\s+dólares\s+taiwaneses)\b"
    r"|\s?(Taiwan-Dollar|NT-Dollar|Neue[nr]?\s+Taiwan-Dollar)\b"
    r"|\s?(?:de\s+)?(dólares|dólar|euros|yuanes|wones|yenes)\b(?:\s+(?:estadounidenses|americanos)\b)?"
    r"|\s?(US-Dollar|Dollar|Euro|Yuan|Yen|Won)\b"
    r"|\s?(美元|美金|港元|港币|港幣|日元|日圆|日圓|欧元|歐元|韩元|韓元|英镑|英鎊|新台币|新台幣|台币|台幣"
    r"|人民币|人民幣|元|달러|원|엔|위안|유로|米ドル|ドル|円|ユーロ|人民元|ウォン)(?:\s?(人民币|人民幣))?"
    r"|\s?([$€])"
)
_CURRENCY_CODES = {
    "$": "USD", "us$": "USD", "usd": "USD", "dollars": "USD", "nt$": "TWD", "hk$": "HKD",
    "a$": "AUD", "c$": "CAD", "s$": "SGD", "r$": "BRL", "€": "EUR", "eur": "EUR", "euro": "EUR",
    "euros": "EUR", "£": "GBP", "gbp": "GBP", "pounds": "GBP", "¥": "JPY", "jpy": "JPY",
    "yen": "JPY", "cny": "CNY", "rmb": "CNY", "yuan": "CNY", "renminbi": "CNY", "₩": "KRW",
    "krw": "KRW", "won": "KRW", "twd": "TWD", "nt dollars": "TWD", "taiwan dollars": "TWD",
    "₹": "INR", "inr": "INR", "rupees": "INR", "rmb¥": "CNY", "cn¥": "CNY", "jp¥": "JPY",
    "dólares": "USD", "dólar": "USD", "yuanes": "CNY", "wones": "KRW", "yenes": "JPY",
    "us-dollar": "USD", "dollar": "USD", "taiwan-dollar": "TWD", "nt-dollar": "TWD",
    "美元": "USD", "美金": "USD", "港元": "HKD", "港币": "HKD", "港幣": "HKD", "日元": "JPY",
    "日圆": "JPY", "日圓": "JPY", "欧元": "EUR", "歐元": "EUR", "韩元": "KRW", "韓元": "KRW",
    "英镑": "GBP", "英鎊": "GBP", "新台币": "TWD", "新台幣": "TWD", "台币": "TWD", "台幣": "TWD",
    "人民币": "CNY", "人民幣": "CNY", "元": "CNY", "달러": "USD", "원": "KRW", "엔": "JPY",
    "위안": "CNY", "유로": "EUR", "米ドル": "USD", "ドル": "USD", "円": "JPY", "ユーロ": "EUR",
    "人民元": "CNY", "ウォン": "KRW",
}  # fmt: skip
_TAIWAN_DOLLAR = re.compile(r"新台币|新台幣|台币|台幣|NT\$")

# "ー" (the katakana long-vowel mark) stands in for a dash between two figures: "600億ー650億ドル".
_RANGE_JOIN = re.compile(r"\s?(?:to|-|–|—|ー|through|~|至|到|bis)\s?", _I)
_BETWEEN = re.compile(
    r"(?:(?<![A-Za-z])(?:between|entre|zwischen|range\s+of)|在|介于|介於)\s?$", _I
)
_AND_JOIN = re.compile(r"\s(?:and|y|und)\s|\s?(?:与|與|和)\s?", _I)
# "de 64.000 a 72.000 millones", "desde 64.000 hasta 72.000 millones" are ranges, unless a
# change verb says they go from old to new.
_DE_A_JOIN = re.compile(r"\s(?:a|hasta)\s")
# "增加110亿元至274.8亿元" is an increase and its result, not a range.
_CHANGE_RIGHT_BEFORE = re.compile(
    r"(?:增加|增长|增長|减少|減少|下降|提高|提升|上调|上調|下调|下調|降低|增|减|減|降)了?\s?(?:约|約|近)?\s?$"
)
_FROM_BEFORE = re.compile(
    r"\bfrom\s+(?:(?:about|approximately|around|roughly|some|nearly)\s+)?(?:US|USD|RMB|KRW)?\s?$",
    _I,
)
_TO = re.compile(r"\s?to\s?", _I)
# "..., from 76 billion to 83 billion yuan previously": the old range, stated after the new.
_PRIOR_NEXT = re.compile(r"[^,;.\d]{0,12}?\b(?:previously|before|earlier|prior)\b", _I)
_COMMA_FROM = re.compile(
    r"(?:,|\b(?:billion|million|trillion|bn|mn|yuan|won|yen|dollars|euros)\b)\s*(?:up|down)?\s*from"
    r"\s+\D{0,16}$",
    _I,
)
_TO_NEXT = re.compile(r"\s(?:to|from)\s+(?:between\s+|a\s+range\s+of\s+)?\D{0,12}\d", _I)
_RANGING = re.compile(r"\brang(?:e|es|ed|ing)\b", _I)
_RANGE_WORD = re.compile(r"\b(?:rango|entre|horquilla)\b", _I)
_DE_BEFORE = re.compile(r"(?<![A-Za-zÀ-ɏ])(?:de|desde)\s$")
_CHANGE_BEFORE = re.compile(
    r"\b(?:elev|aument|increment|sub|recort|reduj|redu[cz]|rebaj|baj|revis)\w*\b", _I
)
# "crecieron hasta 315.700 millones": where a figure went, not a cap.
_MOVED_HASTA = re.compile(
    r"\b(?:crec|creci|cay|ca[ií]|descend|disminu|dispar|ampli|amplí|escal|retroced|ascend|avanz"
    r"|salt)\w*\s+(?:[^\s\d]+\s+){0,3}?hasta\s$",
    _I,
)
# "640억에서 720억 달러 사이", "1,000億から1,200億ドルの設備投資": a range, unless the second figure
# is where a change went ("600억에서 700억 달러로", "600億から700億ドルに").
_AUF_JOIN = re.compile(r"\sauf\s")
_VON_BEFORE = re.compile(r"(?<![A-Za-zÀ-ɏ])von\s$")
_FROM_JOIN = re.compile(r"\s?(?:에서|から)\s?")
_RANGE_NEXT = re.compile(r"\s?(?:~|-|–|—|ー)\s?\d")
# "600億から700億ドル程度" is a range; "…から450億ドル程度に上方修正" a change.
_RANGE_CLOSE = re.compile(r"\s?(?:사이|の範囲|の間|程度(?!\s?[にへ]))")
# "600억에서 700억 달러 수준으로", "840億元から880億元前後に": a change, not a range.
_CHANGE_CLOSE = re.compile(r"\s?(?:수준|안팎|가량|정도|내외|前後|程度)?\s?(?:으로|로|に|へ)")

# A figure restated in another currency: "1200亿元（约165亿美元）", "$64 billion (about 88
# trillion won)". The restatement is dropped; the figure keeps the currency stated first.
_RESTATE_GAP = re.compile(
    r"\s?(?:[(（]|,|，|、|;)?\s?(?:or\s+)?(?:approximately|approx\.?|about|around|roughly|some|nearly"
    r"|equivalent\s+to|约合|約合|折合|合计约|约|約|合|相当于|相當於|대략|약|약\s|unos|unas|alrededor\s+de"
    r"|aproximadamente|cerca\s+de|rund|etwa|ca\.|circa|umgerechnet|knapp)?\s?$",
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
    r"\b(?:over|more than|at least|above|exceeding|exceed|exceeds|in excess of|north of|"
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
# "20조 원대 (초반)" is "in the (low) twenty trillions"; "3兆円台" the same in Japanese.
_VAGUE_AFTER = re.compile(
    r"\s?(?:대(?=$|[\s,.，。、)）\]]|초반|중반|후반|로|의|에|를|가|인|이|였|까지|다|라)|台(?![湾灣]))"
)
# "hasta 45.000 millones" is a cap, but "elevó su previsión hasta 45.000 millones" is where a
# change went.
_HASTA = re.compile(r"(?<![A-Za-zÀ-ɏ])hasta\s$", _I)
_DE_HASTA = re.compile(
    r"(?<![A-Za-zÀ-ɏ])(?:de|desde)\s(?:(?:los|las|unos|unas)\s)?(?:US\s?\$\s?)?[\d.,]{1,20}"
    r"(?:\s(?:mil\s+millones|millones|billones|millardos))?(?:\s(?:de\s)?(?:dólares|euros|yuanes"
    r"|wones|yenes))?\shasta\s$",
    _I,
)
# "in the mid-$60 billion range", "the high-60 billions": a region, not a figure.
_VAGUE_BEFORE = re.compile(r"(?:\b(?:low|mid|high|upper)-|\bthe\s+(?:low|mid|high|upper)\s)$", _I)
_MIN_AFTER = re.compile(
    r"^\s?(?:or (?:more|higher|above)|plus\b|\+|o\s+más\b|oder\s+mehr\b|이상|以上|超(?![过過大])"
    r"|を超え|[을를]?\s?넘)",
    _I,
)
_MAX_AFTER = re.compile(
    r"^\s?(?:or (?:less|lower|below)\b|o\s+menos\b|oder\s+weniger\b|이하|미만|以下|以内|未満)", _I
)


@dataclass(frozen=True)
class Amount:
    """A money figure in text[start:end]; low/high in full currency units."""

    start: int
    end: int
    low: int | None
    high: int | None
    currency: str | None
    bound: Bound
    scaled: bool  # carried a scale word (billion, bn, 억, 亿, millones, ...) not only digits


def _grouped(raw: str, group: str, decimal: str) -> float | None:
    """The value of raw written with `group` between thousands and `decimal` before the
    fraction, or None when it does not follow that convention."""
    head, sep, fraction = raw.partition(decimal)
    if group in fraction or decimal in fraction or (sep and not fraction):
        return None
    if group in head:
        first, *groups = head.split(group)
        if not first or len(first) > 3 or any(len(g) != 3 for g in groups):
            return None
        head = first + "".join(groups)
    try:
        return float(f"{head}.{fraction}" if fraction else head)
    except ValueError:
        return None


# "US$ 45,000 millones", "45,500 Millionen": a comma before exactly three digits is a thousands
# separator even before a continental word. Nobody writes millions to three decimals.
_THOUSANDS_COMMA = re.compile(r"\d{1,3}(?:,\d{3})+")


def _continental_value(raw: str, factor: int) -> float | None:
    if factor <= 10**6 and _THOUSANDS_COMMA.fullmatch(raw):
        return parse_number(raw)
    return parse_number(raw, continental=True)


def parse_number(raw: str, continental: bool = False) -> float | None:
    """A digit string in the English convention ("1,234.5") or, preferred when `continental`
    is set, the continental one ("1.234,5", "70.000")."""
    conventions = [(".", ","), (",", ".")] if continental else [(",", "."), (".", ",")]
    for group, decimal in conventions:
        value = _grouped(raw, group, decimal)
        if value is not None:
            return value
    return None


@dataclass
class _Part:
    start: int  # including a currency prefix
    end: int  # including scale and currency suffix
    value: float
    scale: int | None
    currency: str | None
    plus: bool
    currency_before: bool = False
    east_asian: bool = False  # scaled by 억/亿/億...: a currency must be stated
    continental: bool = False  # scaled by a Spanish or German word: "70.000 millones"
    raw: str = ""
    vague: bool = False  # "20조 원대", "3兆円台": somewhere in the twenties, no point figure


@dataclass
class _Scale:
    factor: int
    end: int
    continental: bool = False
    east_asian: bool = False
    plus: bool = False
    extra: float = 0.0  # a further group: the 3천억 of 2조 3천억


def _unit_product(chars: str) -> int:
    product = 1
    for ch in chars:
        product *= _CJK_UNITS[ch]
    return product


def _read_cjk_scale(t: str, end: int) -> _Scale | None:
    m = _CJK_SCALE.match(t, end, min(len(t), end + 6))
    if m is None:
        return None
    factor = _unit_product(m.group(2))
    scale = _Scale(factor, m.end(), east_asian=True, plus=bool(m.group(1)))
    if factor < 10**4:
        scale = _below_myriad(t, scale) or scale
    last = scale.factor if scale.factor >= 10**4 else factor
    for _ in range(3):  # 2조 3천억 5천만: later groups of smaller units add up
        nxt = _CJK_NEXT.match(t, scale.end, min(len(t), scale.end + 24))
        if nxt is None:
            break
        unit = _unit_product(nxt.group(2))
        value = parse_number(nxt.group(1))
        if value is None:
            break
        group = _below_myriad(t, _Scale(unit, nxt.end())) if unit < 10**4 <= last else None
        if group is not None:  # "4조 1천200억": the next group is written with 천 too
            total, large = value * group.factor + group.extra, group.factor // unit
            if large >= last or total >= last:
                break
            scale.extra += total
            scale.end, last = group.end, large
            continue
        if unit >= last or value * unit >= last:
            break
        scale.extra += value * unit
        scale.end = nxt.end()
        last = unit
    return scale


def _below_myriad(t: str, scale: _Scale) -> _Scale | None:
    """ "1천550억", "1千5百億", "1천2백50억": the figure before a large unit is itself written
    with small units (천/千, 백/百, 십/十); the scale becomes thousand x 억 and the rest of the
    group an extra. None when no large unit follows."""
    small, last, pos = 0.0, scale.factor, scale.end
    for _ in range(3):
        nxt = _CJK_NEXT.match(t, pos, min(len(t), pos + 16))
        if nxt is None:
            return None
        value = parse_number(nxt.group(1))
        units = [_CJK_UNITS[ch] for ch in nxt.group(2)]
        below = 1
        for unit in units:
            if unit >= 10**4:
                break
            below *= unit
        large = _unit_product(nxt.group(2)) // below
        if value is None or value * below >= last or (below > 1 and below >= last):
            return None
        if large == 1:  # "5百" of 1千5百億: more of the same group
            small += value * below
            last, pos = below, nxt.end()
            continue
        extra = (small + value * below) * large
        factor = scale.factor * large
        return _Scale(factor, nxt.end(), east_asian=True, plus=scale.plus, extra=extra)
    return None


def _read_scale(t: str, end: int) -> _Scale | None:
    cjk = _read_cjk_scale(t, end)
    if cjk is not None:
        return cjk
    eu = _EU_SCALE.match(t, end, min(len(t), end + 16))
    if eu is not None:
        word = re.sub(r"\s+", " ", (eu.group(1) or eu.group(2) or eu.group(3))).lower()
        return _Scale(_EU_SCALES[word], eu.end(), continental=True)
    en = _EN_SCALE.match(t, end, min(len(t), end + 16))
    if en is not None:
        word = (en.group(1) or en.group(2) or en.group(3)).lower()
        plus = "plus" in en.group(0).lower() or "+" in en.group(0)
        return _Scale(_EN_SCALES[word], en.end(), plus=plus)
    return None


def _currency_after(t: str, end: int) -> tuple[str | None, int]:
    am = _CURRENCY_AFTER.match(t, end, min(len(t), end + 40))
    if am is None:
        return None, end
    word = next(g for g in am.groups() if g)
    code = _CURRENCY_CODES.get(word) or _CURRENCY_CODES.get(word.lower())
    taiwan = word == "元" and _TAIWAN_DOLLAR.search(t, max(0, end - 24), end)
    if taiwan or (code is None and "taiw" in word.lower()):
        code = "TWD"
    return code, am.end()


def _read_part(t: str, m: re.Match[str]) -> _Part | None:
    start, end = m.start(), m.end()
    currency = None
    before = _CURRENCY_BEFORE.search(t, max(0, start - 8), start)
    if before:
        currency = _CURRENCY_CODES.get(before.group(1).strip().lower().replace(" ", ""))
        start = before.start()
    scale = _read_scale(t, end)
    if scale is not None and scale.continental:
        value = _continental_value(m.group(0), scale.factor)
    else:
        value = parse_number(m.group(0))
    if value is None:
        return None
    if scale is not None:
        end = scale.end
        value += scale.extra / scale.factor
    after, after_end = _currency_after(t, end)
    part = _Part(start, end, value, scale.factor if scale else None, currency, False)
    part.raw = m.group(0)
    part.continental = scale is not None and scale.continental
    part.currency_before = currency is not None
    part.east_asian = scale is not None and scale.east_asian
    part.plus = scale is not None and scale.plus
    if after is not None and (scale or currency is None or currency == "JPY"):
        if currency is None or (currency == "JPY" and after != "JPY"):  # ¥1200亿元 is yuan
            part.currency = after
        part.end = after_end
    if part.currency is not None and part.east_asian:
        part.vague = bool(_VAGUE_AFTER.match(t, part.end, min(len(t), part.end + 4)))
    elif scale is not None and not scale.continental:
        part.vague = bool(_VAGUE_BEFORE.search(t, max(0, part.start - 10), part.start))
    return part


def find_amounts(text: str, start: int = 0, end: int | None = None) -> list[Amount]:
    """Money amounts in text[start:end], in order. A bare number is money only with a scale
    word ("65 billion", "1200亿元") or a currency sign and at least a million
    ("$64,000,000,000"); an East Asian scale needs a currency ("4,200억 달러")."""
    end = len(text) if end is None else end
    t = text[start:end].translate(_FOLD)
    parts: list[_Part] = []
    for m in _TOKEN.finditer(t):
        if parts and m.start() < parts[-1].end:
            continue  # inside the previous figure: the 3 of 2조 3천억
        part = _read_part(t, m)
        if part is not None:
            parts.append(part)
    amounts: list[Amount] = []
    i = 0
    while i < len(parts):
        first = parts[i]
        second = parts[i + 1] if i + 1 < len(parts) else None
        if second is not None and _borrows_scale(t, first, second):
            _borrow(first, second)
        elif second is not None and i + 2 < len(parts):
            _borrow_over_range(t, first, second, parts[i + 2])
        if second is not None and _is_range(t, first, second):
            amount = _range_amount(t, first, second)
            i += 2
        else:
            amount = _single_amount(t, first)
            i += 1
        if amount is not None and _plausible(amount):
            amounts.append(amount)
    return [_shift(a, start) for a in _drop_restatements(t, amounts)]


# No company states a figure of ten quadrillion units of any currency (Korea's whole economy is
# about 2.5 quadrillion won); a longer digit string is noise and would not fit a BIGINT.
_MAX_AMOUNT = 10**16


def _plausible(a: Amount) -> bool:
    return all(v is None or 0 < v < _MAX_AMOUNT for v in (a.low, a.high))


def _shift(a: Amount, offset: int) -> Amount:
    if not offset:
        return a
    return Amount(a.start + offset, a.end + offset, a.low, a.high, a.currency, a.bound, a.scaled)


def _drop_restatements(t: str, amounts: list[Amount]) -> list[Amount]:
    kept: list[Amount] = []
    for a in amounts:
        prev = kept[-1] if kept else None
        if (
            prev is not None
            and prev.currency != a.currency
            and a.start - prev.end <= 24
            and _RESTATE_GAP.fullmatch(t, prev.end, a.start)
            and _restates(t[prev.end : a.start])
        ):
            continue
        kept.append(a)
    return kept


def _restates(gap: str) -> bool:
    """A bracket or a word of equivalence, not a mere comma, joins a restated figure."""
    return bool(gap.strip(" ,，、;")) or not gap


def _is_range(t: str, first: _Part, second: _Part) -> bool:
    gap_start, gap_end = first.end, second.start
    if gap_end - gap_start > 12:
        return False
    if _RANGE_JOIN.fullmatch(t, gap_start, gap_end):
        if _CHANGE_RIGHT_BEFORE.search(t, max(0, first.start - 6), first.start):
            return False
        if _from_to(t, first, second):
            return False  # "raised its outlook from $14 billion to $17 billion": old to new
    elif _AND_JOIN.fullmatch(t, gap_start, gap_end):
        if not _BETWEEN.search(t, max(0, first.start - 10), first.start):
            return False
    elif _DE_A_JOIN.fullmatch(t, gap_start, gap_end):
        if not _DE_BEFORE.search(t, max(0, first.start - 7), first.start):
            return False
        if _changes_before(t, first.start):
            return False  # "elevó su previsión de 60.000 a 65.000 millones": old to new
    elif _FROM_JOIN.fullmatch(t, gap_start, gap_end):
        if _RANGE_NEXT.match(t, second.end, min(len(t), second.end + 4)):
            return False  # "850억 달러에서 910억∼930억 달러로": the old figure, then a new range
        if not _RANGE_CLOSE.match(t, second.end, min(len(t), second.end + 6)) and (
            _CHANGE_CLOSE.match(t, second.end, min(len(t), second.end + 8))
        ):
            return False
    else:
        return False
    if second.scale is None and not (second.currency and second.value >= 1e6):
        return False
    if first.currency is None and second.currency is not None and second.currency_before:
        return False  # "in 2024 to $75 billion"
    # "in 2024 to 75 billion" is no range; "1900~1901억원" is.
    bare = first.scale is None and first.currency is None
    # An East Asian money scale (억, 亿, 億) after "1900~2101" makes both ends money.
    if bare and _looks_like_year(first) and not _looks_like_year(second) and not second.east_asian:
        return False
    low = _low_value(first, second) * (first.scale or second.scale or 1)
    high = second.value * (second.scale or 1)
    return 0 < low <= high <= low * 10


def _from_to(t: str, first: _Part, second: _Part) -> bool:
    """ "from X to Y" moves from one figure to another, unless it says a range ("ranging",
    or "from X to Y to Z", where X to Y was the old range)."""
    return bool(
        _TO.fullmatch(t, first.end, second.start)
        and _FROM_BEFORE.search(t, max(0, first.start - 24), first.start)
        and not _RANGING.search(t, max(0, first.start - 40), first.start)
        and not _TO_NEXT.match(t, second.end)
        and not _PRIOR_NEXT.match(t, second.end)
        and not _COMMA_FROM.search(t, max(0, first.start - 30), first.start)
    )


def _looks_like_year(part: _Part) -> bool:
    return len(part.raw) == 4 and part.raw.isdigit() and 1900 <= part.value <= 2100


def _borrows_scale(t: str, first: _Part, second: _Part) -> bool:
    """ "de 60.000 a 65.000 millones" after a change verb, "von 60 auf 65 Milliarden": the old
    figure shares the scale of the new one but is a figure of its own."""
    if second.scale is None or first.currency is not None:
        return False
    if first.scale is not None and not (first.east_asian and second.east_asian):
        return False
    if second.end - first.start > 40 or _looks_like_year(first):
        return False
    if first.east_asian and second.east_asian and _FROM_JOIN.fullmatch(t, first.end, second.start):
        return bool(_CHANGE_CLOSE.match(t, second.end, min(len(t), second.end + 8)))
    if _AUF_JOIN.fullmatch(t, first.end, second.start):
        return bool(_VON_BEFORE.search(t, max(0, first.start - 5), first.start))
    return bool(
        _DE_A_JOIN.fullmatch(t, first.end, second.start)
        and _DE_BEFORE.search(t, max(0, first.start - 7), first.start)
        and _changes_before(t, first.start)
    )


def _borrow_over_range(t: str, first: _Part, second: _Part, third: _Part) -> None:
    """ "850억에서 910억~930억 달러로": the old figure takes the currency of the new range."""
    if (
        first.east_asian
        and second.east_asian
        and first.currency is None
        and second.currency is None
        and third.currency is not None
        and _FROM_JOIN.fullmatch(t, first.end, second.start)
        and _RANGE_NEXT.match(t, second.end, min(len(t), second.end + 4))
    ):
        first.currency = third.currency


def _changes_before(t: str, start: int) -> bool:
    """A change verb, and no word that announces a range, before a "de X a Y"."""
    window = t[max(0, start - 120) : start]
    return bool(_CHANGE_BEFORE.search(window)) and not _RANGE_WORD.search(window[-20:])


def _borrow(first: _Part, second: _Part) -> None:
    if first.scale is not None:  # "8천억에서 1조 원으로": only the currency is shared
        first.currency = second.currency
        return
    if second.continental:
        first.value = _continental_value(first.raw, second.scale or 1) or first.value
    first.scale, first.continental, first.east_asian = (
        second.scale,
        second.continental,
        second.east_asian,
    )
    first.currency = second.currency


def _low_value(first: _Part, second: _Part) -> float:
    """The low end read in the convention of the scale it shares: "entre 64.000 y 72.000
    millones" groups thousands with dots."""
    if first.scale is None and second.continental:
        return _continental_value(first.raw, second.scale or 1) or first.value
    return first.value


def _range_amount(t: str, first: _Part, second: _Part) -> Amount | None:
    low = round(_low_value(first, second) * (first.scale or second.scale or 1))
    high = round(second.value * (second.scale or 1))
    currency = first.currency or second.currency
    if currency is None and (first.east_asian or second.east_asian):
        return None
    return Amount(first.start, second.end, low, high, currency or "USD", "range", True)


def _single_amount(t: str, part: _Part) -> Amount | None:
    if part.scale is None and not (part.currency and part.value >= 1e6):
        return None
    if part.east_asian and part.currency is None:
        return None  # 1억 명 is people, not money
    if part.vague:
        return None
    value = round(part.value * (part.scale or 1))
    bound = "min" if part.plus else qualifier(t, part.start, part.end)
    currency = part.currency or "USD"
    if bound == "min":
        return Amount(part.start, part.end, value, None, currency, bound, part.scale is not None)
    if bound == "max":
        return Amount(part.start, part.end, None, value, currency, bound, part.scale is not None)
    return Amount(part.start, part.end, value, value, currency, bound, part.scale is not None)


# "prevé que su gasto de capital supere los 30.000 millones": a floor; but "la cifra supera los
# 83.000 millones que destinó en 2024" compares with another figure, which stays exact.
_EXCEEDS = re.compile(
    r"(?<![A-Za-zÀ-ɏ])super(?:e|en|ar|ará|arán|aría|arían|ó|aron|a|an)\s+(?:(?:los|las)\s+)?$", _I
)
_COMPARED = re.compile(
    r"\s*(?:de\s+(?:dólares|euros|yuanes)\s+)?,?\s*(?:que|del|de\s+(?:19|20)\d\d)\b", _I
)


def qualifier(text: str, start: int, end: int) -> Bound:
    """How the words around a figure bound it: approximately, at least, at most, or exactly."""
    window = text[max(0, start - 60) : start]
    after = text[end : end + 12]
    if _MIN.search(window) or _MIN_AFTER.match(after):
        return "min"
    if _EXCEEDS.search(window) and not _COMPARED.match(text, end, end + 40):
        return "min"
    if _MAX.search(window) or _MAX_AFTER.match(after):
        return "max"
    if (
        _HASTA.search(window)
        and not _DE_HASTA.search(window)
        and not _CHANGE_BEFORE.search(text, max(0, start - 160), start)
        and not _MOVED_HASTA.search(window)
    ):
        return "max"
    if _APPROX.search(window):
        return "approx"
    return "exact"
