"""Rule files: one YAML file per rule in the rules folder, validated on load.

A rule file names its `type`; the type's config model validates the rest, and every error
names the file and the field. Rule types implement `watcher.engine.types.Rule` and are found
by name in `RULE_TYPES`. The engine checks only the shape of channel names; a caller that
knows the channel registry (the pipeline, `watcher rules check`) passes `channel_names` to
check the names too.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from watcher.config_files import read_yaml_mapping, validate
from watcher.engine.guidance import GuidanceChangeRule
from watcher.engine.series_rules import JumpRule, RatioRecordRule, ThresholdRule
from watcher.engine.source_health import SourceHealthRule
from watcher.engine.types import Rule
from watcher.errors import ConfigError

RULE_TYPES: dict[str, type[Rule]] = {
    rule.type_name: rule
    for rule in (GuidanceChangeRule, RatioRecordRule, JumpRule, ThresholdRule, SourceHealthRule)
}


def load_rule_file(path: Path, *, channel_names: Collection[str] | None = None) -> Rule:
    """Load and validate one rule file; with `channel_names`, its channels must be known."""
    data = read_yaml_mapping(path, what="a rule file: a mapping of fields")
    type_name = data.get("type")
    if type_name is None:
        raise ConfigError("missing required field", file=str(path), field="type")
    rule_type = RULE_TYPES.get(type_name)
    if rule_type is None:
        known = ", ".join(sorted(RULE_TYPES))
        raise ConfigError(
            f"unknown rule type {type_name!r} (known: {known})", file=str(path), field="type"
        )
    data.setdefault("name", path.stem)
    rule = rule_type(validate(rule_type.config_model, data, file=path))
    if channel_names is not None:
        check_channels(rule, channel_names, path)
    return rule


def check_channels(rule: Rule, channel_names: Collection[str], path: Path | str) -> None:
    """Every channel the rule names is a known channel (`name` of `name:target`)."""
    for index, channel in enumerate(rule.config.channels):
        name = channel.partition(":")[0]
        if name not in channel_names:
            known = ", ".join(sorted(channel_names))
            raise ConfigError(
                f"unknown channel {channel!r} (known: {known})",
                file=str(path),
                field=f"channels[{index}]",
            )


def load_rules(
    directory: Path, *, channel_names: Collection[str] | None = None
) -> list[Rule]:
    """Load every `*.yaml`/`*.yml` rule in `directory`; names must be unique."""
    if not directory.is_dir():
        raise ConfigError("rules folder not found", file=str(directory))
    rules: list[Rule] = []
    seen: dict[str, Path] = {}
    for path in sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")]):
        rule = load_rule_file(path, channel_names=channel_names)
        if rule.name in seen:
            raise ConfigError(
                f"rule name {rule.name!r} is also used by {seen[rule.name]}",
                file=str(path),
                field="name",
            )
        seen[rule.name] = path
        rules.append(rule)
    return rules
