"""Logging and monitoring: CloudTrail, log retention, flow logs, AWS Config, S3 access logs."""

from __future__ import annotations

from trustsweep.model import Outcome, Resource, errored, failed, not_applicable, passed
from trustsweep.provider import CheckContext
from trustsweep.unread import VANISHED, unread_fields

from .common import matches, unread


def multi_region_trail(r: Resource, ctx: CheckContext) -> Outcome:
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
        return errored("could not verify the multi-region trail: "
                       + "; ".join(u for v in verdicts for u in v["unverified"]), trails=verdicts)
    return failed("no multi-region trail meets every requirement", trails=verdicts)


def log_retention(r: Resource, ctx: CheckContext) -> Outcome:
    days = ctx.setting("min_days")
    retention = r.properties.get("retention_days")
    if retention is None:
        return passed("kept forever (no expiry)")
    if int(retention) >= days:
        return passed(f"kept {retention} days", retention_days=retention)
    return failed(f"kept {retention} days, fewer than {days}", retention_days=retention)


def vpc_flow_logs(r: Resource, ctx: CheckContext) -> Outcome:
    active = [f for f in r.properties.get("flow_logs") or [] if f.get("status", "ACTIVE") == "ACTIVE"]
    if active:
        return passed(f"{len(active)} active flow log(s)", flow_logs=[f["id"] for f in active])
    return failed("no active VPC flow log")


def config_recording(r: Resource, ctx: CheckContext) -> Outcome:
    recorders = r.properties.get("recorders") or []
    if not recorders:
        return failed(f"no AWS Config recorder in {r.region}")
    good = [x for x in recorders if x.get("recording") and x.get("all_supported")]
    if good:
        return passed("AWS Config records all supported resources", recorder=good[0]["name"])
    return failed("AWS Config recorder is not recording all resources", recorders=recorders)


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
