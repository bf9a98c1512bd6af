"""Spending words outside the metric vocabulary ("plans to spend", "invirtió", "ausgeben"),
what they must be near to count as capex, what they must not be for, and the words that make a
figure one site's or one country's part of a company's capex; with the tests for the sentences
worth reading for them."""

from __future__ import annotations

import re

from ._literals import trie
from ._patterns import extend

_I = re.IGNORECASE

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

# --- Chinese and German news wording -------------------------------------------------------
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


# "prevé invertir 100.000 millones", "desembolsó 34.900 millones", "plant Ausgaben von 60 bis
# 65 Milliarden Dollar": the spending words of Spanish and German.
SPEND_WORDS = extend(
    SPEND_WORDS,
    r"\b(?:invert(?:ir|irá|irán|iría|irían|iremos|imos|ido|ida|idos|idas)|invirti(?:ó|eron)"
    r"|desembols(?:ar|ó|aron|ará|arán|ado|ados)|gast(?:ar|ó|aron|ará|arán|ado|ados)"
    r"|destin(?:ar|ó|aron|ará|arán|ado|ados)|Ausgaben|ausgeben|ausgegeben)\b",
)
SPEND_CONTEXT = extend(
    SPEND_CONTEXT,
    r"\b(?:centros?\s+de\s+datos|infraestructuras?|capacidad\s+de\s+c(?:ómputo|omputación)"
    r"|servidores|chips|equipos|incluid[oa]s\s+los\s+arrendamientos|Rechenzent\w*"
    r"|KI-Rechenzent\w*|Infrastruktur\w*|Server|Investitionsboom\w*|Sachanlagen)\b",
)
SPEND_OTHER = extend(
    SPEND_OTHER,
    r"\b(?:publicidad|recompras?|dividendos?|adquisici(?:ón|ones)|compra\s+de\s+(?:la|una)"
    r"|participaci(?:ón|ones)|salarios|despidos|multas?|Werbung|Marketing|Rückk(?:auf|äufe)"
    r"|Dividenden?|Übernahmen?|Beteiligung(?:en)?|Gehälter|Löhne|Personal\w*|Strafen?)\b",
)
SPEND_TARGET = extend(
    SPEND_TARGET,
    r"(?<![A-Za-zÀ-ɏ])en\s+(?:el\s+estado\s+de\s+)?(?-i:[A-ZÁÉÍÓÚ][a-záéíóúñ]+)"
    r"|\b(?:un|una|su)\s+(?:nuevo\s+|nueva\s+|único\s+)?(?:centro\s+de\s+datos|campus|planta"
    r"|fábrica)\b|\bin\s+(?:ein(?:e[nm]?)?|einem)\s+",
)
SPEND_AFTER = re.compile(
    r"[^.;,\d]{0,60}?\b(?:ausgeben|stecken|aufwenden|ausgegeben|gesteckt|aufgewendet)\b", _I
)


def names_spending(lower: str) -> bool:
    """True when lower-cased text has a spending word's stem ("spend", "invirti", "ausgeb")."""
    return _SPEND_STEMS.search(lower) is not None


def names_build_out(lower: str) -> bool:
    """True when lower-cased text speaks of the build-out (data centres, servers, capacity)."""
    return _CONTEXT_STEMS.search(lower) is not None


_SPEND_STEMS = re.compile(trie((
    "spend", "spent", "invest", "shell out", "invert", "invirti", "desembols", "gast", "destin",
    "ausgab", "ausgeb", "stecken", "gesteckt", "aufwend", "aufgewend",
)))  # fmt: skip
_CONTEXT_STEMS = re.compile(trie((
    "data cent", "data-cent", "infrastruct", "build", "capacity", "servers", "chips", "gpus",
    "centro", "infraestructura", "capacidad", "servidores", "equipos", "arrendamientos",
    "rechenzent", "server", "sachanlagen", "investitionsboom", "infrastruktur",
)))  # fmt: skip
