"""One money figure as written, before figures are joined into ranges: its digits in the
English or the continental convention ("1,234.5", "1.234,5", "70.000"), its scale word in each
script ("billion", "bn", "millones", "Milliarden", "억", "亿", "億", "2조 3천억"), and its currency
sign, code or word before or after it. Full-width characters are folded to their ASCII twins
one for one (FOLD), so offsets are kept."""

from __future__ import annotations

import re
from dataclasses import dataclass

_I = re.IGNORECASE

# Full-width digits, letters and signs, and exotic spaces, folded one character for one.
FOLD = str.maketrans(
    {chr(0xFF01 + i): chr(0x21 + i) for i in range(94) if chr(0x21 + i) != ","}
    | {"\u3000": " ", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u301c": "~", "\u223c": "~"}
    | {"\uffe5": "¥", "\uffe6": "₩", "\u2212": "-"}
    # Dashes of every width, and the box-drawing line Japanese typesetting uses for one.
    | {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2015": "-", "\u2500": "-", "\u2501": "-"}
)

# A number starts after no letter or digit, except a currency code written against it
# ("RMB150-168 billion", "USD40 billion").
TOKEN = re.compile(
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
# "20조 원대 (초반)" is "in the (low) twenty trillions"; "3兆円台" the same in Japanese.
_VAGUE_AFTER = re.compile(
    r"\s?(?:대(?=$|[\s,.，。、)）\]]|초반|중반|후반|로|의|에|를|가|인|이|였|까지|다|라)|台(?![湾灣]))"
)
# "in the mid-$60 billion range", "the high-60 billions": a region, not a figure.
_VAGUE_BEFORE = re.compile(r"(?:\b(?:low|mid|high|upper)-|\bthe\s+(?:low|mid|high|upper)\s)$", _I)


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


def continental_value(raw: str, factor: int) -> float | None:
    """The value of raw before a Spanish or German scale word worth `factor`."""
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
class Part:
    """One written figure, its value still in units of its scale."""

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


def read_part(t: str, m: re.Match[str]) -> Part | None:
    """The figure whose digits TOKEN matched in the folded text t, or None."""
    start, end = m.start(), m.end()
    currency = None
    before = _CURRENCY_BEFORE.search(t, max(0, start - 8), start)
    if before:
        currency = _CURRENCY_CODES.get(before.group(1).strip().lower().replace(" ", ""))
        start = before.start()
    scale = _read_scale(t, end)
    if scale is not None and scale.continental:
        value = continental_value(m.group(0), scale.factor)
    else:
        value = parse_number(m.group(0))
    if value is None:
        return None
    if scale is not None:
        end = scale.end
        value += scale.extra / scale.factor
    after, after_end = _currency_after(t, end)
    part = Part(start, end, value, scale.factor if scale else None, currency, False)
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
