"""Rule files: one YAML file per rule in the rules folder, validated on load.

A rule file names its `type`; the type's config model validates the rest, and every error
names the file and the field. Rule types live in `watcher.engine.types`, chosen by name.
"""

from __future__ import annotations

from pathlib import Path

from watcher.config_files import read_yaml_mapping, validate
from watcher.engine.series_rules import SERIES_RULE_TYPES
from watcher.engine.types import GuidanceChangeRule, Rule
from watcher.errors import ConfigError

RULE_TYPES: dict[str, type[Rule]] = {
    rule.type_name: rule for rule in (GuidanceChangeRule, *SERIES_RULE_TYPES)
}


def load_rule_file(path: Path) -> Rule:
    """Load and validate one rule file."""
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
    return rule_type(validate(rule_type.config_model, data, file=path))


def load_rules(directory: Path) -> list[Rule]:
    """Load every `*.yaml`/`*.yml` rule in `directory`; names must be unique."""
    if not directory.is_dir():
        raise ConfigError("rules folder not found", file=str(directory))
    rules: list[Rule] = []
    seen: dict[str, Path] = {}
    for path in sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")]):
        rule = load_rule_file(path)
        if rule.name in seen:
            raise ConfigError(
                f"rule name {rule.name!r} is also used by {seen[rule.name]}",
                file=str(path),
                field="name",
            )
        seen[rule.name] = path
        rules.append(rule)
    return rules

