"""Parsing a fetched RSS/Atom body into entries, treating the body as hostile.

`parse_feed` hands feedparser only bytes it has made safe, and runs it in a separate process
with a time and memory limit. Measured on feedparser 6.0.14, unguarded:

- an internal DTD subset is passed through: a "quadratic blowup" (one 100 KB entity referenced
  2,000 times) takes 9 s and 600 MB in feedparser's loose parser, which expands entity
  declarations feedparser itself judged "safe"; expat's amplification limit does not help
  because the loose parser runs after the strict one has given up;
- feedparser's XML-declaration regex backtracks catastrophically: a 13 KB first line of
  repeated `encoding="a"` takes 3 s, 50 KB takes minutes;
- the loose parser needs 2-5 s and up to 180 MB per MB of pathological markup (deep nesting,
  thousands of unclosed tags), so a 20 MB body can take minutes and gigabytes.

So, before feedparser sees anything: the body is decoded here (BOM, HTTP charset, XML
declaration, then UTF-8 / windows-1252 / latin-1 fallbacks) and re-encoded as UTF-8 under a
short XML declaration of our own; when it declares entities, the prolog is rebuilt with only
bounded ones (character references, and short plain-text entities whose references expand to at
most 1 MB in all). Bodies over 64 KB are then parsed in a fresh worker interpreter that limits
its address space (RLIMIT_AS, 1 GB), gets none of our environment but the locale (no secrets),
and is killed after a wall-clock timeout (20 s), so anything
not foreseen fails this one source, not the daemon. A poll parses its feeds so, in worker
processes started once for the poll (`watcher.sources.parsers`); elsewhere bodies over 64 KB get
a fresh worker each (~80 ms of interpreter start) and small ones are parsed in-process (at worst
~0.3 s and ~20 MB measured).
"""

from __future__ import annotations

import codecs
import hashlib
import pickle
import re
import resource
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import feedparser
import feedparser.api

from watcher.http_util import redact_urls
from watcher.sources.errors import FeedParseError
from watcher.workers import worker_env

if TYPE_CHECKING:
    from watcher.sources.parsers import FeedParsers

# feedparser asks xml.sax for the libxml2 driver first, on every parse: it is not installed,
# and each failed import searches the whole sys.path under the import lock, which the poll's
# threads then queue on (a third of a small feed's parsing time). Expat, the parser the
# defusing below was measured with, is named directly.
feedparser.api.PREFERRED_XML_PARSERS = ["xml.sax.expatreader"]

MAX_PARSE_BYTES = 20 * 1024 * 1024
INLINE_PARSE_BYTES = 64 * 1024  # smaller bodies parse in-process: at worst ~0.3 s, ~20 MB
PARSE_TIMEOUT = 20.0  # seconds of wall-clock time per parse in the worker
PARSE_MEMORY = 1024 * 1024 * 1024  # address-space limit of the worker process
MAX_ENTITY_VALUE = 256  # longest plain-text entity value kept
MAX_ENTITIES = 64  # most plain-text entities kept
MAX_ENTITY_EXPANSION = 1024 * 1024  # most characters all kept entity references may expand to


@dataclass
class FeedEntry:
    """One item of a feed, as stored as a document."""

    guid: str | None
    link: str | None
    title: str
    published: datetime | None  # UTC, timezone-aware
    text: str  # title + summary or content, HTML left as is
    content_hash: str  # sha256 hex of the normalized title + text + link

    @property
    def key(self) -> str:
        """The entry's identity within its source: guid, else link, else content hash."""
        return self.guid or self.link or self.content_hash


@dataclass
class ParsedFeed:
    title: str | None
    entries: list[FeedEntry]
    warning: str | None  # what was wrong with a feed that still parsed (feedparser's bozo)


def parse_feed(
    body: bytes,
    *,
    url: str,
    content_type: str | None = None,
    timeout: float = PARSE_TIMEOUT,
    isolate: bool = True,
    parsers: FeedParsers | None = None,
) -> ParsedFeed:
    """Parse an RSS or Atom body fetched from `url`; see the module docstring.

    Raises `FeedParseError` (and nothing else) when the body is not a feed, is hostile, or
    cannot be parsed within `timeout` seconds and `PARSE_MEMORY`. With `parsers` (a poll's
    worker processes, `watcher.sources.parsers`) every body is parsed by one of them, with
    their time limit. With `isolate=False` every body is parsed in this process, defused but
    without the time and memory limits.
    """
    if not body or not body.strip():
        raise FeedParseError("empty body: not a feed")
    if len(body) > MAX_PARSE_BYTES:
        raise FeedParseError(f"body too large to parse: {len(body)} > {MAX_PARSE_BYTES} bytes")
    if parsers is not None:
        return parsers.parse(body, url, content_type)
    if isolate and len(body) > INLINE_PARSE_BYTES:
        return _parse_in_worker(body, url, content_type, timeout)
    try:
        return _parse(body, url, content_type)
    except FeedParseError:
        raise
    except Exception as exc:  # feedparser on hostile input: one bad source, not a crash
        raise FeedParseError(f"feed parser failed: {_one_line(exc)}") from exc


def _parse(body: bytes, url: str, content_type: str | None) -> ParsedFeed:
    """The whole parse in the current process: decode, defuse, feedparser, entries."""
    text, notes = _decode(body, content_type)
    data, dtd_note = _defuse_prolog(text.encode("utf-8"))
    notes += [dtd_note] if dtd_note else []
    result = feedparser.parse(
        data,
        response_headers={
            "content-type": "application/xml; charset=utf-8",
            "content-location": url,
        },
    )
    entries = [_entry(raw) for raw in result.get("entries", [])]
    title = _clean(result.get("feed", {}).get("title")) or None
    bozo = _one_line(result.get("bozo_exception")) if result.get("bozo") else None
    if not entries and title is None and (bozo or not result.get("version")):
        raise FeedParseError(f"not a feed: {bozo or 'no RSS or Atom elements found'}")
    warning = "; ".join([*notes, *([bozo] if bozo else [])]) or None
    return ParsedFeed(title=title, entries=entries, warning=warning)


# --- entries -----------------------------------------------------------------------------


def _entry(raw: Any) -> FeedEntry:
    # A URL's credentials are never stored: neither the feed's own (should a link be made
    # absolute against a URL holding them) nor any a publisher wrote into an entry.
    title = redact_urls(_clean(raw.get("title")))
    link = redact_urls(_clean(raw.get("link"))) or None
    body = redact_urls(_entry_body(raw))
    text = f"{title}\n\n{body}".strip() if body else title
    return FeedEntry(
        guid=redact_urls(_clean(raw.get("id"))) or None,
        link=link,
        title=title,
        published=_published(raw),
        text=text,
        content_hash=content_hash(title, text, link),
    )


def _entry_body(raw: Any) -> str:
    """The entry's full content if given, else its summary; HTML is kept."""
    contents = [_clean(part.get("value")) for part in raw.get("content") or []]
    contents = list(dict.fromkeys(part for part in contents if part))
    if contents:
        return "\n\n".join(contents)
    return _clean(raw.get("summary"))


def _published(raw: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = raw.get(key)
        if value:
            try:
                year, month, day, hour, minute, second = value[:6]
                return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
            except (TypeError, ValueError, OverflowError):
                continue
    return None


EARLIEST_PUBLISHED = datetime(1990, 1, 1, tzinfo=UTC)
LATEST_AHEAD = timedelta(days=1)


def plausible_published(
    published: datetime | None, fetched: datetime
) -> tuple[datetime | None, str | None]:
    """The publication date to store for an entry fetched at `fetched`, and a note when it is
    not the feed's: a date before 1990 or more than a day after the fetch (a raise "dated" 1970
    or 9999 must not be ordered before or after the guidance it revises) is replaced by the
    time of fetching, and the note says what the feed gave."""
    if published is None or EARLIEST_PUBLISHED <= published <= fetched + LATEST_AHEAD:
        return published, None
    return fetched, (
        f"the feed dated it {published:%Y-%m-%d %H:%M} UTC, before 1990 or more than a day "
        "after it was fetched; the time of fetching is used"
    )


def content_hash(title: str, text: str, link: str | None) -> str:
    """sha256 hex of the normalized (NFC, whitespace collapsed) title, text and link."""
    parts = (_normalize(title), _normalize(text), _normalize(link or ""))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _normalize(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).split())


def _clean(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _one_line(exc: Any) -> str:
    lines = str(exc).strip().splitlines()
    message = lines[0] if lines else ""
    name = type(exc).__name__
    return (f"{name}: {message}" if message else name)[:300]


# --- decoding ----------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
_MARKERS = (  # "<?" or "<" in encodings that are not ASCII-compatible, without a BOM
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x4c\x6f\xa7\x94", "cp037"),
)
_XML_DECL = re.compile(r"^\s*<\?xml\b[^>]{0,500}?\?>")
_XML_ENCODING = re.compile(r"""encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE)


def _decode(body: bytes, content_type: str | None) -> tuple[str, list[str]]:
    """The body as text, without its XML declaration, and notes on what was off.

    Order of trust: a BOM or a UTF-16/32 encoded `<`; then the HTTP charset and the XML
    declaration, except that a body which is valid UTF-8 with non-ASCII bytes is read as UTF-8
    whatever a declared charset claims (servers often lie that way); then UTF-8, windows-1252
    and latin-1, which always works.
    """
    sniffed, offset = _sniff(body)
    declared = [name for name in (_http_charset(content_type), _xml_charset(body, sniffed)) if name]
    trust_sniffed = bool(offset) or (sniffed or "").startswith("utf-")
    candidates = [sniffed, *declared] if trust_sniffed else [*declared, sniffed]
    if sniffed is None and _is_utf8_with_non_ascii(body):
        candidates.insert(0, "utf-8")
    for encoding in [*candidates, "utf-8", "windows-1252", "latin-1"]:
        codec = _text_codec(encoding)
        if codec is None:
            continue
        try:
            text = body[offset:].decode(codec)
        except (UnicodeDecodeError, LookupError, ValueError):
            continue
        notes = _encoding_notes(codec, declared)
        return _XML_DECL.sub("", text.removeprefix("\ufeff"), count=1), notes
    raise FeedParseError("cannot decode the body in any encoding")  # latin-1 never fails


def _sniff(body: bytes) -> tuple[str | None, int]:
    """Encoding from a BOM (and its length) or from how `<` is encoded; (None, 0) if neither."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name, len(bom)
    for marker, name in _MARKERS:
        if body.startswith(marker):
            return name, 0
    return None, 0


def _http_charset(content_type: str | None) -> str | None:
    match = _CHARSET.search(content_type or "")
    return match.group(1) if match else None


def _xml_charset(body: bytes, sniffed: str | None) -> str | None:
    head = body[:1024].decode(sniffed or "latin-1", errors="replace").lstrip("\ufeff")
    declaration = _XML_DECL.match(head)
    if not declaration:
        return None
    match = _XML_ENCODING.search(declaration.group(0))
    return match.group(1) if match else None


def _text_codec(name: str | None) -> str | None:
    """The canonical codec name if `name` is a real text encoding (not rot13, base64, ...)."""
    if not name:
        return None
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


def _is_utf8_with_non_ascii(body: bytes) -> bool:
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _encoding_notes(used: str, declared: list[str]) -> list[str]:
    names = {_text_codec(name) or name.lower() for name in declared}
    if not declared or used in names:
        return []
    return [f"document declared as {', '.join(declared)} but decoded as {used}"]


# --- the prolog: DOCTYPE and entity declarations -----------------------------------------

_SPACE = re.compile(rb"\s*")
_NAME = re.compile(rb"[^\s\[>\"']+")
_ENTITY = re.compile(rb"""<!ENTITY\s+([A-Za-z_:][\w.:-]*)\s+(["'])([^"'%]*)\2\s*>""")
_CHAR_REF = re.compile(rb"&#(?:x[0-9A-Fa-f]{1,6}|[0-9]{1,7});")
_ROOT = re.compile(rb"<[^\s!?/<>]")
_QUOTE_OR_END = re.compile(rb"[\"'>]")
_DECLARATION = b"<?xml version='1.0' encoding='utf-8'?>\n"


class _PrologError(ValueError):
    """The prolog could not be read as XML markup."""


def _defuse_prolog(data: bytes) -> tuple[bytes, str | None]:
    """Prefix our XML declaration and, if there are entity declarations, rebuild the prolog
    with only the bounded ones; returns the data and a note when something was dropped."""
    if b"<!ENTITY" not in data:
        return _DECLARATION + data, None
    try:
        root, doctype = _scan_prolog(data)
    except _PrologError:
        # Not well-formed XML anyway: make sure no parser can see a declaration at all.
        neutral = data.replace(b"<!ENTITY", b"&lt;!ENTITY")
        return _DECLARATION + neutral, "malformed DOCTYPE with entity declarations ignored"
    if doctype is None:  # no DOCTYPE: drop comments and PIs, which feedparser's regexes read
        return _DECLARATION + data[root:], None
    name, external, subset = doctype
    kept, dropped = _bounded_entities(subset, data[root:])
    lines = b"".join(b'<!ENTITY %s "%s">\n' % pair for pair in kept)
    subset_text = b" [\n" + lines + b"]" if lines else b""
    prolog = _DECLARATION + b"<!DOCTYPE " + name + external + subset_text + b">\n"
    note = f"dropped {dropped} unbounded entity declaration(s) from the DOCTYPE"
    return prolog + data[root:], note if dropped else None


def _bounded_entities(subset: bytes, document: bytes) -> tuple[list[tuple[bytes, bytes]], int]:
    """Entities from the internal subset that cannot amplify: character references, and
    short plain-text values whose references in `document` expand to at most 1 MB in all."""
    declared = _ENTITY.findall(subset)
    char_refs = [(name, value) for name, _, value in declared if _CHAR_REF.fullmatch(value)]
    texts = [
        (name, value)
        for name, _, value in declared
        if not _CHAR_REF.fullmatch(value)
        and len(value) <= MAX_ENTITY_VALUE
        and b"&" not in value
        and b"<" not in value
    ][:MAX_ENTITIES]
    expansion = sum(document.count(b"&" + name + b";") * len(value) for name, value in texts)
    if expansion > MAX_ENTITY_EXPANSION:
        texts = []
    kept = char_refs + texts
    return kept, subset.count(b"<!ENTITY") - len(kept)


def _past_space(data: bytes, pos: int) -> int:
    """Where the whitespace at `pos` ends (`_SPACE` matches the empty string, so always)."""
    space = _SPACE.match(data, pos)
    return space.end() if space else pos


def _scan_prolog(data: bytes) -> tuple[int, tuple[bytes, bytes, bytes] | None]:
    """Where the root element starts, and the DOCTYPE as (name, external id, internal subset).

    Reads XML declaration, comments, processing instructions and one DOCTYPE; raises
    `_PrologError` on anything else before the root element.
    """
    pos, doctype = 0, None
    while True:
        pos = _past_space(data, pos)
        if data.startswith(b"<?", pos):
            pos = _skip_past(data, pos, b"?>")
        elif data.startswith(b"<!--", pos):
            pos = _skip_past(data, pos + 4, b"-->")
        elif data.startswith(b"<!DOCTYPE", pos) and doctype is None:
            pos, doctype = _scan_doctype(data, pos + len(b"<!DOCTYPE"))
        elif _ROOT.match(data, pos):
            return pos, doctype
        else:
            raise _PrologError(f"unexpected content at byte {pos}")


def _scan_doctype(data: bytes, pos: int) -> tuple[int, tuple[bytes, bytes, bytes]]:
    pos = _past_space(data, pos)
    name_match = _NAME.match(data, pos)
    if not name_match:
        raise _PrologError("DOCTYPE without a name")
    name, pos = name_match.group(0), name_match.end()
    external = b""
    while True:
        pos = _past_space(data, pos)
        if data.startswith((b'"', b"'"), pos):
            end = _skip_past(data, pos + 1, data[pos : pos + 1])
            if b">" not in data[pos:end]:  # feedparser's DOCTYPE regex stops at any ">"
                external += b" " + data[pos:end]
            pos = end
        elif data.startswith((b"PUBLIC", b"SYSTEM"), pos):
            external += b" " + data[pos : pos + 6]
            pos += 6
        elif data.startswith(b"[", pos):
            start = pos + 1
            pos = _scan_subset(data, start)
            subset = data[start : pos - 1]
            pos = _past_space(data, pos)
            if not data.startswith(b">", pos):
                raise _PrologError("DOCTYPE not closed after its internal subset")
            return pos + 1, (name, external, subset)
        elif data.startswith(b">", pos):
            return pos + 1, (name, external, b"")
        else:
            raise _PrologError("unexpected content in DOCTYPE")


def _scan_subset(data: bytes, pos: int) -> int:
    """Skip an internal DTD subset; returns the position just after its closing `]`."""
    while True:
        pos = _past_space(data, pos)
        if data.startswith(b"]", pos):
            return pos + 1
        if data.startswith(b"<!--", pos):
            pos = _skip_past(data, pos + 4, b"-->")
        elif data.startswith(b"<?", pos):
            pos = _skip_past(data, pos + 2, b"?>")
        elif data.startswith(b"<!", pos):
            pos = _skip_declaration(data, pos + 2)
        elif data.startswith(b"%", pos):
            pos = _skip_past(data, pos + 1, b";")
        else:
            raise _PrologError("unexpected content in the internal DTD subset")


def _skip_declaration(data: bytes, pos: int) -> int:
    """Skip `<!...>` whose `>` may sit inside quoted strings."""
    while True:
        match = _QUOTE_OR_END.search(data, pos)
        if not match:
            raise _PrologError("unterminated declaration in the DTD")
        if match.group(0) == b">":
            return match.end()
        pos = _skip_past(data, match.end(), match.group(0))


def _skip_past(data: bytes, pos: int, end: bytes) -> int:
    found = data.find(end, pos)
    if found < 0:
        raise _PrologError(f"unterminated construct, missing {end.decode()!r}")
    return found + len(end)


# --- the worker process ------------------------------------------------------------------

_WORKER_CODE = "from watcher.sources.feeds import _worker_main; _worker_main()"


def _parse_in_worker(body: bytes, url: str, content_type: str | None, timeout: float) -> ParsedFeed:
    """Parse in a fresh interpreter (no state shared with the daemon's threads) that limits
    its own memory; killed when it takes longer than `timeout`."""
    if not sys.executable:  # embedded interpreter: no worker possible, parse here
        return _parse(body, url, content_type)
    request = pickle.dumps((body, url, content_type, PARSE_MEMORY))
    try:
        done = subprocess.run(
            [sys.executable, "-c", _WORKER_CODE],
            input=request,
            capture_output=True,
            timeout=timeout,
            env=worker_env(),  # no secrets: only the locale and the path to this package
        )
    except subprocess.TimeoutExpired:
        raise FeedParseError(
            f"parsing took longer than {timeout:g} s (too large or hostile)"
        ) from None
    try:
        status, payload = pickle.loads(done.stdout)
    except Exception:  # no answer: the worker died, e.g. killed for its memory
        detail = _one_line(done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:])
        raise FeedParseError(
            f"the parser process failed (exit code {done.returncode}): {detail}"
        ) from None
    if status == "ok":
        return payload
    raise FeedParseError(payload)


def _worker_main() -> None:
    """Entry point of the worker process: request pickled on stdin, outcome pickled on stdout.

    Only our own parent talks to it, so pickle is safe here.
    """
    body, url, content_type, memory = pickle.loads(sys.stdin.buffer.read())
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    sys.stdout.buffer.write(pickle.dumps(parse_outcome(body, url, content_type, memory=memory)))


def parse_outcome(
    body: bytes, url: str, content_type: str | None, *, memory: int
) -> tuple[str, ParsedFeed | str]:
    """In a worker process limited to `memory` bytes: ("ok", the parsed feed), or ("error" or
    "memory", why it could not be parsed): "memory" when the limit was reached, after which a
    worker kept for other bodies is better started afresh."""
    try:
        return "ok", _parse(body, url, content_type)
    except FeedParseError as exc:
        return "error", str(exc)
    except MemoryError:
        return "memory", f"the feed needs more than {memory // 2**20} MB to parse"
    except Exception as exc:  # feedparser on hostile input
        return "error", f"feed parser failed: {_one_line(exc)}"
