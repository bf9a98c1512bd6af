"""Reducing documents to plain text: HTML detection and HTML-to-text with selectolax.

Data tables become markdown-style pipe rows, one line per `<tr>` ("| Microsoft | $80 billion |"),
so that one reader (`_tables.py`) handles tables written in markdown and in HTML alike. A
`colspan` cell is followed by empty cells so that columns stay aligned with the header;
columns empty in every row (spacers in SEC filings) are dropped. Layout tables (a cell
holding a paragraph, a nested table, a single column) are rendered as blocks of text."""

from __future__ import annotations

import html
import re

from selectolax.lexbor import LexborHTMLParser as HTMLParser

_HTML_HINT = re.compile(
    r"<(?:!doctype\s+html|html|body|p|div|br|span|table|td|tr|li|h[1-6]|font|a)\b[^>]{0,200}>",
    re.IGNORECASE,
)
_DROP_TAGS = frozenset(("script", "style", "noscript", "template", "head", "ix:header"))
_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "title",
        "ul",
    ]
)
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def looks_like_html(text: str) -> bool:
    """True when the start of the text carries HTML tags."""
    return bool(_HTML_HINT.search(text[:5000]))


def html_to_text(markup: str) -> str:
    """Visible text of an HTML document: scripts and styles dropped, entities decoded, block
    elements on lines of their own."""
    try:
        tree = HTMLParser(markup)
    except Exception:  # selectolax is forgiving; this guards against odd inputs
        return _squeeze(html.unescape(re.sub(r"<[^>]{0,2000}>", " ", markup)))
    root = tree.body or tree.root
    if root is None:
        return ""
    parts: list[str] = []
    _walk(root, parts)
    return _squeeze("".join(parts))


def _walk(root, parts: list[str]) -> None:
    # Iterative depth-first walk: 10-K filings nest deeply enough to trouble recursion.
    stack = [(root, False)]
    while stack:
        node, closing = stack.pop()
        tag = node.tag
        if closing:
            parts.append("\n")
            continue
        if tag == "-text":
            # Source line wrapping inside a text run is not a line break of the page.
            parts.append((node.text(deep=False) or "").replace("\n", " "))
            continue
        if tag == "-comment" or tag in _DROP_TAGS:
            continue
        if tag == "table":
            rows = _table_rows(node)
            if rows is not None:
                parts.append("\n" + "\n".join(rows) + "\n")
                continue
        block = tag in _BLOCK_TAGS
        if block:
            parts.append("\n")
            stack.append((node, True))
        children = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend((c, False) for c in reversed(children))


_MAX_CELL = 300  # a longer cell is prose laid out in a table, not data
_MAX_COLSPAN = 20
_CELL_SPACES = re.compile(r"\s+")


def _table_rows(table) -> list[str] | None:
    """Pipe rows of a data table, or None for a layout table."""
    if len(table.css("table")) > 1:  # css() matches the table itself too
        return None
    grid: list[list[str]] = []
    for tr in table.css("tr"):
        row: list[str] = []
        for cell in tr.iter():
            if cell.tag not in ("td", "th"):
                continue
            text = _cell_text(cell)
            if len(text) > _MAX_CELL:
                return None
            row.append(text)
            row.extend("" for _ in range(_colspan(cell) - 1))
        if any(row):
            grid.append(row)
    width = max((len(r) for r in grid), default=0)
    used = [c for c in range(width) if any(c < len(r) and r[c] for r in grid)]
    if len(used) < 2:
        return None
    return ["| " + " | ".join(r[c] if c < len(r) else "" for c in used) + " |" for r in grid]


def _cell_text(cell) -> str:
    text = html.unescape(cell.text(separator=" ") or "")
    return _CELL_SPACES.sub(" ", text).strip().replace("|", "/")


def _colspan(cell) -> int:
    try:
        return max(1, min(_MAX_COLSPAN, int(cell.attributes.get("colspan") or 1)))
    except (TypeError, ValueError):
        return 1


def _squeeze(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


# A markdown link, as news copied to text carries them: "[Alphabet](https://.../quotes/GOOGL/)".
_MD_LINK = re.compile(r"\[([^\[\]\n]{1,200})\]\((?:https?://|/)[^()\s]{0,500}\)")


def _blank_link(m: re.Match[str]) -> str:
    label = m.group(1)
    return " " + label + " " * (len(m.group(0)) - len(label) - 1)


def to_text(document: str) -> str:
    """Plain text of a document that may be HTML. In plain text, markdown links keep only
    their words (the URL would name companies and split lists), blanked to the same length
    so that offsets into the reduced text are offsets into the document."""
    if looks_like_html(document):
        return html_to_text(document)
    return _MD_LINK.sub(_blank_link, document) if "](" in document else document
