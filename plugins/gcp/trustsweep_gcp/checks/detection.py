"""Detection and vulnerabilities: Security Command Center findings are remediated in time."""

from __future__ import annotations

from trustsweep.plugin import CheckContext, Outcome, Resource, check, failed, parse_time, passed

from .. import types as T
from ..settings import days


@check(
    "gcp.scc.findings_remediated",
    title="No CRITICAL finding open > 7 days nor HIGH > 30 days",
    types=T.SCC_FINDINGS,
    severity="high",
    rationale="Known vulnerabilities left open are the usual way in.",
    remediation="Remediate or mute (with a recorded reason) Security Command Center findings within the window.",
    settings={
        "critical_days": days(7, "days a CRITICAL finding may stay open"),
        "high_days": days(30, "days a HIGH finding may stay open"),
    },
)
def scc_findings_remediated(resource: Resource, ctx: CheckContext) -> Outcome:
    """No active CRITICAL finding older than critical_days nor HIGH older than high_days."""
    limits = {"CRITICAL": ctx.setting("critical_days"), "HIGH": ctx.setting("high_days")}
    overdue = []
    for finding in resource.properties.get("findings") or []:
        limit = limits.get(finding.get("severity", ""))
        if limit is None:
            continue
        created = parse_time(finding.get("created"))
        age = (ctx.now - created).days if created else None
        if age is None or age > limit:
            overdue.append(
                f"{finding.get('severity')} {finding.get('category')} on {finding.get('resource')} "
                f"open {age if age is not None else '?'} days"
            )
    counts = resource.properties.get("counts") or {}
    if overdue:
        return failed(f"{len(overdue)} finding(s) open past the remediation window", overdue=overdue, counts=counts)
    return passed(
        f"no CRITICAL finding open > {limits['CRITICAL']} days nor HIGH > {limits['HIGH']} days", counts=counts
    )
