"""Encryption in transit and at rest: storage, SQL, App Service, managed disks, Key Vault."""

from __future__ import annotations

from trustsweep.model import Outcome, Resource, failed, passed
from trustsweep.provider import CheckContext
from trustsweep.unread import unread

from ._util import tls_at_least


def storage_secure_transfer(resource: Resource, ctx: CheckContext) -> Outcome:
    value = resource.properties.get("supportsHttpsTrafficOnly")
    if value is True:
        return passed("secure transfer (HTTPS only) is required")
    return failed("secure transfer is not required: the account accepts HTTP", supportsHttpsTrafficOnly=value)


def storage_min_tls(resource: Resource, ctx: CheckContext) -> Outcome:
    value = resource.properties.get("minimumTlsVersion")
    minimum = ctx.setting("min_tls")
    if tls_at_least(value, minimum):
        return passed(f"minimum TLS version {value}")
    return failed(f"minimum TLS version {value or 'not set (TLS 1.0)'} is below {minimum}", minimumTlsVersion=value)


def sql_min_tls(resource: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(resource)) is not None:
        return bad
    value = resource.properties.get("minimalTlsVersion")
    minimum = ctx.setting("min_tls")
    if tls_at_least(value, minimum):
        return passed(f"minimal TLS version {value}")
    return failed(f"minimal TLS version {value or 'None'} is below {minimum}", minimalTlsVersion=value)


def sql_tde(resource: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(resource, "tde")) is not None:
        return bad
    state = resource.properties.get("tde")
    if str(state).lower() == "enabled":
        return passed("transparent data encryption is on")
    return failed(f"transparent data encryption is {state or 'unknown'}", tde=state)


def web_https_only(resource: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(resource)) is not None:
        return bad
    if resource.properties.get("httpsOnly") is True:
        return passed("HTTPS only")
    return failed("the app accepts plain HTTP (httpsOnly is off)", httpsOnly=resource.properties.get("httpsOnly"))


def web_min_tls(resource: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(resource, "config")) is not None:
        return bad
    value = (resource.properties.get("config") or {}).get("minTlsVersion")
    minimum = ctx.setting("min_tls")
    if tls_at_least(value, minimum):
        return passed(f"minimum TLS version {value}")
    return failed(f"minimum TLS version {value or 'unknown'} is below {minimum}", minTlsVersion=value)


def disk_encryption(resource: Resource, ctx: CheckContext) -> Outcome:
    kind = (resource.properties.get("encryption") or {}).get("type") or "EncryptionAtRestWithPlatformKey"
    if ctx.setting("require_cmk") and "Customer" not in kind:
        return failed(f"disk is encrypted with platform-managed keys ({kind}); customer-managed keys are required",
                      encryption=kind)
    return passed(f"disk is encrypted at rest ({kind})", encryption=kind)


def key_rotation(resource: Resource, ctx: CheckContext) -> Outcome:
    actions = [str((a.get("action") or {}).get("type", "")).lower()
               for a in (resource.properties.get("rotationPolicy") or {}).get("lifetimeActions") or []]
    if "rotate" in actions:
        return passed("the key has a rotation policy that rotates it")
    expires = (resource.properties.get("attributes") or {}).get("exp")
    if expires:
        return passed("the key has an expiry date", exp=expires)
    return failed("the key has neither an automatic rotation policy nor an expiry date")


def keyvault_recoverable(resource: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(resource)) is not None:
        return bad
    soft = resource.properties.get("enableSoftDelete")
    purge = resource.properties.get("enablePurgeProtection")
    if soft is not False and purge is True:
        return passed("soft delete and purge protection are on")
    missing = [name for name, ok in (("soft delete", soft is not False), ("purge protection", purge is True)) if not ok]
    return failed(f"{' and '.join(missing)} off", enableSoftDelete=soft, enablePurgeProtection=purge)
