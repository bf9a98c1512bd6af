"""Imports follow the flow of DESIGN.md: the recorded event is the seam. The engine and the
sources import no alerts; alerts import no engine, sources or extraction; the store imports
no stage above it; extraction knows no database; the web view reads and never fetches or
extracts."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "watcher"

FORBIDDEN = {
    "engine": ("watcher.alerts",),
    "sources": ("watcher.alerts",),
    "alerts": ("watcher.engine", "watcher.sources", "watcher.extract"),
    "store": ("watcher.alerts", "watcher.engine", "watcher.sources", "watcher.extract"),
    "extract": ("watcher.store", "watcher.alerts", "watcher.engine", "watcher.sources"),
    # The web view reads the store (and asks the series rules where they fire); it fetches,
    # extracts and runs nothing.
    "web": (
        "watcher.sources",
        "watcher.extract",
        "watcher.extraction",
        "watcher.pipeline",
        "watcher.daemon",
    ),
}


def imports_of(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports (at the top or inside a function)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


@pytest.mark.parametrize("stage", sorted(FORBIDDEN))
def test_imports_follow_the_flow(stage):
    broken = [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {module}"
        for path in sorted((PACKAGE / stage).rglob("*.py"))
        for line, module in imports_of(path)
        if any(module == bad or module.startswith(bad + ".") for bad in FORBIDDEN[stage])
    ]
    assert broken == []


# The generic engine (evaluation, the history it reads, the rule interface) knows no rule type:
# what a rule needs it says itself (`Rule.reach`).
RULE_TYPES = (
    "watcher.engine.series_rules",
    "watcher.engine.guidance",
    "watcher.engine.source_health",
)
GENERIC_ENGINE = ("evaluate.py", "history.py", "replay.py", "types.py", "quarters.py")


@pytest.mark.parametrize("module", GENERIC_ENGINE)
def test_the_generic_engine_imports_no_rule_type(module):
    path = PACKAGE / "engine" / module
    broken = [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {imported}"
        for line, imported in imports_of(path)
        if imported in RULE_TYPES
    ]
    assert broken == []
