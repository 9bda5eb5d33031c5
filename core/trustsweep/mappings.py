"""The SOC 2 criteria catalog and the mapping criterion → checks / attestation types, as data.

Files (``mappings/soc2/``):

* ``criteria.yaml`` — the catalog: ``framework`` and a list of ``criteria`` (id, category, title).
* ``attestations.yaml`` — ``attestation_types`` (id → title, validity_days) and which criteria
  each evidences.
* ``<anything>.yaml`` — ``criteria: {CRITERION: {checks: [...], attestations: [...]}}``.

A user's ``--mapping FILE`` has the same shape as the last two; an entry with ``replace: true``
replaces the built-in lists of that criterion instead of adding to them. Every file is validated
on load: unknown criterion, check id or attestation type, duplicates, bad YAML → a UserError
naming the file and line.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from . import yamlfile
from .errors import UserError


@dataclass(frozen=True, slots=True)
class Criterion:
    id: str
    category: str
    title: str


@dataclass(frozen=True, slots=True)
class AttestationType:
    id: str
    title: str
    validity_days: int
    description: str = ""


@dataclass(slots=True)
class CriterionMapping:
    checks: list[str] = field(default_factory=list)
    attestations: list[str] = field(default_factory=list)


@dataclass
class Mapping:
    """The loaded catalog and mappings. Criteria keep the catalog's order."""

    framework: str
    framework_title: str
    criteria: dict[str, Criterion]
    attestation_types: dict[str, AttestationType]
    entries: dict[str, CriterionMapping]
    sources: list[tuple[str, str]] = field(default_factory=list)  # (path, sha256)
    unavailable_checks: set[str] = field(default_factory=set)

    def checks_of(self, criterion_id: str) -> list[str]:
        return self.entries[criterion_id].checks

    def attestations_of(self, criterion_id: str) -> list[str]:
        return self.entries[criterion_id].attestations

    def criteria_of_check(self, check_id: str) -> list[str]:
        return [cid for cid, entry in self.entries.items() if check_id in entry.checks]

    def check_index(self) -> dict[str, list[str]]:
        """check id → criteria it is mapped to."""
        index: dict[str, list[str]] = {}
        for cid, entry in self.entries.items():
            for check_id in entry.checks:
                index.setdefault(check_id, []).append(cid)
        return index

    @property
    def digest(self) -> str:
        """A SHA-256 over the digests of every file that went into this mapping."""
        h = hashlib.sha256()
        for path, digest in self.sources:
            h.update(f"{Path(path).name}:{digest}\n".encode())
        return h.hexdigest()


def builtin_dir() -> Path:
    """Where the built-in ``mappings/`` live: inside the wheel, or beside ``core/`` in a checkout."""
    packaged = resources.files("trustsweep") / "_mappings"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "mappings"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _load_catalog(path: Path) -> tuple[str, str, dict[str, Criterion]]:
    doc = yamlfile.load(path)
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("criteria"), list):
        raise doc.error("expected a mapping with a 'criteria' list", data)
    framework = data.get("framework") or {}
    criteria: dict[str, Criterion] = {}
    for item in data["criteria"]:
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), str) and item.get(k) for k in ("id", "category", "title")
        ):
            raise doc.error("each criterion needs non-empty 'id', 'category' and 'title'", item)
        if item["id"] in criteria:
            raise doc.error(f"duplicate criterion {item['id']!r}", item)
        if "\n" in item["title"].strip():
            raise doc.error(f"criterion {item['id']!r}: title must be one line", item)
        criteria[item["id"]] = Criterion(item["id"], item["category"], item["title"].strip())
    return str(framework.get("id", "soc2")), str(framework.get("title", "SOC 2")), criteria


def _str_list(doc: yamlfile.Located, parent: dict[str, Any], key: str) -> list[tuple[str, int]]:
    value = parent.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise doc.error(f"'{key}' must be a list", parent, key)
    out: list[tuple[str, int]] = []
    seen: set[str] = set()
    for index, item in enumerate(value):
        line = doc.line_of(value, str(index))
        if not isinstance(item, str) or not item:
            raise UserError(f"'{key}' items must be non-empty strings", path=doc.path, place=f"line {line}")
        if item in seen:
            raise UserError(f"duplicate entry {item!r} in '{key}'", path=doc.path, place=f"line {line}")
        seen.add(item)
        out.append((item, line))
    return out


class MappingBuilder:
    """Merges mapping files one after another, validating each against what is known."""

    def __init__(self, catalog: Path, known_checks: dict[str, str], installed_providers: Iterable[str]):
        framework, title, criteria = _load_catalog(catalog)
        self.mapping = Mapping(
            framework=framework,
            framework_title=title,
            criteria=criteria,
            attestation_types={},
            entries={cid: CriterionMapping() for cid in criteria},
            sources=[(str(catalog), _sha256(catalog))],
        )
        self.known_checks = known_checks  # id or alias → current id
        self.installed = set(installed_providers)

    def add_file(self, path: Path) -> None:
        doc = yamlfile.load(path)
        data = doc.data
        if data is None:
            raise UserError("empty mapping file", path=path)
        if not isinstance(data, dict):
            raise doc.error("a mapping file must be a YAML mapping", data)
        unknown_keys = set(data) - {"framework", "attestation_types", "criteria"}
        if unknown_keys:
            key = sorted(unknown_keys)[0]
            raise doc.error(f"unknown top-level key {key!r} (expected attestation_types, criteria)", data, key)
        self._add_attestation_types(doc, data.get("attestation_types"))
        criteria = data.get("criteria")
        if criteria is not None and not isinstance(criteria, dict):
            raise doc.error("'criteria' must map criterion ids to entries", data, "criteria")
        for cid, entry in (criteria or {}).items():
            if cid not in self.mapping.criteria:
                raise doc.error(f"unknown criterion {cid!r}", criteria, cid)
            if entry is None:
                continue
            if not isinstance(entry, dict):
                raise doc.error(f"{cid}: expected 'checks' and/or 'attestations'", criteria, cid)
            bad = set(entry) - {"checks", "attestations", "replace"}
            if bad:
                key = sorted(bad)[0]
                raise doc.error(f"{cid}: unknown key {key!r} (expected checks, attestations, replace)", entry, key)
            target = self.mapping.entries[cid]
            if entry.get("replace"):
                target.checks.clear()
                target.attestations.clear()
            for check_id, line in _str_list(doc, entry, "checks"):
                current = self._resolve_check(check_id, path, line)
                if current is None:
                    continue
                if current in target.checks:
                    raise UserError(f"{cid}: check {check_id!r} is already mapped", path=path, place=f"line {line}")
                target.checks.append(current)
            for type_id, line in _str_list(doc, entry, "attestations"):
                if type_id not in self.mapping.attestation_types:
                    raise UserError(f"{cid}: unknown attestation type {type_id!r}", path=path, place=f"line {line}")
                if type_id in target.attestations:
                    raise UserError(
                        f"{cid}: attestation type {type_id!r} is already mapped", path=path, place=f"line {line}"
                    )
                target.attestations.append(type_id)
        self.mapping.sources.append((str(path), _sha256(path)))

    def _add_attestation_types(self, doc: yamlfile.Located, types: Any) -> None:
        if types is None:
            return
        if not isinstance(types, dict):
            raise doc.error("'attestation_types' must map ids to definitions", types)
        for type_id, spec in types.items():
            if not isinstance(spec, dict) or not isinstance(spec.get("title"), str):
                raise doc.error(f"attestation type {type_id!r} needs a 'title'", types, type_id)
            days = spec.get("validity_days")
            if not isinstance(days, int) or isinstance(days, bool) or days <= 0:
                raise doc.error(
                    f"attestation type {type_id!r}: 'validity_days' must be a positive integer", spec, "validity_days"
                )
            if type_id in self.mapping.attestation_types:
                raise doc.error(f"duplicate attestation type {type_id!r}", types, type_id)
            self.mapping.attestation_types[type_id] = AttestationType(
                type_id, spec["title"].strip(), days, str(spec.get("description", "")).strip()
            )

    def _resolve_check(self, check_id: str, path: Path, line: int) -> str | None:
        current = self.known_checks.get(check_id)
        if current is not None:
            return current
        provider = check_id.split(".", 1)[0]
        if "." in check_id and provider not in self.installed:
            # a check of a provider that is not installed (or disabled): nothing can run it
            self.mapping.unavailable_checks.add(check_id)
            return None
        raise UserError(f"unknown check id {check_id!r}", path=path, place=f"line {line}")


def load_mapping(
    *,
    known_checks: dict[str, str],
    installed_providers: Iterable[str],
    plugin_files: Sequence[Path] = (),
    user_files: Sequence[Path] = (),
    base_dir: Path | None = None,
) -> Mapping:
    """Load the built-in catalog and mappings, then plugin files, then the user's files."""
    base = base_dir or builtin_dir() / "soc2"
    catalog = base / "criteria.yaml"
    if not catalog.is_file():
        raise UserError("criteria catalog not found", path=catalog)
    builder = MappingBuilder(catalog, known_checks, installed_providers)
    attestations = base / "attestations.yaml"
    if attestations.is_file():
        builder.add_file(attestations)
    for path in sorted(base.glob("*.yaml")):
        if path.name not in ("criteria.yaml", "attestations.yaml"):
            builder.add_file(path)
    for path in plugin_files:
        builder.add_file(Path(path))
    for path in user_files:
        builder.add_file(Path(path))
    return builder.mapping
