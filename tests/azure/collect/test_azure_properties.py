"""One property convention: what each resource type holds is exactly what docs/azure.md documents,
snake_case names of our choosing (no raw API record), collected from the fake by the real SDK."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trustsweep.model import Resource
from trustsweep.sweep import Sweep
from trustsweep.testing import saved_resources

DOCS = Path(__file__).resolve().parents[3] / "docs" / "azure.md"
SNAKE = re.compile(r"[a-z][a-z0-9_]*")
BOOKKEEPING = {"unread", "vanished"}


def documented() -> dict[str, set[str]]:
    """Resource type → property names, from the tables under "What each resource type holds"."""
    text = DOCS.read_text(encoding="utf-8").split("## What each resource type holds", 1)[1].split("\n## ", 1)[0]
    found: dict[str, set[str]] = {}
    for section in re.split(r"^### ", text, flags=re.M)[1:]:
        type_ = re.match(r"`([^`]+)`", section).group(1)
        rows = [line for line in section.splitlines() if line.startswith("| `")]
        found[type_] = {name for row in rows for name in re.findall(r"`([^`]+)`", row.split("|")[1])}
    return found


@pytest.fixture(scope="module")
def collected(checks_sweep: Sweep, checks_inventory: Path) -> list[Resource]:
    """What the checks sweep collected, properties included (its saved inventory)."""
    return saved_resources(checks_inventory)


def test_every_resource_type_holds_its_documented_properties(collected: list[Resource], azure_registry) -> None:
    docs = documented()
    registry, _ = azure_registry
    declared = {t for spec in registry.checks_for("azure") for t in spec.resource_types}
    by_type: dict[str, set[str]] = {}
    for resource in collected:
        by_type.setdefault(resource.type, set()).update(set(resource.properties) - BOOKKEEPING)
    assert set(by_type) == set(docs), "types collected but not documented, or documented but not collected"
    assert declared <= set(docs)
    for type_, names in by_type.items():
        assert names == docs[type_], (
            f"{type_}: undocumented {sorted(names - docs[type_])}, "
            f"documented but not collected {sorted(docs[type_] - names)}"
        )
        assert all(SNAKE.fullmatch(n) for n in names), f"{type_}: not snake_case: {sorted(names)}"


def test_nested_records_are_snake_case_too(collected: list[Resource]) -> None:
    def keys(value: object, path: str) -> list[str]:
        if isinstance(value, dict):
            return [f"{path}.{k}" for k in value if not SNAKE.fullmatch(str(k))] + [
                bad for k, v in value.items() for bad in keys(v, f"{path}.{k}")
            ]
        if isinstance(value, list):
            return [bad for item in value for bad in keys(item, f"{path}[]")]
        return []

    free_keys = {"tags", "plans", "unread"}  # keys that are data (tag names, plan names, field names)
    bad = [
        b
        for r in collected
        for name, value in r.properties.items()
        if name not in free_keys
        for b in keys(value, f"{r.type}.{name}")
    ]
    assert not bad, sorted(set(bad))[:20]
