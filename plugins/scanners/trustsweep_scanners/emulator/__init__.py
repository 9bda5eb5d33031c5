"""The demo estate: Northwind's scanner reports written to a folder (a scanner's output is the input).

:func:`trivy_report`, :func:`grype_report` and :func:`snyk_report` build reports in each tool's JSON
shape (the fields the plugin reads and the ones around them); tests use them to write reports
of their own. A finding is ``(id, package, severity, fixed version or "", first seen or None)``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from trustsweep.plugin import DemoEnv

Finding = tuple[str, str, str, str, "dt.datetime | None"]


def _z(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def trivy_report(image: str, findings: Sequence[Finding], scanned: dt.datetime) -> dict[str, Any]:
    """``trivy image --format json IMAGE`` (schema version 2)."""
    vulns = []
    for cve, pkg, severity, fixed, first_seen in findings:
        v = {
            "VulnerabilityID": cve,
            "PkgID": f"{pkg}@1.0.0-1",
            "PkgName": pkg,
            "InstalledVersion": "1.0.0-1",
            "FixedVersion": fixed,
            "Status": "fixed" if fixed else "affected",
            "Layer": {"DiffID": "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"},
            "SeveritySource": "debian",
            "PrimaryURL": f"https://avd.aquasec.com/nvd/{cve.lower()}",
            "Title": f"{pkg}: vulnerability",
            "Severity": severity,
            "PublishedDate": "2024-03-01T15:15:00Z",
        }
        if first_seen is not None:
            v["FirstSeen"] = _z(first_seen)
        vulns.append(v)
    return {
        "SchemaVersion": 2,
        "CreatedAt": scanned.isoformat(),
        "ArtifactName": image,
        "ArtifactType": "container_image",
        "Metadata": {"OS": {"Family": "debian", "Name": "12.5"}, "ImageID": "sha256:" + "1" * 64, "RepoTags": [image]},
        "Results": [
            {"Target": f"{image} (debian 12.5)", "Class": "os-pkgs", "Type": "debian", "Vulnerabilities": vulns}
        ],
    }


def grype_report(image: str, findings: Sequence[Finding], scanned: dt.datetime) -> dict[str, Any]:
    """``grype IMAGE -o json``."""
    matches = [
        {
            "vulnerability": {
                "id": cve,
                "dataSource": f"https://security-tracker.debian.org/tracker/{cve}",
                "namespace": "debian:distro:debian:12",
                "severity": severity.capitalize(),
                "urls": [],
                "fix": {"versions": [fixed] if fixed else [], "state": "fixed" if fixed else "not-fixed"},
                "advisories": [],
            },
            "relatedVulnerabilities": [],
            "matchDetails": [{"type": "exact-indirect-match", "matcher": "dpkg-matcher"}],
            "artifact": {
                "id": f"{pkg}-id",
                "name": pkg,
                "version": "2.1.0-3",
                "type": "deb",
                "locations": [],
                "language": "",
                "licenses": [],
                "cpes": [],
                "purl": f"pkg:deb/debian/{pkg}@2.1.0-3",
            },
        }
        for cve, pkg, severity, fixed, _ in findings
    ]
    return {
        "matches": matches,
        "source": {
            "type": "image",
            "target": {
                "userInput": image,
                "imageID": "sha256:" + "2" * 64,
                "tags": [image],
                "architecture": "amd64",
                "os": "linux",
            },
        },
        "distro": {"name": "debian", "version": "12", "idLike": []},
        "descriptor": {
            "name": "grype",
            "version": "0.79.3",
            "configuration": {"output": ["json"]},
            "db": {"built": _z(scanned - dt.timedelta(hours=6)), "schemaVersion": 5},
            "timestamp": scanned.isoformat(),
        },
    }


def snyk_report(project: str, findings: Sequence[Finding], target_file: str = "package-lock.json") -> dict[str, Any]:
    """``snyk test --json`` of an npm project (Snyk writes no scan time: the file's mtime counts)."""
    vulns = [
        {
            "id": ident,
            "title": f"{pkg}: vulnerability",
            "severity": severity.lower(),
            "packageName": pkg,
            "name": pkg,
            "version": "4.17.15",
            "from": [f"{project}@1.0.0", f"{pkg}@4.17.15"],
            "upgradePath": [False, f"{pkg}@{fixed}"] if fixed else [],
            "isUpgradable": bool(fixed),
            "isPatchable": False,
            "fixedIn": [fixed] if fixed else [],
            "language": "js",
            "packageManager": "npm",
            "identifiers": {"CVE": [], "CWE": ["CWE-1321"]},
            "publicationTime": "2020-04-28T14:32:13Z",
        }
        for ident, pkg, severity, fixed, _ in findings
    ]
    return {
        "vulnerabilities": vulns,
        "ok": not vulns,
        "dependencyCount": 312,
        "org": "northwind",
        "isPrivate": True,
        "packageManager": "npm",
        "summary": f"{len(vulns)} vulnerable dependency paths",
        "uniqueCount": len(vulns),
        "projectName": project,
        "displayTargetFile": target_file,
        "path": f"/builds/{project}",
    }


def write(path: Path, doc: Any, mtime: dt.datetime | None = None) -> Path:
    """Write a report as JSON (and set its modification time)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    if mtime is not None:
        os.utime(path, (mtime.timestamp(), mtime.timestamp()))
    return path


def write_estate(folder: Path, now: dt.datetime) -> list[Path]:
    """Northwind's reports: a CRITICAL fix pending 12 days (api), a stale report with an old HIGH
    (legacy), an image and projects within every SLA (web, billing, the storefront monorepo)."""
    day = dt.timedelta(days=1)
    hour = dt.timedelta(hours=1)
    return [
        write(
            folder / "trivy" / "api.json",
            trivy_report(
                "registry.example/northwind/api:1.4.2",
                [
                    ("CVE-2024-6387", "openssh-server", "CRITICAL", "1:9.2p1-2+deb12u3", now - 12 * day),
                    ("CVE-2024-2511", "openssl", "HIGH", "3.0.13-1~deb12u1", now - 3 * day),
                    ("CVE-2023-4911", "libc6", "CRITICAL", "", now - 40 * day),
                ],
                now - hour,
            ),
        ),
        write(
            folder / "trivy" / "legacy.json",
            trivy_report(
                "registry.example/northwind/legacy-admin:0.9",
                [("CVE-2023-44487", "nghttp2", "HIGH", "1.52.0-1+deb12u1", None)],
                now - 40 * day,
            ),
        ),
        write(
            folder / "grype" / "web.json",
            grype_report(
                "registry.example/northwind/web:2.0.0",
                [
                    ("CVE-2024-45490", "libexpat1", "High", "2.5.0-1+deb12u1", None),
                    ("CVE-2024-28182", "libnghttp2-14", "Medium", "1.52.0-1+deb12u2", None),
                ],
                now - 2 * hour,
            ),
        ),
        write(
            folder / "snyk" / "billing.json",
            snyk_report(
                "northwind-billing",
                [
                    ("SNYK-JS-LODASH-567746", "lodash", "high", "4.17.16", None),
                    ("SNYK-JS-MINIMIST-559764", "minimist", "medium", "1.2.3", None),
                ],
            ),
            now - hour,
        ),
        write(
            folder / "snyk" / "storefront.json",
            [
                snyk_report("northwind-storefront", [("SNYK-JS-SEMVER-3247795", "semver", "low", "7.5.2", None)]),
                snyk_report("northwind-storefront", [], target_file="admin/package-lock.json"),
            ],
            now - hour,
        ),
    ]


@contextmanager
def demo_emulator(workdir: Path) -> Iterator[DemoEnv]:
    """The estate in ``workdir/northwind``, swept as the target ``northwind`` (a stable id)."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    write_estate(workdir / "northwind", now)
    yield DemoEnv(
        targets=["northwind"],
        options={"root": str(workdir)},
        description="Trivy, Grype and Snyk reports of Northwind's images and projects",
    )
