"""The `guidance_change` rule type: a company's own capex (or OCF, RPO) guidance moving.

It reads each new guidance observation with the stored history beside it and returns the
events it raises, as `EventDraft`s worded as guidance changes (old and new guidance, the
change at the midpoint, the period).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from watcher.engine.types import History, Rule, RuleConfig, RuleContext
from watcher.formatting import format_range
from watcher.store.drafts import Detail, EventDraft

if TYPE_CHECKING:
    from watcher.store.models import Observation

log = logging.getLogger(__name__)


GuidedMetric = Literal["capex", "ocf", "rpo"]


def _capex_only() -> list[GuidedMetric]:
    return ["capex"]


class GuidanceChangeConfig(RuleConfig):
    type: Literal["guidance_change"] = "guidance_change"
    metrics: list[GuidedMetric] = Field(default_factory=_capex_only, min_length=1)
    # Smallest move of the guidance midpoint, in percent, that raises an event (0: any move).
    min_change_pct: float = Field(0.0, ge=0)
    # Figures published longer ago than this are history to compare with, not news to alert
    # on (a new feed's archive, an old article fetched late).
    max_age_days: float = Field(30.0, gt=0)
    # Across currencies figures are compared in US dollars at each day's reference rate; a
    # smaller move than this is exchange-rate drift, not a change of guidance.
    fx_tolerance_pct: float = Field(5.0, ge=0)
    # Companies revise guidance by tens of percent, not by multiples: a bigger gap means the
    # two figures are about different things (a single project, a segment), not a revision.
    max_change_pct: float = Field(60.0, gt=0)


def midpoint(low: int | None, high: int | None) -> float | None:
    """The middle of a range; an open range is read at its one stated bound."""
    if low is not None and high is not None:
        return (low + high) / 2
    return float(low) if low is not None else (float(high) if high is not None else None)


def percent_change(old: float | None, new: float | None) -> float | None:
    if old is None or new is None or old == 0:
        return None
    return (new - old) / abs(old) * 100


def same_figure(a: Observation, b: Observation) -> bool:
    return (a.low, a.high, a.currency) == (b.low, b.high, b.currency)


def _shape(observation: Observation) -> str:
    if observation.high is None:
        return "at least"
    return "up to" if observation.low is None else "closed"


def comparable(earlier: Observation, new: Observation) -> bool:
    """Two guidance figures can be compared when they have the same shape ("at least $64
    billion" is no cut from "$64-72 billion") and do not name two different definitions
    (capex including finance leases vs cash paid for property and equipment)."""
    variants_clash = earlier.variant and new.variant and earlier.variant != new.variant
    return _shape(earlier) == _shape(new) and not variants_clash


STATED_MOVES = ("raised", "lowered")


def _rate_of(observation: Observation) -> float:
    """Units of the observation's currency per US dollar, as its stored values imply."""
    for amount, usd in (
        (observation.low, observation.usd_low),
        (observation.high, observation.usd_high),
    ):
        if amount and usd:
            return amount / usd
    return 1.0


class GuidanceChangeRule(Rule):
    """Fires when a company's own guidance moves: a new guidance figure against the latest
    comparable earlier one of the same company, metric and period, or, with nothing earlier
    stored, when the text itself says the guidance was raised or lowered.

    Against false alarms: a figure that repeats a superseded one is stale news unless the text
    states a move; a computed move that contradicts the stated one is not reported; figures
    older than `max_age_days` are history only."""

    type_name = "guidance_change"
    config_model = GuidanceChangeConfig
    reads = "observations"
    config: GuidanceChangeConfig

    def evaluate(self, ctx: RuleContext) -> list[EventDraft]:
        if ctx.observation is None or ctx.history is None:
            return []
        return self.judge(ctx.observation, ctx.history)

    def judge(self, observation: Observation, history: History) -> list[EventDraft]:
        """The events one new guidance observation raises against the stored history."""
        if not self._applies_to(observation):
            return []
        candidates = [
            older
            for older in history.guidance_before(observation)
            if comparable(older, observation)
        ]
        earlier = [older for older in candidates if older.currency == observation.currency]
        if candidates and not earlier:
            return self._across_currencies(observation, candidates[0], history)
        if earlier and same_figure(earlier[0], observation):
            return self._repeat(observation, earlier, history)
        if self._is_old(observation, history):
            return []
        if not earlier:
            return self._from_stated_change(observation)
        stated = observation.change if observation.change in STATED_MOVES else None
        if stated is None and any(same_figure(older, observation) for older in earlier[1:]):
            log.info("observation %s repeats a superseded guidance figure", observation.id)
            return []
        latest = earlier[0]
        pct = percent_change(
            midpoint(latest.low, latest.high), midpoint(observation.low, observation.high)
        )
        if pct is None or pct == 0 or abs(pct) < self.config.min_change_pct:
            return []
        if self._implausible(observation, pct):
            return []
        change = "raised" if pct > 0 else "lowered"
        if stated is not None and stated != change:
            log.info(
                "observation %s says %s but moved %+.1f%% against the latest guidance; "
                "old news, no event",
                observation.id,
                stated,
                pct,
            )
            return []
        return [
            self._draft(
                observation, latest.low, latest.high, change, pct, since=latest.published_at
            )
        ]

    def _across_currencies(
        self, observation: Observation, latest: Observation, history: History
    ) -> list[EventDraft]:
        """Only guidance in other currencies is stored: compare US-dollar values, and report
        the old figure in the new one's currency at the new one's rate."""
        if self._is_old(observation, history) or None in (
            observation.usd_low or observation.usd_high,
            latest.usd_low or latest.usd_high,
        ):
            return []
        pct = percent_change(
            midpoint(latest.usd_low, latest.usd_high),
            midpoint(observation.usd_low, observation.usd_high),
        )
        threshold = max(self.config.min_change_pct, self.config.fx_tolerance_pct)
        if pct is None or abs(pct) < threshold or self._implausible(observation, pct):
            return []
        change = "raised" if pct > 0 else "lowered"
        if observation.change in STATED_MOVES and observation.change != change:
            return []
        rate = _rate_of(observation)
        prior_low = None if latest.usd_low is None else round(latest.usd_low * rate)
        prior_high = None if latest.usd_high is None else round(latest.usd_high * rate)
        return [
            self._draft(observation, prior_low, prior_high, change, pct, since=latest.published_at)
        ]

    def _implausible(self, observation: Observation, pct: float) -> bool:
        if abs(pct) <= self.config.max_change_pct:
            return False
        log.info(
            "observation %s moved %+.0f%% against the latest guidance: more than a revision "
            "(max_change_pct %g), so taken to be about something else; no event",
            observation.id,
            pct,
            self.config.max_change_pct,
        )
        return True

    def _applies_to(self, observation: Observation) -> bool:
        if observation.kind != "guidance" or observation.metric not in self.config.metrics:
            return False
        if observation.company is None or observation.period is None:
            log.info(
                "guidance observation %s has no company or period; %s skips it",
                observation.id,
                self.name,
            )
            return False
        return midpoint(observation.low, observation.high) is not None

    def _is_old(self, observation: Observation, history: History) -> bool:
        return history.now - observation.published_at > timedelta(days=self.config.max_age_days)

    def _repeat(
        self, observation: Observation, earlier: list[Observation], history: History
    ) -> list[EventDraft]:
        """The current figure reported again: one more source of the event it raised. If it
        raised none (its first report gave no context) and this report states the move, the
        stated move is the event."""
        event = history.event_for_figure(self.name, observation)
        if event is not None:
            repeat = self._draft(observation, None, None, None, None, since=None)
            return [replace(repeat, key=event.key)]
        if self._is_old(observation, history):
            return []
        if all(same_figure(older, observation) for older in earlier):
            return self._from_stated_change(observation)
        return []

    def _from_stated_change(self, observation: Observation) -> list[EventDraft]:
        if observation.change not in STATED_MOVES:
            return []
        pct = percent_change(
            midpoint(observation.prior_low, observation.prior_high),
            midpoint(observation.low, observation.high),
        )
        if pct is not None and abs(pct) < self.config.min_change_pct:
            return []
        return [
            self._draft(
                observation,
                observation.prior_low,
                observation.prior_high,
                observation.change,
                pct,
                since=None,
            )
        ]

    def _draft(
        self,
        observation: Observation,
        prior_low: int | None,
        prior_high: int | None,
        change: str | None,
        change_pct: float | None,
        *,
        since: datetime | None,
    ) -> EventDraft:
        # The figure it moved from, and when that was published, are part of the key: the same
        # move reported by many sources is one event, a cut and a later re-raise to the same
        # figures are two. `since` is None when the move is the text's own word.
        key = "|".join(
            str(part)
            for part in (
                self.name,
                observation.company,
                observation.metric,
                observation.period,
                observation.currency,
                observation.low,
                observation.high,
                prior_low,
                prior_high,
                since.date().isoformat() if since else "stated",
            )
        )
        summary = (
            f"{observation.company} {change or 'updated'} {observation.period} "
            f"{observation.metric} guidance to "
            f"{format_range(observation.low, observation.high, observation.currency)}"
        )
        if prior_low is not None or prior_high is not None:
            summary += f" from {format_range(prior_low, prior_high, observation.currency)}"
        if change_pct is not None:
            summary += f" ({change_pct:+.1f}% at the midpoint)"
        headline = (
            f"{observation.company} {change or 'updated'} {observation.period} "
            f"{observation.metric} guidance"
        )
        has_old = prior_low is not None or prior_high is not None
        details: list[Detail] = [
            (
                "Old guidance",
                format_range(prior_low, prior_high, observation.currency)
                if has_old
                else "not stated",
            ),
            ("New guidance", format_range(observation.low, observation.high, observation.currency)),
            ("Period", observation.period or "not stated"),
        ]
        if change_pct is not None:
            details.append(("Change at midpoint", f"{change_pct:+.1f}%"))
        return EventDraft(
            key=key,
            rule=self.name,
            severity=self.config.severity,
            company=observation.company,
            metric=observation.metric,
            period=observation.period,
            change=change,
            currency=observation.currency,
            low=observation.low,
            high=observation.high,
            prior_low=prior_low,
            prior_high=prior_high,
            change_pct=change_pct,
            quote=observation.quote,
            summary=summary,
            observation_id=observation.id,
            document_id=observation.document_id,
            headline=headline,
            details=tuple(details),
            channels=tuple(self.config.channels),
            known_at=observation.published_at.date(),
        )
