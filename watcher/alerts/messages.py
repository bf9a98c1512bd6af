"""What an alert says: Slack Block Kit and plain text, built from an event and its sources.

The words are the event's own: its `headline` and `details` as its rule type wrote them when
it was raised (a guidance change shows old and new guidance, a backlog jump the quarter's
value and the one before, a source-health alert the source and its last error), so nothing
here knows rule types.

Text that came from feeds (quotes, titles, URLs) is escaped for Slack mrkdwn so that a feed
cannot mention `<!channel>`, ping users or disguise a link.
Every mrkdwn object is `verbatim`, so Slack does not turn a feed's
#channel or @name into a live link or mention either.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from watcher.formatting import format_range
from watcher.store.events import Detail, event_details
from watcher.store.models import Event, EventSource
from watcher.terminal import printable

_ARROWS = {"raised": "⬆️", "lowered": "⬇️"}
MAX_QUOTE = 600
MAX_SOURCES = 10


def escape_mrkdwn(text: str) -> str:
    """Escape the three characters Slack treats as control characters in mrkdwn."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def inert_plain(text: str) -> str:
    """Text for a `plain_text` object: Slack does not parse it, but angle brackets are
    replaced too so that no copy of the message (logs, fallbacks) carries a live sequence."""
    return text.replace("<", "‹").replace(">", "›")


def confirmation(event: Event) -> str:
    """Whether the company's own release or filing states the figure, or only the news."""
    return "confirmed by the company" if event.confirmed else "unconfirmed (news only)"


def fallback_text(event: Event) -> str:
    """The notification text of a Slack message (shown where blocks are not), as mrkdwn."""
    status = "" if event.confirmed else " (unconfirmed)"
    return escape_mrkdwn(f"[{event.severity.upper()}] {headline(event)}{status}")


def update_text(event: Event, note: str) -> str:
    """An update as one plain line (console, Slack fallback before escaping), without control
    characters."""
    return printable(f"[update] {headline(event)}: {note}")


def update_blocks(event: Event, note: str) -> list[dict]:
    """An update for a thread (or a follow-up message): the note, and what it is about."""
    return [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "verbatim": True, "text": escape_mrkdwn(_shorten(note))},
        },
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "verbatim": True,
                    "text": escape_mrkdwn(f"Update on: {headline(event)} ({confirmation(event)})"),
                }
            ],
        },
    ]


def headline(event: Event) -> str:
    """The event in one line, as its rule wrote it."""
    return " ".join((event.headline or event.summary).split())


def fields_of(event: Event) -> list[Detail]:
    """The labelled facts an alert shows: the company, the rule's details, the severity and,
    for an event about a company's figures, whether the company's own words confirm it."""
    fields: list[Detail] = []
    if event.company:
        fields.append(("Company", event.company))
    fields.extend(event_details(event))
    fields.append(("Severity", event.severity))
    if event.company:
        fields.append(("Status", confirmation(event)))
    return fields


def change_text(event: Event) -> str:
    old = format_range(event.prior_low, event.prior_high, event.currency)
    new = format_range(event.low, event.high, event.currency)
    has_old = event.prior_low is not None or event.prior_high is not None
    text = f"{old} → {new}" if has_old else new
    if event.change_pct is not None:
        text += f" ({event.change_pct:+.1f}%)"
    return text


def plain_text(event: Event, sources: list[EventSource]) -> str:
    """The message as plain text (console, Apprise, Slack notification fallback)."""
    lines = [printable(f"[{event.severity.upper()}] {headline(event)}")]
    for label, value in fields_of(event):
        if label != "Severity":
            lines.append(printable(f"  {label.lower()}: {value}"))
    if event.quote:
        lines.append(f'  quote: "{_shorten(printable(event.quote))}"')
    for source in sources[:MAX_SOURCES]:
        lines.append(
            printable(f"  source: {source.source_name}: {source.title or ''} {source.url or ''}")
        )
    return "\n".join(lines)


def slack_blocks(event: Event, sources: list[EventSource]) -> list[dict]:
    """Block Kit: headline, the figures side by side, the quote, links to the sources."""
    arrow = _ARROWS.get(event.change or "", "")
    # Slack shows at most 10 fields in a section.
    fields = fields_of(event)[:10]
    blocks: list[dict] = [
        {
            "type": "header",
            "text": {
                "type": "plain_text",
                "text": inert_plain(f"{arrow} {headline(event)}".strip())[:150],
            },
        },
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "verbatim": True, "text": f"*{label}*\n{escape_mrkdwn(value)}"}
                for label, value in fields
            ],
        },
    ]
    if event.quote:
        blocks.append(
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "verbatim": True,
                    "text": f">{escape_mrkdwn(_shorten(event.quote))}",
                },
            }
        )
    if sources:
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "verbatim": True, "text": _source_link(source)}
                    for source in sources[:MAX_SOURCES]
                ],
            }
        )
    return blocks


def _source_link(source: EventSource) -> str:
    """The source's title as text, then a link whose label is the URL's own host: a feed
    chooses the title, so the title never labels a link (it could pose as another site)."""
    label = escape_mrkdwn(_shorten(source.title or source.source_name, 80))
    name = escape_mrkdwn(source.source_name)
    url = source.url or ""
    host = _host(url)
    if host and not any(c in url for c in "<>| \t\n"):
        return f"{label} <{url}|{escape_mrkdwn(host)}> ({name})"
    return f"{label} ({name})"


def _host(url: str) -> str | None:
    if not url.startswith(("http://", "https://")):
        return None
    try:
        return urlsplit(url).hostname or None
    except ValueError:
        return None


def _shorten(text: str, limit: int = MAX_QUOTE) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
