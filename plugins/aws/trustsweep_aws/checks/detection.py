"""Threat detection and vulnerability management."""

from __future__ import annotations

from trustsweep.plugin import CheckContext, Outcome, Resource, check, days_since, failed, passed

from .common import days


@check(
    "aws.guardduty.enabled",
    title="GuardDuty is enabled in every region",
    types="aws.guardduty.region",
    severity="high",
    rationale="Threat detection must cover every region an attacker could use.",
    remediation="Enable GuardDuty (organisation-wide).",
)
def guardduty_enabled(r: Resource, ctx: CheckContext) -> Outcome:
    enabled = [d for d in r.properties.get("detectors") or [] if d.get("status") == "ENABLED"]
    if enabled:
        return passed(f"GuardDuty detector enabled in {r.region}", detector=enabled[0]["id"])
    return failed(f"GuardDuty not enabled in {r.region}")


@check(
    "aws.securityhub.enabled",
    title="Security Hub is enabled in every region",
    types="aws.securityhub.region",
    severity="medium",
    rationale="Findings must be aggregated and triaged.",
    remediation="Enable Security Hub in every region.",
)
def securityhub_enabled(r: Resource, ctx: CheckContext) -> Outcome:
    if r.properties.get("enabled"):
        return passed(f"Security Hub enabled in {r.region}")
    return failed(f"Security Hub not enabled in {r.region}")


@check(
    "aws.inspector2.enabled",
    title="Inspector is enabled in every region",
    types="aws.inspector2.region",
    severity="high",
    rationale="Vulnerabilities must be found continuously.",
    remediation="Enable Amazon Inspector for EC2, ECR and Lambda.",
)
def inspector2_enabled(r: Resource, ctx: CheckContext) -> Outcome:
    status = r.properties.get("status") or "DISABLED"
    if status == "ENABLED":
        return passed(f"Inspector enabled in {r.region}", resource_status=r.properties.get("resource_status"))
    return failed(f"Inspector {status.lower()} in {r.region}")


@check(
    "aws.inspector2.findings_sla",
    title="No CRITICAL finding open over 7 days nor HIGH over 30",
    types="aws.inspector2.region",
    severity="high",
    rationale="Known vulnerabilities must be fixed within policy deadlines.",
    remediation="Patch or remediate; thresholds are settings critical_days and high_days.",
    settings={
        "critical_days": days(7, "days a CRITICAL finding may stay open"),
        "high_days": days(30, "days a HIGH finding may stay open"),
    },
)
def inspector2_findings_sla(r: Resource, ctx: CheckContext) -> Outcome:
    limits = {"CRITICAL": ctx.setting("critical_days"), "HIGH": ctx.setting("high_days")}
    if (r.properties.get("status") or "DISABLED") != "ENABLED":
        return failed("Inspector is not enabled: vulnerabilities are not being found")
    late = []
    for f in r.properties.get("findings") or []:
        limit = limits.get(f.get("severity", ""))
        age = days_since(f.get("first_observed"), ctx.now)
        if limit is not None and age is not None and age > limit:
            late.append({"finding": f.get("arn"), "severity": f["severity"], "age_days": round(age, 1)})
    if late:
        return failed(
            f"{len(late)} finding(s) open past their deadline "
            f"(CRITICAL {limits['CRITICAL']} d, HIGH {limits['HIGH']} d)",
            late=late,
        )
    return passed("no CRITICAL or HIGH finding open past its deadline", open=len(r.properties.get("findings") or []))


@check(
    "aws.ecr.scan_on_push",
    title="ECR images are scanned on push",
    types="aws.ecr.repository",
    severity="medium",
    rationale="Images must be scanned before they run.",
    remediation="Enable scan on push or an enhanced scanning rule for all repositories.",
)
def ecr_scan_on_push(r: Resource, ctx: CheckContext) -> Outcome:
    if r.properties.get("scan_on_push"):
        return passed("scan on push enabled")
    for rule in r.properties.get("registry_rules") or []:
        if rule.get("frequency") in ("SCAN_ON_PUSH", "CONTINUOUS_SCAN") and "*" in (rule.get("filters") or []):
            return passed(f"registry scanning rule {rule['frequency']} covers every repository")
    return failed("images are not scanned on push")
