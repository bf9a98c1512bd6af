"""What an alert says: Slack Block Kit and plain text, built from an event and its sources.

Text that came from feeds (quotes, titles, URLs) is escaped for Slack mrkdwn so that a feed
cannot mention `<!channel>`, ping users or disguise a link.
"""

from __future__ import annotations

from watcher.formatting import format_range
from watcher.store.models import Event, EventSource

_ARROWS = {"raised": "⬆️", "lowered": "⬇️"}
MAX_QUOTE = 600
MAX_SOURCES = 10


def escape_mrkdwn(text: str) -> str:
    """Escape the three characters Slack treats as control characters in mrkdwn."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def headline(event: Event) -> str:
    change = event.change or "updated"
    return (
        f"{event.company or 'Several companies'} {change} {event.period or ''} "
        f"{event.metric} guidance"
    ).replace("  ", " ")


def change_text(event: Event) -> str:
    old = format_range(event.prior_low, event.prior_high, event.currency)
    new = format_range(event.low, event.high, event.currency)
    has_old = event.prior_low is not None or event.prior_high is not None
    text = f"{old} → {new}" if has_old else new
    if event.change_pct is not None:
        text += f" ({event.change_pct:+.1f}%)"
    return text


def plain_text(event: Event, sources: list[EventSource]) -> str:
    """The message as plain text (console, Slack notification fallback)."""
    lines = [
        f"[{event.severity.upper()}] {headline(event)}",
        f"  old: {format_range(event.prior_low, event.prior_high, event.currency)}"
        if event.prior_low is not None or event.prior_high is not None
        else "  old: not stated",
        f"  new: {format_range(event.low, event.high, event.currency)}",
    ]
    if event.change_pct is not None:
        lines.append(f"  change: {event.change_pct:+.1f}% at the midpoint")
    lines.append(f'  quote: "{_shorten(event.quote)}"')
    for source in sources[:MAX_SOURCES]:
        lines.append(
            f"  source: {source.source_name}: {source.title or ''} {source.url or ''}".rstrip()
        )
    return "\n".join(lines)


def slack_blocks(event: Event, sources: list[EventSource]) -> list[dict]:
    """Block Kit: headline, the figures side by side, the quote, links to the sources."""
    arrow = _ARROWS.get(event.change or "", "")
    old = (
        format_range(event.prior_low, event.prior_high, event.currency)
        if event.prior_low is not None or event.prior_high is not None
        else "not stated"
    )
    fields = [
        ("Company", event.company or "several"),
        ("Metric / period", f"{event.metric} {event.period or ''}"),
        ("Old guidance", old),
        ("New guidance", format_range(event.low, event.high, event.currency)),
    ]
    if event.change_pct is not None:
        fields.append(("Change at midpoint", f"{event.change_pct:+.1f}%"))
    fields.append(("Severity", event.severity))
    blocks: list[dict] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": f"{arrow} {headline(event)}".strip()[:150]},
        },
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": f"*{label}*\n{escape_mrkdwn(value)}"}
                for label, value in fields
            ],
        },
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": f">{escape_mrkdwn(_shorten(event.quote))}"},
        },
    ]
    if sources:
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": _source_link(source)}
                    for source in sources[:MAX_SOURCES]
                ],
            }
        )
    return blocks


def _source_link(source: EventSource) -> str:
    label = escape_mrkdwn(_shorten(source.title or source.source_name, 80)).replace("|", "¦")
    url = source.url or ""
    if url.startswith(("http://", "https://")) and not any(c in url for c in "<>| "):
        return f"<{url}|{label}> ({escape_mrkdwn(source.source_name)})"
    return f"{label} ({escape_mrkdwn(source.source_name)})"


def _shorten(text: str, limit: int = MAX_QUOTE) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
