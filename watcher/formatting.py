"""Money as readers write it, shared by event summaries and alert messages."""

from __future__ import annotations

_SCALES = ((1e12, " trillion"), (1e9, " billion"), (1e6, " million"))


def format_amount(value: int | None, currency: str) -> str:
    """`64000000000, "USD"` -> "$64 billion"; `2.3e12, "KRW"` -> "KRW 2.3 trillion"."""
    if value is None:
        return "?"
    symbol = "$" if currency == "USD" else f"{currency} "
    for scale, suffix in _SCALES:
        if abs(value) >= scale:
            number = f"{value / scale:.2f}".rstrip("0").rstrip(".")
            return f"{symbol}{number}{suffix}"
    return f"{symbol}{value:,}"


def format_range(low: int | None, high: int | None, currency: str) -> str:
    """A range as a reader writes it: "$64 billion to $72 billion", "at least $30 billion"."""
    if low is not None and high is not None and low != high:
        return f"{format_amount(low, currency)} to {format_amount(high, currency)}"
    if low is not None and high is None:
        return f"at least {format_amount(low, currency)}"
    if low is None and high is not None:
        return f"up to {format_amount(high, currency)}"
    return format_amount(low, currency)
