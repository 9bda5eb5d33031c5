"""Report freshness: an SLA judged on an old report proves nothing about today."""

from __future__ import annotations

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


@check(
    "scanners.report.recent",
    title="Each artifact was scanned within the last 7 days",
    types=ARTIFACT,
    severity="medium",
    rationale="Regular scans detect new vulnerabilities; SLAs judged on a stale report say nothing about now (CC7.1, CC4.1).",
    remediation="Scan the artifact on a schedule (e.g. nightly in CI) and keep the latest report where the sweep reads it.",
    settings={"max_age_days": setting("int", 7, "days since the artifact's latest scan", min=1, max=3653)},
)
def report_recent(resource: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(resource, "scanned_at")) is not None:
        return bad
    limit = ctx.setting("max_age_days")
    age = days_since(resource.properties.get("scanned_at"), ctx.now)
    if age is None:
        return errored("the report has no scan time")
    report = resource.properties.get("report", "")
    if age > limit:
        return failed(
            f"latest scan {int(age)} days old (more than {limit})", report=report, age_days=int(age), max_age_days=limit
        )
    return passed(f"scanned {int(age)} days ago (within {limit})", report=report, age_days=int(age), max_age_days=limit)
