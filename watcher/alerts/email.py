"""Email: the SMTP notifier for urgent events, and what digests share with it (rendering
with Jinja2 templates, sending over SMTP with STARTTLS, implicit TLS or none).

Text from feeds arrives inert: the HTML part is rendered with autoescape on, links are only
made of http(s) URLs, header values are collapsed to one line so a title cannot add
headers, and no control character reaches the text part (`watcher.terminal.printable`).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from watcher.alerts.messages import headline
from watcher.alerts.notifiers import DeliveryError
from watcher.formatting import format_amount, format_range
from watcher.settings import EmailSettings
from watcher.store.drafts import event_details
from watcher.store.models import Event, EventSource
from watcher.terminal import printable

log = logging.getLogger(__name__)

CHANNEL = "email"
SUBJECT_PREFIX = "[capex-watcher]"
MAX_SUBJECT = 200
MAX_QUOTE = 1200
MAX_SOURCES = 20


class EmailNotifier:
    """Sends one email per urgent event to `email.to`; the outbox decides which events."""

    def __init__(self, settings: EmailSettings):
        self.settings = settings

    def send(self, event: Event, sources: list[EventSource]) -> str | None:
        return send_message(self.settings, event_message(self.settings, event, sources))


# -- rendering ---------------------------------------------------------------------------------


@cache
def templates() -> Environment:
    """The Jinja2 templates: autoescape on for `*.html`, off for `*.txt`."""
    environment = Environment(
        loader=PackageLoader("watcher.alerts", "templates"),
        autoescape=select_autoescape(
            enabled_extensions=("html",), disabled_extensions=("txt",), default=True
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["safe_url"] = safe_url
    return environment


def render(name: str, **context: Any) -> str:
    return templates().get_template(name).render(**context)


def safe_url(url: str | None) -> str | None:
    """An http(s) URL fit for an href, else None (no javascript:, no data:)."""
    if not url:
        return None
    url = url.strip()
    if not url.startswith(("http://", "https://")) or any(c.isspace() for c in url):
        return None
    return url


def one_line(text: str, limit: int = MAX_SUBJECT) -> str:
    """Collapse whitespace (CR and LF included) so the text cannot start a new header, and
    take out control characters (no terminal escape sequences in the text part)."""
    text = printable(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def compact_range(low: int | None, high: int | None, currency: str) -> str:
    """ "$64-72 billion" when both ends share a scale, else the long form."""
    if low is None or high is None or low == high:
        return format_range(low, high, currency)
    low_text, high_text = format_amount(low, currency), format_amount(high, currency)
    low_number, _, low_scale = low_text.rpartition(" ")
    high_number, _, high_scale = high_text.rpartition(" ")
    if low_scale == high_scale and low_scale.isalpha() and low_number and high_number:
        symbol = "$" if currency == "USD" else f"{currency} "
        return f"{low_number}-{high_number.removeprefix(symbol)} {high_scale}"
    return format_range(low, high, currency)


def event_title(event: Event) -> str:
    """What the event says in one line, without the prefix."""
    if event.value is None and (event.low is not None or event.high is not None):
        return f"{headline(event)}: {compact_range(event.low, event.high, event.currency)}"
    return event.summary


def event_subject(event: Event) -> str:
    return one_line(f"{SUBJECT_PREFIX} {event_title(event)}")


def event_view(event: Event, sources: list[EventSource]) -> dict[str, Any]:
    """The facts of an event as the templates show them (strings, not yet escaped): its
    headline and the details its rule wrote."""
    return {
        "title": one_line(event_title(event), 400),
        "severity": event.severity,
        "company": event.company,
        "details": [
            {"label": one_line(label, 80), "value": one_line(value, 400)}
            for label, value in event_details(event)
        ],
        "quote": _shorten(event.quote),
        "confirmed": event.confirmed,
        "sources": [
            {
                "name": printable(source.source_name),
                "title": one_line(source.title or source.source_name, 160),
                "url": printable(source.url) if source.url else None,
            }
            for source in sources[:MAX_SOURCES]
        ],
        "more_sources": max(0, len(sources) - MAX_SOURCES),
        "when": event.created_at.strftime("%Y-%m-%d %H:%M UTC"),
    }


def event_message(
    settings: EmailSettings, event: Event, sources: list[EventSource]
) -> EmailMessage:
    """One multipart/alternative message (plain text and HTML) about one event."""
    view = event_view(event, sources)
    message = new_message(settings, event_subject(event))
    message.set_content(render("event.txt", event=view))
    message.add_alternative(render("event.html", event=view), subtype="html")
    return message


def new_message(settings: EmailSettings, subject: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = one_line(subject)
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.to)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    return message


def _shorten(text: str, limit: int = MAX_QUOTE) -> str:
    text = printable(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- sending -----------------------------------------------------------------------------------


def send_message(settings: EmailSettings, message: EmailMessage) -> str:
    """Hand `message` to the SMTP server; return its Message-ID. Anything that keeps the
    server from accepting it becomes `DeliveryError`, which the outbox retries."""
    if not settings.host:
        raise DeliveryError("email.host is not set")
    if not settings.to:
        raise DeliveryError("email.to names no recipient")
    try:
        smtp = _connect(settings)
        try:
            if settings.username:
                password = settings.password.get_secret_value() if settings.password else ""
                smtp.login(settings.username, password)
            refused = smtp.send_message(message)
        finally:
            _quit(smtp)
    except (smtplib.SMTPException, OSError, ValueError) as exc:
        # ValueError: what smtplib raises for a bad address or a header it cannot encode.
        raise DeliveryError(f"SMTP {settings.host}:{settings.port}: {_reason(exc)}") from exc
    if refused:
        # Accepted for the other recipients: a retry would send it to them twice.
        log.warning("SMTP %s refused some recipients: %s", settings.host, ", ".join(refused))
    return str(message["Message-ID"])


def _connect(settings: EmailSettings) -> smtplib.SMTP:
    host, port, timeout = settings.host or "", settings.port, settings.timeout
    if settings.security == "tls":
        return smtplib.SMTP_SSL(host, port, timeout=timeout, context=tls_context(settings))
    smtp = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if settings.security == "starttls":
            smtp.starttls(context=tls_context(settings))
            smtp.ehlo()
    except BaseException:
        smtp.close()
        raise
    return smtp


def _quit(smtp: smtplib.SMTP) -> None:
    # Once the message is accepted, a failing QUIT must not turn into a retry (a duplicate).
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def tls_context(settings: EmailSettings) -> ssl.SSLContext:
    """Certificates are always verified; `email.ca_file` names the CAs to trust instead of
    the system's (a private relay's own CA)."""
    cafile = str(settings.ca_file) if settings.ca_file else None
    return ssl.create_default_context(cafile=cafile)


def _reason(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        message = exc.smtp_error
        text = message.decode(errors="replace") if isinstance(message, bytes) else str(message)
        return f"{exc.smtp_code} {one_line(text)}"
    return f"{type(exc).__name__}: {one_line(str(exc))}"
