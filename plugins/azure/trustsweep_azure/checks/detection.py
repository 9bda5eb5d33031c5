"""Detection and vulnerabilities: Defender plans, a security contact, vulnerability ages."""

from __future__ import annotations

from trustsweep.model import Outcome, Resource, errored, failed, not_applicable, passed
from trustsweep.provider import CheckContext

from .. import types as T
from ._util import parse_time

def defender_plans(resource: Resource, ctx: CheckContext) -> Outcome:
    plans = resource.properties.get("plans") or {}
    required = list(ctx.setting("required_plans"))
    off = [p for p in required if str(plans.get(p, "")).lower() != "standard"]
    if off:
        return failed(f"Defender plans not on: {', '.join(off)}", plans=plans)
    return passed(f"Defender plans on: {', '.join(required)}")


def security_contact(resource: Resource, ctx: CheckContext) -> Outcome:
    usable = [c for c in resource.properties.get("contacts") or []
              if str(c.get("emails") or "").strip() and c.get("isEnabled") is not False]
    if usable:
        return passed("a security contact receives Defender alerts", contacts=[c["name"] for c in usable])
    return failed("no security contact with an email address is set")


def vulnerability_sla(resource: Resource, ctx: CheckContext) -> Outcome:
    """Vulnerability sub-assessments and recommendations (assessments) against remediation deadlines."""
    props = resource.properties
    what = "recommendation" if resource.type == T.ASSESSMENT else "vulnerability"
    if str(props.get("status")).lower() == "healthy":
        return passed(f"the {what} is remediated")
    severity = str(props.get("severity") or "").lower()
    limits = {"critical": ctx.setting("critical_days"), "high": ctx.setting("high_days")}
    if severity not in limits:
        return not_applicable(f"severity {props.get('severity')} has no remediation deadline")
    first = parse_time(props.get("firstEvaluationDate") or props.get("timeGenerated"))
    if first is None:
        return errored("the finding carries no date")
    age = (ctx.now - first).days
    if age > limits[severity]:
        return failed(f"{props.get('severity')} {what} open {age} days (limit {limits[severity]})",
                      resource=props.get("resource"), age_days=age)
    return passed(f"{props.get('severity')} {what} open {age} days (limit {limits[severity]})", age_days=age)
