"""Encryption at rest and in transit."""

from __future__ import annotations

from trustsweep.plugin import (
    CheckContext,
    Outcome,
    Resource,
    check,
    days_since,
    failed,
    not_applicable,
    parse_time,
    passed,
    unread,
)

from .common import days

OLD_TLS = {"SSLv3", "TLSv1", "TLSv1.1"}
BUCKET = "aws.s3.bucket"


@check(
    "aws.ec2.ebs_default_encryption",
    title="EBS encryption by default is on in every region",
    types="aws.ec2.region-settings",
    severity="medium",
    rationale="New volumes are encrypted without relying on each launch.",
    remediation="Enable EBS encryption by default.",
)
def ec2_ebs_default_encryption(r: Resource, ctx: CheckContext) -> Outcome:
    if r.properties.get("ebs_encryption_by_default"):
        return passed(f"EBS encryption by default is on in {r.region}")
    return failed(f"EBS encryption by default is off in {r.region}")


@check(
    "aws.ec2.volume_encrypted",
    title="Every EBS volume is encrypted",
    types="aws.ec2.volume",
    severity="high",
    rationale="Unencrypted volumes and their snapshots expose data.",
    remediation="Copy the volume to an encrypted one and replace it.",
)
def ec2_volume_encrypted(r: Resource, ctx: CheckContext) -> Outcome:
    if r.properties.get("encrypted"):
        return passed("volume encrypted", kms_key=r.properties.get("kms_key"))
    return failed("volume not encrypted")


@check(
    "aws.s3.bucket_encryption",
    title="S3 buckets have default encryption",
    types=BUCKET,
    severity="medium",
    rationale="Objects must be encrypted at rest.",
    remediation="Set SSE-S3 or SSE-KMS default encryption.",
)
def s3_bucket_encryption(r: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(r, "encryption")) is not None:
        return bad
    algorithms = r.properties.get("encryption") or []
    if algorithms:
        return passed("default encryption " + ", ".join(algorithms), algorithms=algorithms)
    return failed("no default encryption configured")


@check(
    "aws.s3.bucket_tls_only",
    title="S3 bucket policies deny requests without TLS",
    types=BUCKET,
    severity="medium",
    rationale="Data in transit must be encrypted.",
    remediation="Add a Deny statement for aws:SecureTransport = false.",
)
def s3_bucket_tls_only(r: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(r, "policy")) is not None:
        return bad
    if r.properties.get("tls_only"):
        return passed("bucket policy denies requests without TLS")
    return failed(
        "no bucket policy statement denies aws:SecureTransport=false", has_policy=r.properties.get("has_policy")
    )


@check(
    "aws.rds.storage_encrypted",
    title="RDS storage is encrypted",
    types="aws.rds.instance",
    severity="high",
    rationale="Database storage and snapshots must be encrypted at rest.",
    remediation="Restore an encrypted copy from a snapshot.",
)
def rds_storage_encrypted(r: Resource, ctx: CheckContext) -> Outcome:
    if r.properties.get("encrypted"):
        return passed("storage encrypted")
    return failed("storage not encrypted")


@check(
    "aws.kms.key_rotation",
    title="Customer-managed KMS keys rotate",
    types="aws.kms.key",
    severity="medium",
    rationale="Rotation limits what one key version protects.",
    remediation="Enable automatic key rotation.",
)
def kms_key_rotation(r: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(r, "rotation")) is not None:
        return bad
    if r.properties.get("state") != "Enabled":
        return not_applicable(f"key is {r.properties.get('state')}")
    if not r.properties.get("symmetric") or r.properties.get("origin") != "AWS_KMS":
        return not_applicable("automatic rotation applies only to symmetric keys with AWS_KMS material")
    if r.properties.get("rotation_enabled"):
        return passed("automatic rotation on")
    return failed("automatic rotation off")


@check(
    "aws.elbv2.tls_policy",
    title="Load balancer listeners use TLS 1.2+ policies only",
    types="aws.elbv2.listener",
    severity="high",
    rationale="TLS 1.0/1.1 and plain HTTP are weak in transit.",
    remediation="Use an ELBSecurityPolicy-TLS13-1-2-* policy; redirect HTTP to HTTPS.",
)
def elbv2_tls_policy(r: Resource, ctx: CheckContext) -> Outcome:
    protocol = r.properties.get("protocol")
    if protocol == "HTTP":
        if r.properties.get("redirects_to_https"):
            return passed("plain HTTP listener only redirects to HTTPS")
        return failed("plain HTTP listener serves traffic without TLS", protocol=protocol)
    if protocol not in ("HTTPS", "TLS"):
        return not_applicable(f"{protocol} listener carries no TLS")
    protocols = set(r.properties.get("tls_protocols") or [])
    policy = r.properties.get("ssl_policy")
    if not protocols:
        return failed(f"TLS policy {policy!r} unknown: cannot show TLS 1.2+", ssl_policy=policy)
    old = sorted(protocols & OLD_TLS)
    if old:
        return failed(f"TLS policy {policy} allows {', '.join(old)}", ssl_policy=policy, protocols=sorted(protocols))
    return passed(f"TLS policy {policy} allows TLS 1.2+ only", ssl_policy=policy)


@check(
    "aws.cloudfront.tls_policy",
    title="CloudFront viewers and origins use TLS 1.2+ only",
    types="aws.cloudfront.distribution",
    severity="high",
    rationale="TLS 1.0/1.1 and plain HTTP are weak in transit.",
    remediation="Use a custom certificate with TLSv1.2_2021, redirect-to-https, TLSv1.2 origins.",
)
def cloudfront_tls_policy(r: Resource, ctx: CheckContext) -> Outcome:
    viewer = set(r.properties.get("viewer_protocols") or [])
    problems = []
    if "allow-all" in viewer:
        problems.append("viewers may use plain HTTP")
    version = r.properties.get("minimum_protocol_version") or ""
    if not r.properties.get("default_certificate") and not version.startswith(("TLSv1.2", "TLSv1.3")):
        problems.append(f"minimum viewer protocol {version or 'unset'}")
    if r.properties.get("default_certificate"):
        problems.append("default *.cloudfront.net certificate allows TLS 1.0 viewers")
    old_origin = sorted(set(r.properties.get("origin_ssl_protocols") or []) & OLD_TLS)
    if old_origin:
        problems.append(f"origins accept {', '.join(old_origin)}")
    if "http-only" in (r.properties.get("origin_protocols") or []):
        problems.append("an origin is reached over plain HTTP")
    if problems:
        return failed("; ".join(problems), minimum_protocol_version=version)
    return passed(f"TLS 1.2+ only ({version})")


@check(
    "aws.acm.certificate_expiry",
    title="ACM certificates do not expire within 30 days",
    types="aws.acm.certificate",
    severity="medium",
    rationale="An expired certificate breaks service or tempts people to skip TLS.",
    remediation="Renew or replace the certificate; use DNS validation for automatic renewal.",
    settings={"min_days": days(30, "days a certificate must still be valid")},
)
def acm_certificate_expiry(r: Resource, ctx: CheckContext) -> Outcome:
    if r.properties.get("status") not in ("ISSUED", "INACTIVE"):
        return not_applicable(f"certificate status {r.properties.get('status')}")
    not_after = parse_time(r.properties.get("not_after"))
    if not_after is None:
        return failed("certificate has no expiry date")
    limit = ctx.setting("min_days")
    left = -(days_since(not_after, ctx.now) or 0)
    if left < limit:
        return failed(f"certificate expires in {left:.0f} days (< {limit})", not_after=not_after.isoformat())
    return passed(f"certificate valid for {left:.0f} more days", not_after=not_after.isoformat())
