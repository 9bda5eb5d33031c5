"""Encryption in transit and at rest: storage, SQL, App Service, managed disks, Key Vault."""

from __future__ import annotations

from trustsweep.plugin import CheckContext, Outcome, Resource, check, failed, passed, setting, unread

from .. import types as T
from ..settings import MIN_TLS
from ._util import tls_at_least

TLS_RATIONALE = "TLS 1.0/1.1 have known weaknesses."


def _min_tls(value: object, ctx: CheckContext, what: str, missing: str) -> Outcome:
    minimum = ctx.setting("min_tls")
    if tls_at_least(value, minimum):
        return passed(f"{what} {value}")
    return failed(f"{what} {value or missing} is below {minimum}", min_tls=value)


@check(
    "azure.storage.secure_transfer",
    title="Storage accounts require secure transfer (HTTPS)",
    types=T.STORAGE_ACCOUNT,
    severity="high",
    rationale="HTTP exposes data and shared keys in transit.",
    remediation="Set supportsHttpsTrafficOnly to true.",
)
def storage_secure_transfer(resource: Resource, ctx: CheckContext) -> Outcome:
    value = resource.properties.get("https_only")
    if value is True:
        return passed("secure transfer (HTTPS only) is required")
    return failed("secure transfer is not required: the account accepts HTTP", https_only=value)


@check(
    "azure.storage.min_tls",
    title="Storage accounts require TLS 1.2 or later",
    types=T.STORAGE_ACCOUNT,
    severity="medium",
    rationale=TLS_RATIONALE,
    remediation="Set minimumTlsVersion to TLS1_2.",
    settings=MIN_TLS,
)
def storage_min_tls(resource: Resource, ctx: CheckContext) -> Outcome:
    return _min_tls(resource.properties.get("min_tls"), ctx, "minimum TLS version", "not set (TLS 1.0)")


@check(
    "azure.sql.min_tls",
    title="SQL servers require TLS 1.2 or later",
    types=T.SQL_SERVER,
    severity="medium",
    rationale=TLS_RATIONALE,
    remediation="Set the server's minimalTlsVersion to 1.2.",
    settings=MIN_TLS,
)
def sql_min_tls(resource: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(resource)) is not None:
        return bad
    return _min_tls(resource.properties.get("min_tls"), ctx, "minimal TLS version", "None")


@check(
    "azure.sql.tde",
    title="SQL databases have transparent data encryption on",
    types=T.SQL_DATABASE,
    severity="high",
    rationale="Unencrypted database files and backups expose data if copied.",
    remediation="Turn TDE on for the database.",
)
def sql_tde(resource: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(resource, "tde")) is not None:
        return bad
    state = resource.properties.get("tde")
    if str(state).lower() == "enabled":
        return passed("transparent data encryption is on")
    return failed(f"transparent data encryption is {state or 'unknown'}", tde=state)


@check(
    "azure.web.https_only",
    title="App Service apps accept HTTPS only",
    types=T.WEB_APP,
    severity="high",
    rationale="HTTP exposes sessions and data in transit.",
    remediation="Set httpsOnly to true.",
)
def web_https_only(resource: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(resource)) is not None:
        return bad
    if resource.properties.get("https_only") is True:
        return passed("HTTPS only")
    return failed("the app accepts plain HTTP (httpsOnly is off)", https_only=resource.properties.get("https_only"))


@check(
    "azure.web.min_tls",
    title="App Service apps require TLS 1.2 or later",
    types=T.WEB_APP,
    severity="medium",
    rationale=TLS_RATIONALE,
    remediation="Set siteConfig.minTlsVersion to 1.2.",
    settings=MIN_TLS,
)
def web_min_tls(resource: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(resource, "web_config")) is not None:
        return bad
    return _min_tls(resource.properties.get("min_tls"), ctx, "minimum TLS version", "unknown")


@check(
    "azure.compute.disk_encryption",
    title="Managed disks are encrypted (customer-managed key where required)",
    types=T.DISK,
    severity="medium",
    rationale="Disk contents must be unreadable outside the platform.",
    remediation="Use a disk encryption set with a customer-managed key where policy requires it (setting require_cmk).",
    settings={"require_cmk": setting("bool", False, "require a customer-managed key on every disk")},
)
def compute_disk_encryption(resource: Resource, ctx: CheckContext) -> Outcome:
    kind = resource.properties.get("encryption_type") or "EncryptionAtRestWithPlatformKey"
    if ctx.setting("require_cmk") and "Customer" not in kind:
        return failed(
            f"disk is encrypted with platform-managed keys ({kind}); customer-managed keys are required",
            encryption_type=kind,
        )
    return passed(f"disk is encrypted at rest ({kind})", encryption_type=kind)


@check(
    "azure.keyvault.key_rotation",
    title="Key Vault keys have a rotation policy or an expiry",
    types=T.KEY,
    severity="medium",
    rationale="Keys that never change widen the impact of a leak.",
    remediation="Add a rotation policy with a Rotate action, or set an expiry date.",
)
def keyvault_key_rotation(resource: Resource, ctx: CheckContext) -> Outcome:
    if "rotate" in (resource.properties.get("rotation_actions") or []):
        return passed("the key has a rotation policy that rotates it")
    expires = resource.properties.get("expires")
    if expires:
        return passed("the key has an expiry date", expires=expires)
    return failed("the key has neither an automatic rotation policy nor an expiry date")


@check(
    "azure.keyvault.recoverable",
    title="Key vaults have soft delete and purge protection",
    types=T.KEY_VAULT,
    severity="high",
    rationale="A deleted or purged key makes the data it protects unrecoverable.",
    remediation="Enable purge protection (soft delete is on by default).",
)
def keyvault_recoverable(resource: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(resource)) is not None:
        return bad
    soft, purge = resource.properties.get("soft_delete"), resource.properties.get("purge_protection")
    if soft is not False and purge is True:
        return passed("soft delete and purge protection are on")
    missing = [name for name, ok in (("soft delete", soft is not False), ("purge protection", purge is True)) if not ok]
    return failed(f"{' and '.join(missing)} off", soft_delete=soft, purge_protection=purge)
