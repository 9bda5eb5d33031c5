"""Availability: database backups and resilience, AWS Backup coverage."""

from __future__ import annotations

from trustsweep.plugin import (
    PRODUCTION,
    CheckContext,
    Outcome,
    Resource,
    check,
    errored,
    failed,
    is_production,
    not_applicable,
    passed,
)

from .common import days, matches

INSTANCE = "aws.rds.instance"


@check(
    "aws.rds.backup_retention",
    title="RDS automated backups are kept at least 7 days",
    types=INSTANCE,
    severity="medium",
    rationale="Point-in-time recovery needs backups.",
    remediation="Set the backup retention period to 7 days or more.",
    settings={"min_days": days(7, "minimum automated backup retention in days", most=35)},
)
def rds_backup_retention(r: Resource, ctx: CheckContext) -> Outcome:
    limit = ctx.setting("min_days")
    kept = int(r.properties.get("backup_retention_days") or 0)
    if kept >= limit:
        return passed(f"automated backups kept {kept} days", backup_retention_days=kept)
    return failed(f"automated backups kept {kept} days (< {limit})", backup_retention_days=kept)


@check(
    "aws.rds.deletion_protection",
    title="RDS instances have deletion protection",
    types=INSTANCE,
    severity="medium",
    rationale="One call should not destroy a database.",
    remediation="Enable deletion protection.",
)
def rds_deletion_protection(r: Resource, ctx: CheckContext) -> Outcome:
    if r.properties.get("deletion_protection"):
        return passed("deletion protection on")
    return failed("deletion protection off")


@check(
    "aws.rds.multi_az_production",
    title="Production RDS instances are Multi-AZ",
    types=INSTANCE,
    severity="medium",
    rationale="A zone failure should not take production down.",
    remediation="Convert the instance to Multi-AZ.",
    settings=PRODUCTION,
)
def rds_multi_az_production(r: Resource, ctx: CheckContext) -> Outcome:
    if not is_production(r.properties.get("tags"), ctx):
        return not_applicable("not tagged as production")
    if r.properties.get("multi_az"):
        return passed("production instance is Multi-AZ")
    return failed("production instance is single-AZ")


@check(
    "aws.backup.production_coverage",
    title="Production data stores are covered by an AWS Backup plan",
    types=(INSTANCE, "aws.ec2.volume"),
    severity="medium",
    rationale="Backups must exist for what the business depends on.",
    remediation="Add the resource (or its tag) to a backup plan selection.",
    settings=PRODUCTION,
)
def backup_production_coverage(r: Resource, ctx: CheckContext) -> Outcome:
    """Production-tagged data stores are selected by an AWS Backup plan in their region."""
    if not is_production(r.properties.get("tags"), ctx):
        return not_applicable("not tagged as production")
    regions = ctx.resources("aws.backup.region", r.region)
    if not regions:
        return errored(f"AWS Backup configuration of {r.region} was not collected")
    tags = r.properties.get("tags") or {}
    for plan in regions[0].properties.get("plans") or []:
        for sel in plan.get("selections") or []:
            if matches(r.id, sel.get("not_resources") or []):
                continue
            by_arn = matches(r.id, sel.get("resources") or []) and "*" not in (sel.get("resources") or [])
            by_tag = any(tags.get(t["key"]) == t["value"] for t in sel.get("tags") or [])
            if by_arn or by_tag or (sel.get("resources") == ["*"] and not sel.get("tags")):
                return passed(f"covered by backup plan {plan['name']}", plan=plan["name"], selection=sel["name"])
    return failed("production resource not covered by any AWS Backup plan")
