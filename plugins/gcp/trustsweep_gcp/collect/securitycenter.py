"""The ``securitycenter`` unit: a project's active Security Command Center findings."""

from __future__ import annotations

from typing import Any

from .. import types as T
from .base import GcpCollector

KEPT = ("CRITICAL", "HIGH")  # severities kept in full; the others are only counted


def collect(ctx: GcpCollector) -> None:
    """One resource per project: its CRITICAL and HIGH active findings and the count of each severity."""
    kept: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    pager = ctx.scc().list_findings(
        request={
            "parent": f"projects/{ctx.project}/sources/-",
            "filter": 'state="ACTIVE"',
            "page_size": ctx.findings_page_size,
        },
        retry=ctx.retry(),
        timeout=ctx.conn.read_timeout_seconds,
    )
    for result in pager:
        finding = result.finding
        severity = finding.severity.name
        counts[severity] = counts.get(severity, 0) + 1
        if severity in KEPT:
            created = finding.create_time or finding.event_time
            kept.append(
                {
                    "name": finding.name,
                    "category": finding.category,
                    "severity": severity,
                    "resource": finding.resource_name,
                    "mute": finding.mute.name,
                    "created": created.isoformat() if created else "",
                }
            )
    ctx.add(
        T.SCC_FINDINGS,
        f"//securitycenter.googleapis.com/projects/{ctx.project}/sources/-/findings",
        f"{ctx.project} active findings",
        findings=kept,
        counts=counts,
    )
