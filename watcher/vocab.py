"""The shared vocabulary: how severe an event is, and where a delivery stands. One enum each,
so that rules, routes, email thresholds, digests and the delivery chain rank and name them the
same way."""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    """How material an event is, lowest first."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_ORDER.index(self)


_SEVERITY_ORDER = tuple(Severity)


def severity_rank(severity: str) -> int:
    """info 0 ... critical 4; an unknown severity ranks below every known one (-1)."""
    try:
        return Severity(severity).rank
    except ValueError:
        return -1


class DeliveryStatus(StrEnum):
    """Where an outbox row stands: waiting (pending), claimed by a sender (sending), accepted
    by its channel (sent), given up after `alerts.max_delivery_age_hours` (failed), or held
    back by a silence (silenced)."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SILENCED = "silenced"
