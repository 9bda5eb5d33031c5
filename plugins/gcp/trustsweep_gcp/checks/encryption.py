"""Encryption in transit and at rest: Cloud SQL TLS, load-balancer TLS, KMS rotation, customer-managed keys."""

from __future__ import annotations

from typing import Any

from trustsweep.plugin import CheckContext, Outcome, Resource, check, failed, not_applicable, passed, setting, unread

from .. import types as T
from ..settings import days
from .common import short

_TLS_MODES = ("ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED")
_GOOD_TLS = ("TLS_1_2", "TLS_1_3")


@check(
    "gcp.sql.require_tls",
    title="Cloud SQL requires TLS",
    types=T.SQL_INSTANCE,
    severity="high",
    rationale="Unencrypted database connections expose credentials and data in transit.",
    remediation="Set sslMode to ENCRYPTED_ONLY or TRUSTED_CLIENT_CERTIFICATE_REQUIRED.",
)
def sql_require_tls(resource: Resource, ctx: CheckContext) -> Outcome:
    """Cloud SQL accepts only encrypted connections (ssl_mode, or the older require_ssl)."""
    p = resource.properties
    mode, require_ssl = p.get("ssl_mode") or "", p.get("require_ssl")
    if mode in _TLS_MODES:
        return passed(f"sslMode is {mode}", ssl_mode=mode)
    if require_ssl is True and mode in ("", "SSL_MODE_UNSPECIFIED"):
        return passed("requireSsl is true", require_ssl=True)
    shown = "unset" if require_ssl is None else require_ssl
    return failed(
        f"unencrypted connections are accepted (sslMode={mode or 'unset'}, requireSsl={shown})",
        ssl_mode=mode,
        require_ssl=require_ssl,
    )


def _policy_verdict(policy: dict[str, Any]) -> tuple[bool, str]:
    version = policy.get("min_tls_version") or "TLS_1_0"
    profile = policy.get("profile") or "COMPATIBLE"
    if version not in _GOOD_TLS:
        return False, f"minimum TLS is {version}"
    if profile == "COMPATIBLE":
        return False, "profile COMPATIBLE allows weak ciphers"
    return True, f"minimum {version}, profile {profile}"


@check(
    "gcp.compute.ssl_policy_tls12",
    title="SSL policies require TLS 1.2 and a non-COMPATIBLE profile",
    types=T.SSL_POLICY,
    severity="medium",
    rationale="TLS 1.0/1.1 and COMPATIBLE ciphers are broken or deprecated.",
    remediation="Set minTlsVersion TLS_1_2 and profile MODERN or RESTRICTED.",
)
def compute_ssl_policy_tls12(resource: Resource, ctx: CheckContext) -> Outcome:
    """An SSL policy requires TLS 1.2 or later and is not the COMPATIBLE profile."""
    p = resource.properties
    ok, why = _policy_verdict(p)
    return passed(why) if ok else failed(why, min_tls_version=p.get("min_tls_version"), profile=p.get("profile"))


@check(
    "gcp.compute.lb_tls12",
    title="HTTPS / SSL load balancers use an SSL policy with TLS 1.2",
    types=(T.HTTPS_PROXY, T.SSL_PROXY),
    severity="medium",
    rationale="A proxy without an SSL policy uses Google's default, which accepts TLS 1.0.",
    remediation="Attach an SSL policy with minimum TLS 1.2 to every target HTTPS and SSL proxy.",
)
def compute_lb_tls12(resource: Resource, ctx: CheckContext) -> Outcome:
    """An HTTPS / SSL load-balancer proxy has an SSL policy that passes the TLS 1.2 check."""
    ref = resource.properties.get("ssl_policy") or ""
    if not ref:
        return failed("no SSL policy: Google's default (COMPATIBLE, TLS 1.0) applies")
    wanted = short(ref)
    for policy in ctx.resources(T.SSL_POLICY):
        if policy.properties.get("self_link") == ref or policy.name == wanted:
            ok, why = _policy_verdict(policy.properties)
            return passed(f"SSL policy {wanted}: {why}") if ok else failed(f"SSL policy {wanted}: {why}")
    return failed(f"SSL policy {wanted} is not in this project's inventory; cannot show TLS 1.2", ssl_policy=ref)


@check(
    "gcp.kms.key_rotation",
    title="KMS keys rotate at least every 90 days",
    types=T.CRYPTO_KEY,
    severity="medium",
    rationale="Rotation limits the data exposed by one key version.",
    remediation="Set a rotation period of 90 days or less (settings: max_days).",
    settings={"max_days": days(90, "maximum rotation period in days")},
)
def kms_key_rotation(resource: Resource, ctx: CheckContext) -> Outcome:
    """Symmetric KMS keys rotate automatically at least every max_days."""
    if (bad := unread(resource, "resource")) is not None:
        return bad
    p = resource.properties
    if p.get("purpose", "ENCRYPT_DECRYPT") != "ENCRYPT_DECRYPT":
        return not_applicable(f"{p.get('purpose')} keys cannot rotate automatically")
    limit = ctx.setting("max_days")
    rotation = p.get("rotation_days")
    if rotation is None:
        return failed("no automatic rotation period is set")
    if rotation > limit:
        return failed(f"rotates every {rotation:g} days (limit {limit})", rotation_days=rotation)
    return passed(f"rotates every {rotation:g} days (limit {limit})", rotation_days=rotation)


@check(
    "gcp.encryption.cmek",
    title="Customer-managed keys on buckets, Cloud SQL and BigQuery (when required)",
    types=(T.BUCKET, T.SQL_INSTANCE, T.DATASET),
    severity="medium",
    rationale="Customer-managed keys let you revoke access to data and prove key custody.",
    remediation="Configure a Cloud KMS key as default encryption; enable with settings require_cmk: true.",
    settings={"require_cmk": setting("bool", False, "require customer-managed keys")},
)
def encryption_cmek(resource: Resource, ctx: CheckContext) -> Outcome:
    """Where configured as required (setting require_cmk), data is encrypted with a customer-managed key."""
    if (bad := unread(resource, "resource")) is not None:
        return bad
    key = resource.properties.get("cmk") or ""
    if not ctx.setting("require_cmk"):
        return not_applicable(
            "customer-managed keys are not required by configuration (require_cmk)", kms_key=key or None
        )
    if key:
        return passed(f"encrypted with customer-managed key {short(key)}", kms_key=key)
    return failed("encrypted with a Google-managed key; a customer-managed key is required")
