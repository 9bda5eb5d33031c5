"""Detection and vulnerabilities: Defender plans, a security contact, vulnerability and recommendation ages."""

from __future__ import annotations

from trustsweep.plugin import (
    CheckContext,
    Outcome,
    Resource,
    check,
    errored,
    failed,
    not_applicable,
    parse_time,
    passed,
    setting,
)

from .. import types as T
from ..settings import SLA

PLANS = ("VirtualMachines", "SqlServers", "StorageAccounts", "Containers", "KeyVaults")


@check(
    "azure.defender.plans_enabled",
    title="Defender for Cloud plans are on (servers, SQL, storage, containers, Key Vault)",
    types=T.DEFENDER,
    severity="high",
    rationale="Threat detection needs the Defender plans.",
    remediation="Set the plans' pricing tier to Standard.",
    settings={"required_plans": setting("list[str]", PLANS, "Defender plans that must be on (Standard tier)")},
)
def defender_plans_enabled(resource: Resource, ctx: CheckContext) -> Outcome:
    plans = resource.properties.get("plans") or {}
    required = list(ctx.setting("required_plans"))
    off = [p for p in required if str(plans.get(p, "")).lower() != "standard"]
    if off:
        return failed(f"Defender plans not on: {', '.join(off)}", plans=plans)
    return passed(f"Defender plans on: {', '.join(required)}")


@check(
    "azure.defender.security_contact",
    title="A security contact receives Defender alerts",
    types=T.CONTACTS,
    severity="medium",
    rationale="Alerts nobody receives are not acted on.",
    remediation="Set security contact emails in Defender for Cloud environment settings.",
)
def defender_security_contact(resource: Resource, ctx: CheckContext) -> Outcome:
    usable = [
        c
        for c in resource.properties.get("contacts") or []
        if str(c.get("emails") or "").strip() and c.get("enabled") is not False
    ]
    if usable:
        return passed("a security contact receives Defender alerts", contacts=[c["name"] for c in usable])
    return failed("no security contact with an email address is set")


def _open_within_deadline(resource: Resource, ctx: CheckContext, what: str) -> Outcome:
    """A finding against the Critical / High remediation deadlines (settings critical_days, high_days)."""
    props = resource.properties
    if str(props.get("status")).lower() == "healthy":
        return passed(f"the {what} is remediated")
    severity = str(props.get("severity") or "").lower()
    limits = {"critical": ctx.setting("critical_days"), "high": ctx.setting("high_days")}
    if severity not in limits:
        return not_applicable(f"severity {props.get('severity')} has no remediation deadline")
    first = parse_time(props.get("first_evaluated") or props.get("time_generated"))
    if first is None:
        return errored("the finding carries no date")
    age = (ctx.now - first).days
    if age > limits[severity]:
        return failed(
            f"{props.get('severity')} {what} open {age} days (limit {limits[severity]})",
            resource=props.get("resource_id"),
            age_days=age,
        )
    return passed(f"{props.get('severity')} {what} open {age} days (limit {limits[severity]})", age_days=age)


@check(
    "azure.defender.vulnerability_sla",
    title="No Critical vulnerability open > 7 days nor High > 30 days",
    types=T.SUB_ASSESSMENT,
    severity="high",
    rationale="Known vulnerabilities must be fixed within agreed deadlines.",
    remediation="Patch the affected resource; thresholds are settings critical_days and high_days.",
    settings=SLA,
)
def defender_vulnerability_sla(resource: Resource, ctx: CheckContext) -> Outcome:
    return _open_within_deadline(resource, ctx, "vulnerability")


@check(
    "azure.defender.recommendation_sla",
    title="No High Defender recommendation unhealthy > 30 days",
    types=T.ASSESSMENT,
    severity="medium",
    rationale="Security recommendations left open are known, unmitigated risks.",
    remediation="Remediate the recommendation or exempt it with a reason; the deadline is setting high_days.",
    settings=SLA,
)
def defender_recommendation_sla(resource: Resource, ctx: CheckContext) -> Outcome:
    return _open_within_deadline(resource, ctx, "recommendation")
