"""The SOC 2 catalog and mappings as data: complete, validated on load, extensible."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from trustsweep.errors import UserError
from trustsweep.mappings import builtin_dir
from trustsweep.plugins import Registry
from trustsweep.testing.cli import run_cli as cli
from trustsweep.testing.synthetic import SyntheticPlugin

REFERENCE_TSC = Path(__file__).resolve().parents[1] / "fixtures" / "soc2" / "tsc.csv"


@pytest.fixture
def registry(tmp_path: Path) -> Registry:
    return Registry.load(extra_plugins=[("synthetic", SyntheticPlugin(tmp_path))])


def test_catalog_has_the_61_criteria_with_the_standards_ids(registry: Registry) -> None:
    mapping = registry.mapping()
    ids = list(mapping.criteria)
    assert len(ids) == 61 == len(set(ids))
    assert all(re.fullmatch(r"(CC[1-9]|A1|C1|PI1|P[1-8])\.[1-9]", i) for i in ids)
    assert ids[0] == "CC1.1" and ids[-1] == "P8.1"
    assert all(c.title and "\n" not in c.title for c in mapping.criteria.values())


def test_catalog_matches_the_reference_list(registry: Registry) -> None:
    rows = list(csv.DictReader(open(REFERENCE_TSC, encoding="utf-8")))
    mapping = registry.mapping()
    assert [r["id"] for r in rows] == list(mapping.criteria)
    assert {r["id"]: r["category"] for r in rows} == {c.id: c.category for c in mapping.criteria.values()}


def test_every_mapped_check_exists_and_every_check_is_mapped(registry: Registry) -> None:
    mapping = registry.mapping()
    index = mapping.check_index()
    assert set(index) <= set(registry.checks)
    unmapped = sorted(c for c in registry.checks if c not in index)
    assert unmapped == [], f"checks mapped to no criterion: {unmapped}"


def test_every_criterion_is_evidenced_by_checks_or_attestations(registry: Registry) -> None:
    mapping = registry.mapping()
    bare = [cid for cid, e in mapping.entries.items() if not e.checks and not e.attestations]
    assert bare == []
    assert all(t.validity_days > 0 for t in mapping.attestation_types.values())


def test_user_mapping_adds_and_replaces(registry: Registry, tmp_path: Path) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "criteria:\n  CC9.2:\n    checks: [synthetic.tags.env]\n"
        "  CC6.1:\n    replace: true\n    checks: [synthetic.keys.rotation]\n"
    )
    mapping = registry.mapping([extra])
    assert "synthetic.tags.env" in mapping.checks_of("CC9.2")
    assert mapping.checks_of("CC6.1") == ["synthetic.keys.rotation"]
    assert mapping.attestations_of("CC6.1") == []


def test_alias_in_a_mapping_resolves_to_the_current_id(registry: Registry, tmp_path: Path) -> None:
    extra = tmp_path / "alias.yaml"
    extra.write_text("criteria:\n  CC9.1:\n    checks: [synthetic.key.rotation]\n")
    checks = registry.mapping([extra]).checks_of("CC9.1")
    assert "synthetic.keys.rotation" in checks and "synthetic.key.rotation" not in checks


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("criteria:\n  CC6.1:\n    checks: [synthetic.tags.env\n", 4, "invalid YAML"),
        ("criteria:\n  CC6.1:\n    checks: []\n  XX9.9:\n    checks: []\n", 4, "unknown criterion 'XX9.9'"),
        (
            "criteria:\n  CC9.2:\n    checks:\n      - synthetic.tags.env\n      - synthetic.nope\n",
            5,
            "unknown check id 'synthetic.nope'",
        ),
        (
            "criteria:\n  CC9.2:\n    checks:\n      - synthetic.tags.env\n      - synthetic.tags.env\n",
            5,
            "duplicate entry",
        ),
        ("criteria:\n  CC9.2: {checks: []}\n  CC9.2: {checks: []}\n", 3, "duplicate key 'CC9.2'"),
        ("criteria:\n  CC9.2:\n    attestations: [no-such-type]\n", 3, "unknown attestation type"),
        ("criteria:\n  CC9.2:\n    chekcs: [synthetic.tags.env]\n", 3, "unknown key 'chekcs'"),
        ("criteria:\n  CC6.1:\n    checks: [synthetic.storage.encrypted]\n", 3, "already mapped"),
        ("criterias: {}\n", 1, "unknown top-level key"),
    ],
)
def test_bad_mapping_names_file_and_line(
    registry: Registry, tmp_path: Path, text: str, line: int, message: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    with pytest.raises(UserError) as info:
        registry.mapping([bad])
    assert str(info.value).startswith(f"{bad}:line {line}: "), str(info.value)
    assert message in str(info.value)


def test_checks_of_uninstalled_providers_are_set_aside(tmp_path: Path) -> None:
    registry = Registry.load(entry_points=False, extra_plugins=[("synthetic", SyntheticPlugin(tmp_path))])
    mapping = registry.mapping()
    shipped = [
        p for p in (builtin_dir() / "soc2").glob("*.yaml") if p.name not in ("criteria.yaml", "attestations.yaml")
    ]
    if shipped:
        assert mapping.unavailable_checks, "built-in provider mappings should be set aside, not rejected"
    assert all(c.startswith("synthetic.") for e in mapping.entries.values() for c in e.checks)


def test_cli_rejects_a_bad_mapping_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("criteria:\n  ZZ1.1:\n    checks: []\n")
    proc = cli("controls", "--mapping", str(bad))
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"trustsweep: error: {bad}:line 2: unknown criterion 'ZZ1.1'"
    assert "Traceback" not in proc.stderr + proc.stdout
