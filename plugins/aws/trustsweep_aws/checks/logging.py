"""Logging and monitoring: CloudTrail, log retention, flow logs, AWS Config, S3 access logs."""

from __future__ import annotations

from trustsweep.plugin import (
    CheckContext,
    Outcome,
    Resource,
    check,
    errored,
    failed,
    not_applicable,
    passed,
    setting,
    unread,
    unread_fields,
)

from .common import days, matches

VANISHED = "vanished"  # the property of a resource deleted during the sweep (Collector.vanished)


@check(
    "aws.cloudtrail.multi_region_trail",
    title="A multi-region CloudTrail trail logs, validates, encrypts, and is immutable",
    types="aws.cloudtrail.account",
    severity="high",
    rationale="The audit trail must cover every region and be tamper-evident.",
    remediation="Create a multi-region trail with log file validation, SSE-KMS and an Object Lock bucket.",
)
def cloudtrail_multi_region_trail(r: Resource, ctx: CheckContext) -> Outcome:
    """At least one multi-region trail that logs, validates files, is KMS-encrypted and delivers to an
    Object Lock bucket (read from this account's S3 inventory)."""
    trails = [t for t in r.properties.get("trails") or [] if t.get("multi_region")]
    if not trails:
        return failed("no multi-region CloudTrail trail")
    buckets = {b.name: b for b in ctx.resources("aws.s3.bucket")}
    verdicts = []
    for trail in trails:
        gaps: list[str] = []
        unknown: list[str] = []
        if trail.get("status_error"):
            unknown.append(f"status: {trail['status_error']}")
        elif not trail.get("logging"):
            gaps.append("not logging")
        if not trail.get("log_file_validation"):
            gaps.append("log file validation off")
        if not trail.get("kms_key"):
            gaps.append("not KMS-encrypted")
        bucket = buckets.get(trail.get("bucket") or "")
        if bucket is None:
            unknown.append(f"bucket {trail.get('bucket')!r} is not in this account's inventory")
        elif bucket.properties.get(VANISHED):
            unknown.append(f"bucket {bucket.name} was deleted during the sweep")
        elif "object_lock" in unread_fields(bucket):
            unknown.append(f"bucket {bucket.name}: {unread_fields(bucket)['object_lock']}")
        elif not bucket.properties.get("object_lock"):
            gaps.append(f"bucket {bucket.name} has no Object Lock")
        if not gaps and not unknown:
            return passed(f"trail {trail['arn']} meets every requirement", trail=trail["arn"])
        verdicts.append({"trail": trail["arn"], "gaps": gaps, "unverified": unknown})
    if any(not v["gaps"] for v in verdicts):
        return errored(
            "could not verify the multi-region trail: " + "; ".join(u for v in verdicts for u in v["unverified"]),
            trails=verdicts,
        )
    return failed("no multi-region trail meets every requirement", trails=verdicts)


@check(
    "aws.logs.retention",
    title="CloudWatch log groups are kept at least 365 days",
    types="aws.logs.log-group",
    severity="low",
    rationale="Audit periods need a year of logs.",
    remediation="Set retention to 365 days or more.",
    settings={"min_days": days(365, "minimum retention of a log group in days")},
)
def logs_retention(r: Resource, ctx: CheckContext) -> Outcome:
    limit = ctx.setting("min_days")
    retention = r.properties.get("retention_days")
    if retention is None:
        return passed("kept forever (no expiry)")
    if int(retention) >= limit:
        return passed(f"kept {retention} days", retention_days=retention)
    return failed(f"kept {retention} days, fewer than {limit}", retention_days=retention)


@check(
    "aws.ec2.vpc_flow_logs",
    title="VPCs have flow logs",
    types="aws.ec2.vpc",
    severity="medium",
    rationale="Network traffic records support detection and investigation.",
    remediation="Enable VPC flow logs.",
)
def ec2_vpc_flow_logs(r: Resource, ctx: CheckContext) -> Outcome:
    active = [f for f in r.properties.get("flow_logs") or [] if f.get("status", "ACTIVE") == "ACTIVE"]
    if active:
        return passed(f"{len(active)} active flow log(s)", flow_logs=[f["id"] for f in active])
    return failed("no active VPC flow log")


@check(
    "aws.config.recording",
    title="AWS Config records all resources in every region",
    types="aws.config.region",
    severity="medium",
    rationale="Configuration history evidences change and drift.",
    remediation="Create a recorder for all supported resources and start it.",
)
def config_recording(r: Resource, ctx: CheckContext) -> Outcome:
    recorders = r.properties.get("recorders") or []
    if not recorders:
        return failed(f"no AWS Config recorder in {r.region}")
    good = [x for x in recorders if x.get("recording") and x.get("all_supported")]
    if good:
        return passed("AWS Config records all supported resources", recorder=good[0]["name"])
    return failed("AWS Config recorder is not recording all resources", recorders=recorders)


@check(
    "aws.s3.access_logging",
    title="S3 access logging is on where required",
    types="aws.s3.bucket",
    severity="low",
    rationale="Object access records for sensitive buckets support investigation.",
    remediation="Enable server access logging; list required buckets in settings aws.access_logging_buckets.",
    settings={"access_logging_buckets": setting("list[str]", (), "bucket names (globs) that must have access logging")},
)
def s3_access_logging(r: Resource, ctx: CheckContext) -> Outcome:
    required = ctx.setting("access_logging_buckets")
    if not matches(r.name, required):
        return not_applicable("access logging not required for this bucket (setting access_logging_buckets)")
    if (bad := unread(r, "logging")) is not None:
        return bad
    target = r.properties.get("logging_target")
    if target:
        return passed(f"access logs delivered to {target}", target=target)
    return failed("access logging required but off")
