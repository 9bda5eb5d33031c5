"""The demo estate: two Trivy reports written to a folder (Trivy has no API to fake; its output is the input)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from trustsweep.plugin import DemoEnv


def report(image: str, vulnerabilities: list[tuple[str, str, str, str, int]], now: dt.datetime) -> dict[str, Any]:
    """A Trivy JSON report of ``image``: (CVE, package, severity, fixed version, days since published) each."""
    return {
        "SchemaVersion": 2,
        "CreatedAt": now.isoformat(),
        "ArtifactName": image,
        "ArtifactType": "container_image",
        "Results": [
            {
                "Target": f"{image} (debian 12.5)",
                "Class": "os-pkgs",
                "Vulnerabilities": [
                    {
                        "VulnerabilityID": cve,
                        "PkgName": pkg,
                        "InstalledVersion": "1.0",
                        "FixedVersion": fixed,
                        "Severity": severity,
                        "PublishedDate": (now - dt.timedelta(days=age)).isoformat(),
                    }
                    for cve, pkg, severity, fixed, age in vulnerabilities
                ],
            }
        ],
    }


@contextmanager
def demo_emulator(workdir: Path) -> Iterator[DemoEnv]:
    """Northwind's API image (a CRITICAL fix pending 12 days) and its web image (within the SLAs)."""
    now = dt.datetime.now(dt.UTC)
    workdir.mkdir(parents=True, exist_ok=True)
    reports = {
        "api.json": report(
            "registry.example/northwind/api:1.4.2",
            [("CVE-2024-0001", "openssl", "CRITICAL", "3.0.13", 12), ("CVE-2024-0002", "zlib", "HIGH", "1.3.1", 3)],
            now,
        ),
        "web.json": report(
            "registry.example/northwind/web:2.0.0", [("CVE-2024-0003", "tar", "CRITICAL", "", 400)], now
        ),
    }
    for name, body in reports.items():
        (workdir / name).write_text(json.dumps(body), encoding="utf-8")
    yield DemoEnv(
        targets=[str(workdir / name) for name in reports], description="two Trivy reports of Northwind images"
    )
