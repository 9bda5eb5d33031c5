"""Grype JSON (``grype IMAGE|dir:PATH -o json``) → one artifact.

Reads ``source`` (``type``; ``target.userInput`` for an image, the path for a directory),
``descriptor.timestamp`` and each ``matches[]``: ``vulnerability.id``, ``.severity``,
``.fix.versions``/``.fix.state`` and ``artifact.name``/``.version``.
"""

from __future__ import annotations

from typing import Any

from trustsweep.plugin import Collector

from .artifact import Artifact, items, moment, need, severity, split_image, text
from .base import read_files


def _source(doc: dict[str, Any]) -> tuple[str, str, str]:
    source = need(doc.get("source"), dict, "source") or {}
    kind = text(source.get("type"), "source.type") or "artifact"
    target = need(source.get("target"), (dict, str), "source.target")
    if isinstance(target, dict):
        reference = text(target.get("userInput"), "source.target.userInput")
    else:
        reference = text(target, "source.target")
    if kind == "image":
        name, version = split_image(reference)
        return kind, name or "unnamed", version
    return kind, reference or "unnamed", ""


def parse(doc: dict[str, Any]) -> list[Artifact]:
    """The artifact a Grype report describes (ShapeError for a field of the wrong type)."""
    kind, name, version = _source(doc)
    descriptor = need(doc.get("descriptor"), dict, "descriptor") or {}
    artifact = Artifact("grype", kind, name, version, moment(descriptor.get("timestamp"), "descriptor.timestamp"))
    for i, match in enumerate(items(doc.get("matches"), "matches")):
        at = f"matches[{i}]"
        vuln = need(match.get("vulnerability"), dict, f"{at}.vulnerability") or {}
        package = need(match.get("artifact"), dict, f"{at}.artifact") or {}
        fix = need(vuln.get("fix"), dict, f"{at}.vulnerability.fix") or {}
        versions = need(fix.get("versions"), list, f"{at}.vulnerability.fix.versions") or []
        fixed = ", ".join(text(v, f"{at}.vulnerability.fix.versions") for v in versions)
        if text(fix.get("state"), f"{at}.vulnerability.fix.state") not in ("fixed", ""):
            fixed = ""
        artifact.find(
            text(vuln.get("id"), f"{at}.vulnerability.id"),
            text(package.get("name"), f"{at}.artifact.name"),
            severity(vuln.get("severity"), f"{at}.vulnerability.severity"),
            text(package.get("version"), f"{at}.artifact.version"),
            fixed,
            moment(vuln.get("firstSeen"), f"{at}.vulnerability.firstSeen"),
        )
    return [artifact]


def collect(ctx: Collector) -> None:
    read_files(ctx, parse)
