"""Durations as people write them in configuration and on the command line: `30s`, `15m`,
`1h`, `2h30m`, `1d`, `1w`, `1.5h`. One parser for feed intervals (`interval`, `expect_every`),
silences (`--until 3d`) and anything else that takes a length of time, and one formatter for
showing one back."""

from __future__ import annotations

import math
import re
from datetime import timedelta

EXAMPLES = "15m, 1h, 30s or 2h30m"
# Units largest first, each at most once: "1d12h", "2h30m", "90m", "1.5h".
_DURATION = re.compile(
    r"^(?:(\d+(?:\.\d+)?)w)?(?:(\d+(?:\.\d+)?)d)?(?:(\d+(?:\.\d+)?)h)?"
    r"(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$"
)
_UNITS = ("weeks", "days", "hours", "minutes", "seconds")


def parse_duration(value: object) -> timedelta:
    """A duration from text (`15m`, `2h30m`, `1d`, `1w`, `1.5h`; case and spaces ignored), a
    number of seconds (int or float, as YAML gives `interval: 900`) or a timedelta. Raises
    ValueError naming the accepted forms; a bare number in text ("15") has no unit and is
    refused. Zero and negative checks are the caller's."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise ValueError(f"must be a finite number of seconds, got {value!r}")
        return timedelta(seconds=value)
    text = value.strip().lower().replace(" ", "") if isinstance(value, str) else ""
    match = _DURATION.match(text) if text else None
    if match is None:
        raise ValueError(f"must look like {EXAMPLES}, got {value!r}")
    return timedelta(
        **{unit: float(n) for unit, n in zip(_UNITS, match.groups(), strict=True) if n}
    )


def format_duration(seconds: float, *, parts: int = 2) -> str:
    """3600 -> '1h', 90 -> '1m30s', 2 days -> '2d'; at most `parts` units, largest first."""
    seconds = int(seconds)
    shown = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            shown.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(shown[:parts]) or "0s"
