"""Snyk JSON (``snyk test --json``, ``snyk container test --json``; a list with ``--all-projects``).

Reads ``projectName``, ``displayTargetFile``, ``path`` and ``docker`` (container projects), and each
``vulnerabilities[]`` entry: ``id``, ``severity``, ``packageName``, ``version``, ``fixedIn``,
``nearestFixedInVersion``, ``isUpgradable``/``isPatchable``. The same issue on several dependency
paths is one finding. Snyk's JSON carries no scan time: the file's modification time stands in.
"""

from __future__ import annotations

from typing import Any

from trustsweep.plugin import Collector

from .artifact import Artifact, items, moment, need, severity, split_image, text
from .base import read_files


def _project(doc: dict[str, Any], place: str) -> Artifact:
    project = text(doc.get("projectName"), f"{place}projectName")
    path = text(doc.get("path"), f"{place}path")
    if "docker" in doc or project.startswith("docker-image|"):
        name, version = split_image(path or project.removeprefix("docker-image|"))
        return Artifact("snyk", "image", name or "unnamed", version)
    target_file = text(doc.get("displayTargetFile"), f"{place}displayTargetFile")
    name = project or path or "unnamed"
    return Artifact("snyk", "project", f"{name}/{target_file}" if target_file else name)


def _fixed(v: dict[str, Any], at: str) -> str:
    fixed_in = need(v.get("fixedIn"), list, f"{at}.fixedIn") or []
    versions = [text(x, f"{at}.fixedIn") for x in fixed_in]
    nearest = text(v.get("nearestFixedInVersion"), f"{at}.nearestFixedInVersion")
    if nearest and nearest not in versions:
        versions.insert(0, nearest)
    if not versions and (v.get("isUpgradable") is True or v.get("isPatchable") is True):
        versions = ["upgrade or patch available"]
    return ", ".join(versions)


def parse_one(doc: dict[str, Any], place: str = "") -> Artifact:
    artifact = _project(doc, place)
    for i, v in enumerate(items(doc.get("vulnerabilities"), f"{place}vulnerabilities")):
        at = f"{place}vulnerabilities[{i}]"
        artifact.find(
            text(v.get("id"), f"{at}.id"),
            text(v.get("packageName") or v.get("name"), f"{at}.packageName"),
            severity(v.get("severity"), f"{at}.severity"),
            text(v.get("version"), f"{at}.version"),
            _fixed(v, at),
            moment(v.get("firstSeen"), f"{at}.firstSeen"),
        )
    return artifact


def parse(doc: dict[str, Any] | list[dict[str, Any]]) -> list[Artifact]:
    """The project(s) of a Snyk report (ShapeError for a field of the wrong type)."""
    if isinstance(doc, list):
        return [parse_one(item, f"[{i}].") for i, item in enumerate(doc)]
    return [parse_one(doc)]


def collect(ctx: Collector) -> None:
    read_files(ctx, parse)
