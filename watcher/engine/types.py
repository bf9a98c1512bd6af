"""The one interface of every rule type, and what a rule may look at.

A rule type is a small class with a `type_name` (the rule file's `type:`), a `config_model`
(the pydantic model its file is validated with), what it `reads` (new observations, new SEC
facts, or the sources' health) and one method, `evaluate(ctx) -> list[EventDraft]`. A rule
reading facts also says what it needs of them, `reach(changed) -> Reach`: the evaluator reads
only that much (the generic evaluator knows no rule type). It also
writes how its events read: each draft carries a `headline` and ordered `details`, stored with
the event, so that no channel needs to know which rule raised it. Types are found by name in
`watcher.engine.rules.RULE_TYPES`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, ClassVar, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator

from watcher.store.drafts import EventDraft
from watcher.vocab import Severity

if TYPE_CHECKING:
    from sqlmodel import Session

    from watcher.store.models import Event, Observation

# A channel as a rule names it: `name` or `name:target` ("slack", "slack:#capex", "webhook").
# Which names exist is the channel registry's business (checked by the pipeline and `watcher
# rules check`), not the engine's.
CHANNEL_SHAPE = re.compile(r"^[a-z][a-z0-9_-]*(:\S+)?$")

Reads = Literal["observations", "facts", "sources"]

# How a metric is named in an alert.
METRIC_LABELS = {"capex": "Capex", "ocf": "Operating cash flow", "rpo": "Backlog (RPO)"}


def metric_label(metric: str) -> str:
    return METRIC_LABELS.get(metric, metric)


class RuleConfig(BaseModel):
    """Fields every rule file has."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    type: str
    description: str = ""
    severity: Severity = Severity.MEDIUM
    enabled: bool = True
    # Where its events go: channel names from the registry, "name" or "name:target".
    channels: list[str] = Field(default_factory=lambda: ["slack"], min_length=1)

    @field_validator("channels")
    @classmethod
    def _channel_shape(cls, channels: list[str]) -> list[str]:
        for channel in channels:
            if not CHANNEL_SHAPE.match(channel):
                raise ValueError(
                    f"not a channel name {channel!r}: use name or name:target (slack:#capex)"
                )
        return channels


@dataclass(frozen=True)
class Point:
    """One quarter of one metric: its value, the filing it comes from, and when the quarter
    was first filed (what makes it news; later comparatives and restatements do not)."""

    period: str
    value: int
    filed: date
    accn: str
    first_filed: date


Series = dict[str, dict[str, Point]]  # metric -> period -> point


@dataclass(frozen=True)
class Reach:
    """What a rule reading facts needs to judge the quarters that can be news: the quarters of
    `companies` in `metrics`, from `lookback` quarters before the first of them; a quarter is
    news when first filed at most `max_age_days` ago."""

    companies: frozenset[str]
    metrics: frozenset[str]
    lookback: int
    max_age_days: float


class History(Protocol):
    """What an observation rule may ask of the stored history."""

    now: datetime

    def guidance_before(self, observation: Observation) -> list[Observation]:
        """Earlier guidance of the same company, metric and period (any currency), newest first,
        from other documents published before this one: the newest report of each figure
        (currency, low, high, variant), a figure reported again and again counting once."""
        ...

    def event_for_figure(self, rule: str, observation: Observation) -> Event | None:
        """The latest event of `rule` raised for this observation's figure, if any."""
        ...


@dataclass
class RuleContext:
    """What one evaluation hands a rule; a rule reads the part that its `reads` names.

    - observations: `observation`, one new observation, and `history` beside it;
    - facts: `series`, quarterly series by company, and `changed`, the companies with new or
      restated facts (`replay`: judge every quarter as news, as `watcher rules test` does).
      When evaluating what is new, `series` holds only what the rules reach (the changed
      companies and their groups) from a window of quarters: quarters before `judge_from` are
      there only to compare with, and `whole_series(companies, metrics)` reads whole series
      for a rule whose finding depends on more (a record's run). Without `judge_from`,
      `series` is the whole history and every quarter is judged;
    - sources: `session` to read the sources' health, and `expect_every`, how often each
      source is expected to publish.
    """

    session: Session
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    observation: Observation | None = None
    history: History | None = None
    series: dict[str, Series] = field(default_factory=dict)
    changed: set[str] = field(default_factory=set)
    judge_from: int | None = None  # a quarter number (`engine.quarters.quarter_number`)
    whole_series: Callable[[set[str], set[str]], dict[str, Series]] | None = None
    replay: bool = False
    expect_every: dict[str, timedelta] = field(default_factory=dict)


class Rule:
    """Base of every rule type."""

    type_name: ClassVar[str]
    config_model: ClassVar[type[RuleConfig]]
    reads: ClassVar[Reads]

    def __init__(self, config: RuleConfig):
        self.config = config

    @property
    def name(self) -> str:
        return self.config.name

    def reach(self, changed: set[str]) -> Reach | None:
        """For a rule that reads facts: what judging the new quarters of the `changed`
        companies reads (`RuleContext.series` holds the union of every rule's reach). None,
        the default: the rule needs no series."""
        return None

    def evaluate(self, ctx: RuleContext) -> list[EventDraft]:
        """The events this rule raises in `ctx`."""
        raise NotImplementedError
