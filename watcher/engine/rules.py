"""Rule files: one YAML file per rule in the rules folder, validated on load.

A rule file names its `type`; the type's config model validates the rest, and every error
names the file and the field. Rule types live in `watcher.engine.types`, chosen by name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from watcher.engine.series_rules import SERIES_RULE_TYPES
from watcher.engine.types import GuidanceChangeRule, Rule
from watcher.errors import ConfigError

RULE_TYPES: dict[str, type[Rule]] = {
    rule.type_name: rule for rule in (GuidanceChangeRule, *SERIES_RULE_TYPES)
}


def load_rule_file(path: Path) -> Rule:
    """Load and validate one rule file."""
    data = _read_yaml(path)
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
    try:
        config = rule_type.config_model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"]) or None
        raise ConfigError(error["msg"], file=str(path), field=field) from None
    return rule_type(config)


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


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", file=str(path)) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"not valid YAML: {exc}", file=str(path)) from None
    if not isinstance(data, dict):
        raise ConfigError("a rule file must be a mapping of fields", file=str(path))
    return data
