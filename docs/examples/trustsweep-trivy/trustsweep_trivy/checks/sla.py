"""Remediation SLAs: pure functions over the parsed report."""

from __future__ import annotations

from trustsweep.plugin import CheckContext, Outcome, Resource, check, days_since, failed, passed, setting

RATIONALE = "Remediation SLAs show vulnerabilities are handled in time (CC7.1)."
REMEDIATION = "Upgrade the affected packages to the fixed versions and rebuild the image."


def _max_days(default: int) -> dict[str, object]:
    return {"max_days": setting("int", default, "days a fixable vulnerability may stay open", min=1, max=3653)}


def _sla(resource: Resource, ctx: CheckContext, severity: str) -> Outcome:
    limit = ctx.setting("max_days")
    overdue = []
    for v in resource.properties.get("vulnerabilities", []):
        age = days_since(v.get("since"), ctx.now)
        if v.get("severity") == severity and v.get("fixed") and age is not None and age > limit:
            overdue.append(f"{v['id']} in {v['package']} ({int(age)} days)")
    if overdue:
        return failed(
            f"{len(overdue)} fixable {severity} vulnerabilities open longer than {limit} days",
            overdue=overdue,
            max_days=limit,
        )
    return passed(f"no fixable {severity} vulnerability open longer than {limit} days", max_days=limit)


@check(
    "trivy.vuln.critical_sla",
    title="No fixable CRITICAL vulnerability open longer than 7 days",
    types="trivy.artifact",
    severity="critical",
    rationale=RATIONALE,
    remediation=REMEDIATION,
    settings=_max_days(7),
)
def vuln_critical_sla(resource: Resource, ctx: CheckContext) -> Outcome:
    return _sla(resource, ctx, "CRITICAL")


@check(
    "trivy.vuln.high_sla",
    title="No fixable HIGH vulnerability open longer than 30 days",
    types="trivy.artifact",
    severity="high",
    rationale=RATIONALE,
    remediation=REMEDIATION,
    settings=_max_days(30),
)
def vuln_high_sla(resource: Resource, ctx: CheckContext) -> Outcome:
    return _sla(resource, ctx, "HIGH")
