"""The Trivy provider: each target is a report file; one unit of work reads it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from trustsweep.errors import UserError
from trustsweep.model import Collected, Resource, Target, WorkUnit
from trustsweep.provider import Provider

TYPES = ("trivy.artifact",)


class TrivyProvider(Provider):
    name = "trivy"

    def targets(self, requested: Sequence[str]) -> list[Target]:
        paths = [*requested, *(self.options.get("report") or [])]
        if not paths:
            raise UserError("the trivy provider needs a report: --target REPORT.json or --trivy-report REPORT.json")
        return [Target("trivy", str(Path(p)), name=Path(p).name) for p in paths]

    def work(self, target: Target, regions: Sequence[str]) -> list[WorkUnit]:
        return [WorkUnit("trivy", target, "global", "report", "trustsweep_trivy.provider:collect", TYPES)]


def _date(value: object) -> str:
    if not isinstance(value, str) or not value:
        return ""
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return ""
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)).isoformat()


def collect(unit: WorkUnit) -> Collected:
    """Parse one Trivy JSON report into one resource per scanned artifact."""
    path = Path(unit.target.id)
    raw = path.read_bytes()
    report = json.loads(raw)
    name = report.get("ArtifactName") or path.name
    vulns = []
    for result in report.get("Results") or []:
        for v in result.get("Vulnerabilities") or []:
            vulns.append({
                "id": v.get("VulnerabilityID", ""),
                "severity": str(v.get("Severity", "UNKNOWN")).upper(),
                "package": v.get("PkgName", ""),
                "installed": v.get("InstalledVersion", ""),
                "fixed": v.get("FixedVersion", ""),
                "since": _date(v.get("FirstSeen")) or _date(v.get("PublishedDate")),
                "target": result.get("Target", ""),
            })
    resource = Resource(
        provider="trivy", target=unit.target.id, region="global", type="trivy.artifact",
        id=f"trivy:{report.get('ArtifactType', 'artifact')}:{name}",
        name=name,
        properties={"report_sha256": hashlib.sha256(raw).hexdigest(), "created_at": _date(report.get("CreatedAt")),
                    "vulnerabilities": vulns},
    )
    return Collected(unit, resources=[resource])
