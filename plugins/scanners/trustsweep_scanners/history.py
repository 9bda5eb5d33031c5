"""Across runs: when each finding was first seen, and which findings were fixed since the last sweep.

The clock of a finding (vulnerability × package × artifact) starts at the earliest of

1. the first-seen time the report itself gives (``FirstSeen``/``firstSeen``, written by pipelines
   that track findings; none of the three scanners writes one), and
2. the first-seen time recorded for it in the previous stored sweep of the same artifact, which
   carried its own first-seen forward the same way;

and the report's scan time (the finding was there then at the latest: this alone when neither says;
``seen_from``: ``report``, ``history``, ``scan``).
A finding open in the previous record and absent from a newer report is *remediated*: it took
from its first-seen time to this report's scan time. A finding that disappears and comes back
starts a new clock.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from trustsweep.plugin import Sighting, iso, parse_time

from .collect.artifact import SEVERITIES, Artifact


def slim(sighting: Sighting) -> dict[str, Any]:
    """What a unit needs of the previous record of its artifact (small and picklable)."""
    props = sighting.properties
    findings = []
    for f in props.get("findings") or ():
        if isinstance(f, dict) and isinstance(f.get("id"), str) and parse_time(f.get("first_seen")) is not None:
            findings.append(
                {
                    "id": f["id"],
                    "package": str(f.get("package") or ""),
                    "severity": f.get("severity") if f.get("severity") in SEVERITIES else "UNKNOWN",
                    "fixed": str(f.get("fixed") or ""),
                    "first_seen": iso(f["first_seen"]),
                }
            )
    return {
        "sweep": sighting.sweep,
        "at": iso(sighting.at),
        "scanned_at": iso(props.get("scanned_at")),
        "findings": findings,
    }


#: what a time that cannot be read sorts as: after every real one, so it never wins "earliest"
_NEVER = dt.datetime.max.replace(tzinfo=dt.UTC)


def _when(value: Any) -> dt.datetime:
    return parse_time(value) or _NEVER


def _days(start: str | None, end: str | None) -> float | None:
    a, b = parse_time(start), parse_time(end)
    return None if a is None or b is None else round((b - a).total_seconds() / 86400, 1)


def merge(
    artifact: Artifact, prior: dict[str, Any] | None, scanned_at: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The artifact's findings with their first-seen time, and the previous record's fixed ones."""
    before = {(f["id"], f["package"]): f for f in (prior or {}).get("findings", ())}
    findings = []
    for key, f in sorted(artifact.findings.items()):
        reported, earlier = f["reported_first_seen"], before.get(key, {}).get("first_seen")
        candidates = [
            (t, source) for t, source in ((reported, "report"), (earlier, "history"), (scanned_at, "scan")) if t
        ]
        first, source = min(candidates, key=lambda c: _when(c[0]))  # the earliest; ties: report, history
        findings.append(
            {
                "id": f["id"],
                "severity": f["severity"],
                "package": f["package"],
                "installed": f["installed"],
                "fixed": f["fixed"],
                "first_seen": first,
                "seen_from": source,
            }
        )
    remediated = []
    # a fix is seen only in a report newer than the previous record's (an unknown time counts as older)
    newer = prior is not None and (
        parse_time(prior.get("scanned_at")) is None or _when(prior["scanned_at"]) < _when(scanned_at)
    )
    if newer:
        for key, f in sorted(before.items()):
            if key not in artifact.findings:
                remediated.append({**f, "remediated_at": scanned_at, "days": _days(f["first_seen"], scanned_at)})
    return findings, remediated
