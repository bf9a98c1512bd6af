"""Configuration files in YAML, validated by pydantic models: the feeds file, the company
registry and the rule files all load through here, so every mistake reads the same way: one
line naming the file and the field, raised as `ConfigError`
(``config/feeds.yaml: sources[2].interval: must look like 15m, 1h, 30s or 2h30m, got 'soon'``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from watcher.errors import ConfigError

M = TypeVar("M", bound=BaseModel)


def read_yaml(path: str | Path) -> Any:
    """The parsed YAML document in `path` (None when empty)."""
    file = str(path)
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror or exc}", file=file) from None
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 text", file=file) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ConfigError(f"not valid YAML: {problem}{where}", file=file) from None


def read_yaml_mapping(path: str | Path, *, what: str = "a mapping of fields") -> dict[str, Any]:
    """The YAML document in `path`, which must be a mapping (`what` says of what)."""
    document = read_yaml(path)
    if not isinstance(document, dict):
        raise ConfigError(f"must be {what}", file=str(path))
    return document


def load_list(
    path: str | Path,
    key: str,
    model: type[M],
    *,
    required: bool = False,
    unique: str | None = None,
    context: Mapping[str, Any] | None = None,
) -> list[M]:
    """The items of the list under `key` in a file that holds only that key, each validated by
    `model`; `unique` names a field no two items may share. An absent list is empty unless
    `required`."""
    file = str(path)
    document = read_yaml(path)
    if document is None:
        raise ConfigError(f"is empty; expected a '{key}:' list", file=file)
    if not isinstance(document, dict):
        raise ConfigError(f"must be a mapping with a '{key}:' list", file=file)
    unknown = sorted(str(name) for name in document if name != key)
    if unknown:
        raise ConfigError(f"unknown key (allowed: {key})", file=file, field=unknown[0])
    items = document.get(key)
    if items is None and not required:
        return []
    if not isinstance(items, list):
        raise ConfigError(f"must be a list of {_fields(model)} mappings", file=file, field=key)
    loaded: list[M] = []
    seen: dict[Any, int] = {}
    for index, item in enumerate(items):
        where = f"{key}[{index}]"
        if not isinstance(item, dict):
            raise ConfigError(f"must be a mapping with {_fields(model)}", file=file, field=where)
        value = validate(model, item, file=file, where=where, context=context)
        if unique is not None:
            name = getattr(value, unique)
            if name in seen:
                raise ConfigError(
                    f"duplicate {unique} {name!r} (also {key}[{seen[name]}])",
                    file=file,
                    field=f"{where}.{unique}",
                )
            seen[name] = index
        loaded.append(value)
    return loaded


def validate(
    model: type[M],
    data: Any,
    *,
    file: str | Path,
    where: str = "",
    context: Mapping[str, Any] | None = None,
) -> M:
    """`data` validated by `model`; the first problem as a `ConfigError` naming `file` and the
    field (`where` is the path to `data` inside the file, e.g. ``sources[2]``)."""
    try:
        return model.model_validate(data, context=dict(context) if context else None)
    except ValidationError as exc:
        raise validation_error(exc, model, file=file, where=where) from None


def validation_error(
    exc: ValidationError, model: type[BaseModel], *, file: str | Path, where: str = ""
) -> ConfigError:
    """The first error of a pydantic validation as a one-line `ConfigError`."""
    error = exc.errors()[0]
    location = field_path(error["loc"])
    if where and location:
        location = f"{where}{location}" if location.startswith("[") else f"{where}.{location}"
    return ConfigError(_message(error, model), file=str(file), field=location or where or None)


def field_path(loc: tuple[int | str, ...] | list[int | str]) -> str:
    """("sources", 2, "url") -> "sources[2].url"."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _message(error: Any, model: type[BaseModel]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        top = len(error["loc"]) == 1
        return f"unknown key (allowed: {', '.join(model.model_fields)})" if top else "unknown key"
    if kind == "missing":
        return "is required"
    if kind == "literal_error":
        expected = (error.get("ctx") or {}).get("expected", "")
        expected = expected.replace(" or ", ", ").replace("'", "")
        return f"must be one of {expected}, got {error['input']!r}"
    message = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return message


def _fields(model: type[BaseModel]) -> str:
    required = [name for name, info in model.model_fields.items() if info.is_required()]
    return ", ".join([*required, "..."]) if required else "fields"
