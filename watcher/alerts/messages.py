"""What an alert says: Slack Block Kit and plain text, built from an event and its sources.

The words are the event's own: its `headline` and `details` as its rule type wrote them when
it was raised (a guidance change shows old and new guidance, a backlog jump the quarter's
value and the one before, a source-health alert the source and its last error), so nothing
here knows rule types.

Text that came from feeds (quotes, titles, URLs) is escaped for Slack mrkdwn so that a feed
cannot mention `<!channel>`, ping users or disguise a link.
Every mrkdwn object is `verbatim`, so Slack does not turn a feed's
#channel or @name into a live link or mention either.

Every text fits Block Kit's limits (Slack refuses the whole message otherwise): a text is cut
with an ellipsis, never inside an escape or a link, and a link too long to fit is left out,
never cut (a cut URL leads elsewhere). `slack_plain_text` is the message without blocks, for
a Slack that refuses them anyway.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from watcher.formatting import format_range
from watcher.store.drafts import Detail, event_details
from watcher.terminal import printable

if TYPE_CHECKING:
    from watcher.store.models import Event, EventSource

_ARROWS = {"raised": "⬆️", "lowered": "⬇️"}
MAX_QUOTE = 600
MAX_SOURCES = 10
# Block Kit's limits, in characters: a header's text, a section's text, one of a section's
# fields (at most 10), a context element (at most 10); the message's own `text` is kept
# within Slack's recommended 4,000.
MAX_HEADER = 150
MAX_TEXT = 3000
MAX_FIELDS, MAX_FIELD = 10, 2000
MAX_MESSAGE_TEXT = 4000


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
    return fit(escape_mrkdwn(f"[{event.severity.upper()}] {headline(event)}{status}"), MAX_TEXT)


def slack_plain_text(event: Event, sources: list[EventSource]) -> str:
    """The whole message as mrkdwn text without blocks (Slack refused the blocks)."""
    return fit(escape_mrkdwn(plain_text(event, sources)), MAX_MESSAGE_TEXT)


def update_text(event: Event, note: str) -> str:
    """An update as one plain line (console, Slack fallback before escaping), without control
    characters."""
    return printable(f"[update] {headline(event)}: {note}")


def slack_update_text(event: Event, note: str) -> str:
    """An update as the mrkdwn `text` of a Slack message (with its blocks, or alone)."""
    return fit(escape_mrkdwn(update_text(event, note)), MAX_TEXT)


def update_blocks(event: Event, note: str) -> list[dict]:
    """An update for a thread (or a follow-up message): the note, and what it is about."""
    return [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "verbatim": True,
                "text": fit(escape_mrkdwn(_shorten(note)), MAX_TEXT),
            },
        },
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "verbatim": True,
                    "text": fit(
                        escape_mrkdwn(f"Update on: {headline(event)} ({confirmation(event)})"),
                        MAX_TEXT,
                    ),
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
    fields = fields_of(event)[:MAX_FIELDS]
    blocks: list[dict] = [
        {
            "type": "header",
            "text": {
                "type": "plain_text",
                "text": fit(inert_plain(f"{arrow} {headline(event)}".strip()), MAX_HEADER),
            },
        },
        {
            "type": "section",
            "fields": [
                {
                    "type": "mrkdwn",
                    "verbatim": True,
                    "text": fit(f"*{label}*\n{escape_mrkdwn(value)}", MAX_FIELD),
                }
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
                    "text": fit(f">{escape_mrkdwn(_shorten(event.quote))}", MAX_TEXT),
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
    name = escape_mrkdwn(_shorten(source.source_name, 80))
    url = source.url or ""
    host = _host(url)
    if host and not any(c in url for c in "<>| \t\n"):
        linked = f"{label} <{url}|{escape_mrkdwn(host)}> ({name})"
        if len(linked) <= MAX_TEXT:
            return linked
        return fit(f"{label} ({escape_mrkdwn(host)}, link too long) ({name})", MAX_TEXT)
    return fit(f"{label} ({name})", MAX_TEXT)


def _host(url: str) -> str | None:
    if not url.startswith(("http://", "https://")):
        return None
    try:
        return urlsplit(url).hostname or None
    except ValueError:
        return None


def fit(text: str, limit: int) -> str:
    """`text` in at most `limit` characters: cut with "…", never inside an escape (`&amp;`)
    or a link (`<url|label>`), whose half would show as garbage or point elsewhere."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    entity = cut.rfind("&")
    if entity >= 0 and ";" not in cut[entity:]:
        cut = cut[:entity]
    link = cut.rfind("<")
    if link >= 0 and ">" not in cut[link:]:
        cut = cut[:link]
    return cut + "…"


def _shorten(text: str, limit: int = MAX_QUOTE) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
