"""Cloud SQL instances (``sqladmin.googleapis.com/Instance``) as properties."""

from __future__ import annotations

from typing import Any

from .convert import labels


def sql_instance(data: dict[str, Any]) -> dict[str, Any]:
    """What the checks read of an instance: TLS, public reachability, backups, availability, key."""
    settings = data.get("settings") or {}
    ip = settings.get("ipConfiguration") or {}
    backup = settings.get("backupConfiguration") or {}
    require_ssl = ip.get("requireSsl")
    return {
        "database_version": str(data.get("databaseVersion") or ""),
        "instance_type": str(data.get("instanceType") or ""),
        "primary_instance": str(data.get("masterInstanceName") or ""),
        "state": str(data.get("state") or ""),
        "ssl_mode": str(ip.get("sslMode") or ""),
        "require_ssl": require_ssl if isinstance(require_ssl, bool) else None,
        "public_ip": ip.get("ipv4Enabled") is not False,
        "authorized_networks": [str(n.get("value") or "") for n in ip.get("authorizedNetworks") or []],
        "backups_enabled": backup.get("enabled") is True,
        "pitr_enabled": backup.get("pointInTimeRecoveryEnabled") is True,
        "binary_log_enabled": backup.get("binaryLogEnabled") is True,
        "availability_type": str(settings.get("availabilityType") or "ZONAL"),
        "cmk": str((data.get("diskEncryptionConfiguration") or {}).get("kmsKeyName") or ""),
        "labels": labels(settings.get("userLabels")),
    }
