"""Remediation-SLA checks: pure functions over the parsed report."""

from __future__ import annotations

import datetime as dt

from trustsweep.model import Outcome, Resource, failed, passed
from trustsweep.provider import CheckContext


def _sla(resource: Resource, ctx: CheckContext, severity: str, default_days: int) -> Outcome:
    limit = int(ctx.setting("max_days", default_days))
    overdue = []
    for v in resource.properties.get("vulnerabilities", []):
        if v["severity"] != severity or not v["fixed"] or not v["since"]:
            continue
        age = (ctx.now - dt.datetime.fromisoformat(v["since"])).days
        if age > limit:
            overdue.append(f"{v['id']} in {v['package']} ({age} days)")
    if overdue:
        return failed(f"{len(overdue)} fixable {severity} vulnerabilities open longer than {limit} days",
                      overdue=overdue, max_days=limit)
    return passed(f"no fixable {severity} vulnerability open longer than {limit} days", max_days=limit)


def critical_sla(resource: Resource, ctx: CheckContext) -> Outcome:
    return _sla(resource, ctx, "CRITICAL", 7)


def high_sla(resource: Resource, ctx: CheckContext) -> Outcome:
    return _sla(resource, ctx, "HIGH", 30)
