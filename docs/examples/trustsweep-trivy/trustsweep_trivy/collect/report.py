"""Read one Trivy JSON report into one ``trivy.artifact`` resource.

Properties: ``report_sha256`` (str), ``created_at`` (ISO time or None), ``vulnerabilities``: a list of
``{id, severity, package, installed, fixed, since, target}`` (``since``: first seen, else published).
"""

from __future__ import annotations

import hashlib
import json

from trustsweep.plugin import Collector, iso, read_bytes

ARTIFACT = "trivy.artifact"
TYPES = (ARTIFACT,)


def collect(ctx: Collector) -> None:
    raw = read_bytes(ctx.target.id)
    report = json.loads(raw)
    name = report.get("ArtifactName") or ctx.target.name
    vulnerabilities = [
        {
            "id": v.get("VulnerabilityID", ""),
            "severity": str(v.get("Severity", "UNKNOWN")).upper(),
            "package": v.get("PkgName", ""),
            "installed": v.get("InstalledVersion", ""),
            "fixed": v.get("FixedVersion", ""),
            "since": iso(v.get("FirstSeen")) or iso(v.get("PublishedDate")),
            "target": result.get("Target", ""),
        }
        for result in report.get("Results") or []
        for v in result.get("Vulnerabilities") or []
    ]
    ctx.add(
        ARTIFACT,
        f"trivy:{report.get('ArtifactType', 'artifact')}:{name}",
        name,
        report_sha256=hashlib.sha256(raw).hexdigest(),
        created_at=iso(report.get("CreatedAt")),
        vulnerabilities=vulnerabilities,
    )
