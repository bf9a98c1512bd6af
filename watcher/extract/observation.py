"""The Observation record: one figure for one metric of one company, as DESIGN.md defines it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

METRICS = ("capex", "ocf", "rpo")
KINDS = ("guidance", "actual", "estimate")
CHANGES = ("raised", "lowered", "reaffirmed", "narrowed")


@dataclass(frozen=True)
class Observation:
    """One figure. `start`/`end` are the offsets of `quote` in the reduced text that
    extraction read (`text[start:end] == quote`): the document itself for plain text, the
    output of `html_to_text` for HTML. They are not offsets in the raw HTML markup, which
    the reduction does not map back; a table observation's span is its row line."""

    company: str | None
    metric: str
    kind: str
    period: str | None
    low: int | None
    high: int | None
    currency: str | None
    change: str | None
    prior_low: int | None
    prior_high: int | None
    quote: str
    source: str | None
    variant: str | None = None
    start: int | None = None  # offsets of the quote in the reduced text
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
