"""Remediation SLAs per severity: open findings past their deadline, and fixes that came late.

Each check reads the ``findings`` and ``remediated`` properties of a ``scanners.artifact``
(:mod:`trustsweep_scanners.collect.artifact`). A finding's age runs from its first-seen time
(carried across sweeps by the evidence store) to the evaluation time.
"""

from __future__ import annotations

from typing import Any

from trustsweep.plugin import (
    CheckContext,
    Outcome,
    Resource,
    check,
    days_since,
    errored,
    failed,
    passed,
    setting,
    unread,
)

from ..collect.artifact import ARTIFACT

RATIONALE = (
    "Vulnerabilities found by scanners are remediated within the documented SLA, shown per finding "
    "from the first time it was seen (CC7.1, CC3.2, CC4.1)."
)
REMEDIATION = (
    "Upgrade the affected packages to a fixed version and rebuild, or record an approved exception (a waiver)."
)
#: findings named in a reason or evidence list at most
SHOWN = 20


def _settings(days: int) -> dict[str, Any]:
    return {
        "max_days": setting("int", days, "days a finding may stay open from its first-seen time", min=1, max=3653),
        "fixable_only": setting("bool", True, "judge only findings with a fixed version available"),
    }


def _name(f: dict[str, Any], days: float) -> str:
    return f"{f.get('id')} in {f.get('package') or '?'} ({int(days)} days)"


def _sla(resource: Resource, ctx: CheckContext, level: str) -> Outcome:
    if (bad := unread(resource, "findings", "remediated")) is not None:
        return bad
    limit, fixable_only = ctx.setting("max_days"), ctx.setting("fixable_only")
    judged = [
        f
        for f in resource.properties.get("findings") or ()
        if f.get("severity") == level and (f.get("fixed") or not fixable_only)
    ]
    overdue, undated = [], []
    for f in judged:
        age = days_since(f.get("first_seen"), ctx.now)
        if age is None:
            undated.append(str(f.get("id")))
        elif age > limit:
            overdue.append(_name(f, age))
    if undated:
        return errored(f"{len(undated)} {level} finding(s) have no first-seen time", findings=undated[:SHOWN])
    fixed = [
        f
        for f in resource.properties.get("remediated") or ()
        if f.get("severity") == level and (f.get("fixed") or not fixable_only)
    ]
    late = [_name(f, f["days"]) for f in fixed if isinstance(f.get("days"), (int, float)) and f["days"] > limit]
    in_time = [_name(f, f["days"]) for f in fixed if isinstance(f.get("days"), (int, float)) and f["days"] <= limit]
    which = "fixable " if fixable_only else ""
    if overdue or late:
        parts = [f"{len(overdue)} {which}{level} finding(s) open longer than {limit} days"] if overdue else []
        parts += [f"{len(late)} {level} finding(s) remediated after more than {limit} days"] if late else []
        shown = (overdue + late)[:3]
        return failed(
            "; ".join(parts) + f": {', '.join(shown)}{' …' if len(overdue) + len(late) > 3 else ''}",
            overdue=overdue[:SHOWN],
            remediated_late=late[:SHOWN],
            remediated_in_time=in_time[:SHOWN],
            max_days=limit,
        )
    reason = f"{len(judged)} {which}{level} finding(s) open, none longer than {limit} days"
    if fixed:
        reason += f"; {len(fixed)} remediated since the previous sweep, each within {limit} days"
    return passed(reason, open=len(judged), remediated_in_time=in_time[:SHOWN], max_days=limit)


@check(
    "scanners.vuln.critical_sla",
    title="No CRITICAL vulnerability open longer than 7 days",
    types=ARTIFACT,
    severity="critical",
    rationale=RATIONALE,
    remediation=REMEDIATION,
    settings=_settings(7),
)
def vuln_critical_sla(resource: Resource, ctx: CheckContext) -> Outcome:
    return _sla(resource, ctx, "CRITICAL")


@check(
    "scanners.vuln.high_sla",
    title="No HIGH vulnerability open longer than 30 days",
    types=ARTIFACT,
    severity="high",
    rationale=RATIONALE,
    remediation=REMEDIATION,
    settings=_settings(30),
)
def vuln_high_sla(resource: Resource, ctx: CheckContext) -> Outcome:
    return _sla(resource, ctx, "HIGH")


@check(
    "scanners.vuln.medium_sla",
    title="No MEDIUM vulnerability open longer than 90 days",
    types=ARTIFACT,
    severity="medium",
    rationale=RATIONALE,
    remediation=REMEDIATION,
    settings=_settings(90),
)
def vuln_medium_sla(resource: Resource, ctx: CheckContext) -> Outcome:
    return _sla(resource, ctx, "MEDIUM")


@check(
    "scanners.vuln.low_sla",
    title="No LOW vulnerability open longer than 180 days",
    types=ARTIFACT,
    severity="low",
    rationale=RATIONALE,
    remediation=REMEDIATION,
    settings=_settings(180),
)
def vuln_low_sla(resource: Resource, ctx: CheckContext) -> Outcome:
    return _sla(resource, ctx, "LOW")
