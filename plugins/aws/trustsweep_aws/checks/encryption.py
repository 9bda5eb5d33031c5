"""Encryption at rest and in transit."""

from __future__ import annotations

from trustsweep.model import Outcome, Resource, failed, not_applicable, passed
from trustsweep.provider import CheckContext

from .common import days_since, parse_time, unread

OLD_TLS = {"SSLv3", "TLSv1", "TLSv1.1"}
CLOUDFRONT_OK = ("TLSv1.2_2018", "TLSv1.2_2019", "TLSv1.2_2021", "TLSv1.3_2025")


def ebs_default_encryption(r: Resource, ctx: CheckContext) -> Outcome:
    if r.properties.get("ebs_encryption_by_default"):
        return passed(f"EBS encryption by default is on in {r.region}")
    return failed(f"EBS encryption by default is off in {r.region}")


def volume_encrypted(r: Resource, ctx: CheckContext) -> Outcome:
    if r.properties.get("encrypted"):
        return passed("volume encrypted", kms_key=r.properties.get("kms_key"))
    return failed("volume not encrypted")


def bucket_encryption(r: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(r, "encryption")) is not None:
        return bad
    algorithms = r.properties.get("encryption") or []
    if algorithms:
        return passed("default encryption " + ", ".join(algorithms), algorithms=algorithms)
    return failed("no default encryption configured")


def bucket_tls_only(r: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(r, "policy")) is not None:
        return bad
    if r.properties.get("tls_only"):
        return passed("bucket policy denies requests without TLS")
    return failed("no bucket policy statement denies aws:SecureTransport=false",
                  has_policy=r.properties.get("has_policy"))


def rds_encrypted(r: Resource, ctx: CheckContext) -> Outcome:
    if r.properties.get("encrypted"):
        return passed("storage encrypted")
    return failed("storage not encrypted")


def kms_rotation(r: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(r, "rotation")) is not None:
        return bad
    if r.properties.get("state") != "Enabled":
        return not_applicable(f"key is {r.properties.get('state')}")
    if not r.properties.get("symmetric") or r.properties.get("origin") != "AWS_KMS":
        return not_applicable("automatic rotation applies only to symmetric keys with AWS_KMS material")
    if r.properties.get("rotation_enabled"):
        return passed("automatic rotation on")
    return failed("automatic rotation off")


def elbv2_tls(r: Resource, ctx: CheckContext) -> Outcome:
    protocol = r.properties.get("protocol")
    if protocol in ("HTTP",):
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


def cloudfront_tls(r: Resource, ctx: CheckContext) -> Outcome:
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


def certificate_expiry(r: Resource, ctx: CheckContext) -> Outcome:
    if r.properties.get("status") not in ("ISSUED", "INACTIVE"):
        return not_applicable(f"certificate status {r.properties.get('status')}")
    not_after = parse_time(r.properties.get("not_after"))
    if not_after is None:
        return failed("certificate has no expiry date")
    days = ctx.setting("min_days")
    left = -(days_since(not_after, ctx.now) or 0)
    if left < days:
        return failed(f"certificate expires in {left:.0f} days (< {days})", not_after=not_after.isoformat())
    return passed(f"certificate valid for {left:.0f} more days", not_after=not_after.isoformat())
