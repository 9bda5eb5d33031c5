"""What every format is read into: an :class:`Artifact` with its findings, and the shape checks.

Properties of a ``scanners.artifact`` resource (written by :func:`trustsweep_scanners.collect.base.add`):

- ``scanner`` (``trivy``/``grype``/``snyk``), ``kind`` (``image``, ``filesystem``, ``repository``,
  ``project``, …), ``artifact`` (the image repository without tag or digest, the path or the
  project), ``version`` (tag or digest, may be empty);
- ``report`` (the file, relative to the target), ``report_sha256``, ``scanned_at`` (ISO; the report's
  time, else the file's modification time);
- ``findings``: ``{id, severity, package, installed, fixed, first_seen, seen_from}`` per vulnerability
  × package, ``severity`` one of CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN, ``fixed`` the fixed
  version(s) or ``""``, ``seen_from`` ``report``, ``history`` or ``scan``;
- ``remediated``: ``{id, severity, package, fixed, first_seen, remediated_at, days}`` per finding open in the
  previous stored sweep of this artifact and gone from this report;
- ``previous_sweep``: ``{sweep, at}`` of that record, or None.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from trustsweep.plugin import iso, parse_time

ARTIFACT = "scanners.artifact"
TYPES = (ARTIFACT,)
SEVERITIES = ("CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN")
_ALIASES = {"NEGLIGIBLE": "LOW", "MODERATE": "MEDIUM", "IMPORTANT": "HIGH", "INFO": "LOW"}
_KNOWN = frozenset(SEVERITIES)
#: the longest text kept of one field of hostile input
MAX_TEXT = 300


class ShapeError(ValueError):
    """A report has a field of the wrong type; ``place`` says where (``Results[2].Vulnerabilities[0]``)."""

    def __init__(self, message: str, place: str) -> None:
        super().__init__(message)
        self.place = place


_NAMES = {
    dict: "an object",
    list: "a list",
    str: "text",
    int: "a number",
    float: "a number",
    bool: "true or false",
    type(None): "null",
}


def need(value: Any, kind: type | tuple[type, ...], place: str, optional: bool = True) -> Any:
    """``value`` if it has the type ``kind`` (None passes when ``optional``), else a ShapeError."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if value is None and optional:
        return None
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        wanted = " or ".join(_NAMES.get(k, k.__name__) for k in kinds)
        raise ShapeError(f"expected {wanted}, found {_NAMES.get(type(value), type(value).__name__)}", place)
    return value


def items(value: Any, place: str) -> list[Any]:
    """A list field (absent or null: empty) as a list of objects."""
    found = need(value, list, place) or []
    for i, item in enumerate(found):
        need(item, dict, f"{place}[{i}]", optional=False)
    return found


def text(value: Any, place: str) -> str:
    """A text field (absent or null: empty), trimmed to :data:`MAX_TEXT` characters."""
    if type(value) is str:  # the common case first: reports hold hundreds of thousands of fields
        return value[:MAX_TEXT]
    return (need(value, str, place) or "")[:MAX_TEXT]


def moment(value: Any, place: str) -> str | None:
    """A time field as ISO 8601 UTC (absent: None; text that is no time: a ShapeError)."""
    raw = text(value, place)
    if not raw:
        return None
    when = parse_time(raw)
    if when is None:
        raise ShapeError(f"not a time: {raw[:40]!r}", place)
    return iso(when)


def severity(value: Any, place: str) -> str:
    """A scanner's severity as one of :data:`SEVERITIES` (Grype's Negligible counts as LOW)."""
    if type(value) is str and value in _KNOWN:
        return value
    word = text(value, place).strip().upper()
    word = _ALIASES.get(word, word)
    return word if word in SEVERITIES else "UNKNOWN"


def split_image(reference: str) -> tuple[str, str]:
    """``registry:5000/team/app:1.2@sha256:…`` → (``registry:5000/team/app``, ``1.2@sha256:…``)."""
    name, at, digest = reference.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    tag = ""
    if colon > slash:
        name, tag = name[:colon], name[colon + 1 :]
    return name, (tag + (f"@{digest}" if at else "")).strip("@") if tag or at else ""


@dataclass(slots=True)
class Artifact:
    """One scanned thing and what the scanner found in it."""

    scanner: str
    kind: str
    name: str
    version: str = ""
    scanned_at: str | None = None
    findings: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """Stable across scans: the scanner, the kind and the name (no tag, digest or file name)."""
        return f"{self.scanner}:{self.kind}:{self.name}"

    def find(
        self, vuln: str, package: str, level: str, installed: str, fixed: str, first_seen: str | None = None
    ) -> None:
        """Add one finding; the same vulnerability × package again keeps the highest severity and a fix."""
        if not vuln:
            return
        key = (vuln, package)
        old = self.findings.get(key)
        if old is None:
            self.findings[key] = {
                "id": vuln,
                "severity": level,
                "package": package,
                "installed": installed,
                "fixed": fixed,
                "reported_first_seen": first_seen,
            }
            return
        if SEVERITIES.index(level) < SEVERITIES.index(old["severity"]):
            old["severity"] = level
        old["fixed"] = old["fixed"] or fixed
        if first_seen and (not old["reported_first_seen"] or first_seen < old["reported_first_seen"]):
            old["reported_first_seen"] = first_seen


def by_id(artifacts: Iterable[Artifact]) -> dict[str, Artifact]:
    """Artifacts by id; one file naming the same artifact twice keeps its findings together."""
    out: dict[str, Artifact] = {}
    for artifact in artifacts:
        kept = out.setdefault(artifact.id, artifact)
        if kept is not artifact:
            for f in artifact.findings.values():
                kept.find(f["id"], f["package"], f["severity"], f["installed"], f["fixed"], f["reported_first_seen"])
    return out
