"""Remote text made safe to print: a feed's titles and quotes, a server's reason phrase or
redirect target, error texts that quote them. Wherever such text reaches a terminal (the
command line's tables and notes, the console notifier, logs) or a plain-text email, it goes
through `printable`; where rich renders it, through `for_rich`.

`printable` replaces control characters (C0 and C1, so no ANSI/OSC escape sequence: no colours,
no cursor moves, no terminal hyperlinks, no forged lines) and the invisible bidirectional
overrides that reorder what a reader sees. `for_rich` also escapes rich's markup, so that
`[link=...]` in a reason phrase is shown as written, never as a link or a markup error.
"""

from __future__ import annotations

import re

from rich.markup import escape

# C0 and C1 control characters, DEL, the Unicode line and paragraph separators, and the
# bidirectional embeddings, overrides and isolates.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CONTROL_BUT_NEWLINES = re.compile(
    r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with every control character replaced by a space; on one line (whitespace runs
    collapsed) unless `keep_newlines`, which keeps line feeds (a message body, a traceback)."""
    if keep_newlines:
        return _CONTROL_BUT_NEWLINES.sub(" ", text)
    return " ".join(_CONTROL.sub(" ", text).split())


def for_rich(text: str) -> str:
    """`printable(text)` with rich markup escaped: a string for a rich table cell or a
    `Console.print` that renders markup."""
    return escape(printable(text))
