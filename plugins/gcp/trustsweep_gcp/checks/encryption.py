"""Encryption in transit and at rest: Cloud SQL TLS, load-balancer TLS, KMS rotation, CMEK."""

from __future__ import annotations

from trustsweep.model import Outcome, Resource, failed, not_applicable, passed
from trustsweep.provider import CheckContext

from .. import types as T
from ._util import data, seconds, short

_TLS_MODES = ("ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED")
_GOOD_TLS = ("TLS_1_2", "TLS_1_3")


def sql_require_tls(resource: Resource, ctx: CheckContext) -> Outcome:
    """Cloud SQL accepts only encrypted connections (sslMode, or the older requireSsl)."""
    ip = (data(resource).get("settings") or {}).get("ipConfiguration") or {}
    mode = ip.get("sslMode", "")
    if mode in _TLS_MODES:
        return passed(f"sslMode is {mode}", sslMode=mode)
    if ip.get("requireSsl") is True and mode in ("", "SSL_MODE_UNSPECIFIED"):
        return passed("requireSsl is true", requireSsl=True)
    return failed(f"unencrypted connections are accepted (sslMode={mode or 'unset'}, "
                  f"requireSsl={ip.get('requireSsl', 'unset')})", sslMode=mode, requireSsl=ip.get("requireSsl"))


def _policy_verdict(policy: dict) -> tuple[bool, str]:
    version = policy.get("minTlsVersion") or "TLS_1_0"
    profile = policy.get("profile") or "COMPATIBLE"
    if version not in _GOOD_TLS:
        return False, f"minimum TLS is {version}"
    if profile == "COMPATIBLE":
        return False, "profile COMPATIBLE allows weak ciphers"
    return True, f"minimum {version}, profile {profile}"


def ssl_policy_tls12(resource: Resource, ctx: CheckContext) -> Outcome:
    """An SSL policy requires TLS 1.2 or later and is not the COMPATIBLE profile."""
    ok, why = _policy_verdict(data(resource))
    return passed(why) if ok else failed(why, minTlsVersion=data(resource).get("minTlsVersion"),
                                         profile=data(resource).get("profile"))


def proxy_ssl_policy(resource: Resource, ctx: CheckContext) -> Outcome:
    """An HTTPS / SSL load-balancer proxy has an SSL policy that passes the TLS 1.2 check."""
    ref = data(resource).get("sslPolicy")
    if not ref:
        return failed("no SSL policy: Google's default (COMPATIBLE, TLS 1.0) applies")
    wanted = short(ref)
    for policy in ctx.resources(T.SSL_POLICY):
        if data(policy).get("selfLink") == ref or policy.name == wanted:
            ok, why = _policy_verdict(data(policy))
            return passed(f"SSL policy {wanted}: {why}") if ok else failed(f"SSL policy {wanted}: {why}")
    return failed(f"SSL policy {wanted} is not in this project's inventory; cannot show TLS 1.2", sslPolicy=ref)


def kms_rotation(resource: Resource, ctx: CheckContext) -> Outcome:
    """Symmetric KMS keys rotate automatically at least every max_days (default 90)."""
    d = data(resource)
    if d.get("purpose", "ENCRYPT_DECRYPT") != "ENCRYPT_DECRYPT":
        return not_applicable(f"{d.get('purpose')} keys cannot rotate automatically")
    limit = ctx.setting("max_days")
    period = seconds(d.get("rotationPeriod"))
    if period is None:
        return failed("no automatic rotation period is set")
    days = period / 86400
    if days > limit:
        return failed(f"rotates every {days:g} days (limit {limit})", rotation_days=days)
    return passed(f"rotates every {days:g} days (limit {limit})", rotation_days=days)


def _cmek_key(resource: Resource) -> str:
    d = data(resource)
    if resource.type == T.BUCKET:
        return (d.get("encryption") or {}).get("defaultKmsKeyName", "")
    if resource.type == T.SQL_INSTANCE:
        return (d.get("diskEncryptionConfiguration") or {}).get("kmsKeyName", "")
    return (d.get("defaultEncryptionConfiguration") or {}).get("kmsKeyName", "")


def cmek(resource: Resource, ctx: CheckContext) -> Outcome:
    """Where configured as required (setting require_cmek), data is encrypted with a customer-managed key."""
    key = _cmek_key(resource)
    if not ctx.setting("require_cmek"):
        return not_applicable("customer-managed keys are not required by configuration (require_cmek)",
                              kms_key=key or None)
    if key:
        return passed(f"encrypted with customer-managed key {short(key)}", kms_key=key)
    return failed("encrypted with a Google-managed key; a customer-managed key is required")
