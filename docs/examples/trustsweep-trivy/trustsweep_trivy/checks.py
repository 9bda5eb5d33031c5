"""Remediation-SLA checks: pure functions over the parsed report."""

from __future__ import annotations

import datetime as dt

from trustsweep.model import Outcome, Resource, failed, passed
from trustsweep.provider import CheckContext


def _sla(resource: Resource, ctx: CheckContext, severity: str) -> Outcome:
    limit = ctx.setting("max_days")  # declared in plugin.py: an int >= 1, 7 or 30 by default
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
    return _sla(resource, ctx, "CRITICAL")


def high_sla(resource: Resource, ctx: CheckContext) -> Outcome:
    return _sla(resource, ctx, "HIGH")
