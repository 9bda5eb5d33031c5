"""CloudTrail (once per account, in the home region): the multi-region trails and their status.

``describe_trails(includeShadowTrails=True)`` lists every multi-region trail from any region; each
trail's status is read in its home region. One account-level resource summarises them.
"""

from __future__ import annotations

from .base import GLOBAL, AwsCollector

TRAIL = "aws.cloudtrail.trail"
ACCOUNT = "aws.cloudtrail.account"
TYPES = (TRAIL, ACCOUNT)
REGIONAL = False


def collect(ctx: AwsCollector) -> None:
    trails = ctx.client("cloudtrail").describe_trails(includeShadowTrails=True).get("trailList") or []
    seen: set[str] = set()
    summary = []
    for trail in trails:
        arn = trail["TrailARN"]
        if arn in seen:
            continue
        seen.add(arn)
        home = trail.get("HomeRegion") or ctx.home
        status: dict[str, object] = {}
        error = ""
        try:
            status = ctx.client("cloudtrail", home).get_trail_status(Name=arn)
        except Exception as exc:
            error = ctx.describe(exc)
        facts = {
            "multi_region": bool(trail.get("IsMultiRegionTrail")),
            "organization_trail": bool(trail.get("IsOrganizationTrail")),
            "logging": bool(status.get("IsLogging")) if not error else None,
            "log_file_validation": bool(trail.get("LogFileValidationEnabled")),
            "kms_key": trail.get("KmsKeyId") or "",
            "bucket": trail.get("S3BucketName") or "",
            "home_region": home,
        }
        resource = ctx.add(TRAIL, arn, trail.get("Name", arn), region=home, **facts)
        if error:
            ctx.unread(resource, "logging", error)
        summary.append({"arn": arn, **facts, "status_error": error})  # the account's check reads the summary
    ctx.add(
        ACCOUNT, f"arn:{ctx.partition}:cloudtrail::{ctx.account}:trails", "CloudTrail", region=GLOBAL, trails=summary
    )
