"""Detection and vulnerabilities: Security Command Center findings are remediated in time."""

from __future__ import annotations

from trustsweep.model import Outcome, Resource, failed, passed
from trustsweep.provider import CheckContext

from ._util import parse_time


def findings_age(resource: Resource, ctx: CheckContext) -> Outcome:
    """No active CRITICAL finding older than critical_days (7) nor HIGH older than high_days (30)."""
    limits = {"CRITICAL": ctx.setting("critical_days"), "HIGH": ctx.setting("high_days")}
    overdue = []
    for finding in resource.properties.get("findings") or []:
        created = parse_time(finding.get("created"))
        limit = limits.get(finding.get("severity", ""))
        if limit is None:
            continue
        age = (ctx.now - created).days if created else None
        if age is None or age > limit:
            overdue.append(f"{finding.get('severity')} {finding.get('category')} on {finding.get('resource')} "
                           f"open {age if age is not None else '?'} days")
    counts = resource.properties.get("counts") or {}
    if overdue:
        return failed(f"{len(overdue)} finding(s) open past the remediation window", overdue=overdue, counts=counts)
    return passed(f"no CRITICAL finding open > {limits['CRITICAL']} days nor HIGH > {limits['HIGH']} days",
                  counts=counts)
