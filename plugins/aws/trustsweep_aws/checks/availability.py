"""Availability: database backups and resilience, AWS Backup coverage."""

from __future__ import annotations

from trustsweep.model import Outcome, Resource, errored, failed, not_applicable, passed
from trustsweep.provider import CheckContext

from .common import is_production, matches


def rds_backup_retention(r: Resource, ctx: CheckContext) -> Outcome:
    days = ctx.setting("min_days")
    kept = int(r.properties.get("backup_retention_days") or 0)
    if kept >= days:
        return passed(f"automated backups kept {kept} days", backup_retention_days=kept)
    return failed(f"automated backups kept {kept} days (< {days})", backup_retention_days=kept)


def rds_deletion_protection(r: Resource, ctx: CheckContext) -> Outcome:
    if r.properties.get("deletion_protection"):
        return passed("deletion protection on")
    return failed("deletion protection off")


def rds_multi_az(r: Resource, ctx: CheckContext) -> Outcome:
    if not is_production(r, ctx):
        return not_applicable("not tagged as production")
    if r.properties.get("multi_az"):
        return passed("production instance is Multi-AZ")
    return failed("production instance is single-AZ")


def backup_coverage(r: Resource, ctx: CheckContext) -> Outcome:
    """Production-tagged data stores are selected by an AWS Backup plan in their region."""
    if not is_production(r, ctx):
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
