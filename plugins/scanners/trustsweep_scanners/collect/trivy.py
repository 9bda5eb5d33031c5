"""Trivy JSON (``trivy image|fs|repo --format json``, schema version 2) → one artifact.

Reads ``ArtifactName``/``ArtifactType``, ``CreatedAt`` and each ``Results[].Vulnerabilities[]``
(``VulnerabilityID``, ``PkgName``, ``InstalledVersion``, ``FixedVersion``, ``Severity``, and
``FirstSeen`` when a pipeline added one). Secrets, misconfigurations and licences are not read.
"""

from __future__ import annotations

from typing import Any

from trustsweep.plugin import Collector

from .artifact import Artifact, items, moment, severity, split_image, text
from .base import read_files

KINDS = {"container_image": "image"}


def parse(doc: dict[str, Any]) -> list[Artifact]:
    """The artifact a Trivy report describes (ShapeError for a field of the wrong type)."""
    name = text(doc.get("ArtifactName"), "ArtifactName") or "unnamed"
    declared = text(doc.get("ArtifactType"), "ArtifactType")
    kind = KINDS.get(declared, declared or "artifact")
    version = ""
    if kind == "image":
        name, version = split_image(name)
    artifact = Artifact("trivy", kind, name, version, moment(doc.get("CreatedAt"), "CreatedAt"))
    for i, result in enumerate(items(doc.get("Results"), "Results")):
        place = f"Results[{i}].Vulnerabilities"
        for j, v in enumerate(items(result.get("Vulnerabilities"), place)):
            at = f"{place}[{j}]"
            artifact.find(
                text(v.get("VulnerabilityID"), f"{at}.VulnerabilityID"),
                text(v.get("PkgName"), f"{at}.PkgName"),
                severity(v.get("Severity"), f"{at}.Severity"),
                text(v.get("InstalledVersion"), f"{at}.InstalledVersion"),
                text(v.get("FixedVersion"), f"{at}.FixedVersion"),
                moment(v.get("FirstSeen"), f"{at}.FirstSeen"),
            )
    return [artifact]


def collect(ctx: Collector) -> None:
    read_files(ctx, parse)
