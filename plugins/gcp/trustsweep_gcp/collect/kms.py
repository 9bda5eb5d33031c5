"""Cloud KMS keys (``cloudkms.googleapis.com/CryptoKey``) as properties."""

from __future__ import annotations

from typing import Any

from trustsweep.plugin import iso

from .convert import days, labels


def crypto_key(data: dict[str, Any]) -> dict[str, Any]:
    """What the checks read of a key: its purpose and automatic rotation period."""
    primary = data.get("primary") or {}
    template = data.get("versionTemplate") or {}
    return {
        "purpose": str(data.get("purpose") or "ENCRYPT_DECRYPT"),
        "rotation_days": days(data.get("rotationPeriod")),
        "next_rotation": iso(data.get("nextRotationTime")),
        "protection_level": str(template.get("protectionLevel") or primary.get("protectionLevel") or ""),
        "primary_state": str(primary.get("state") or ""),
        "created": iso(data.get("createTime")),
        "labels": labels(data.get("labels")),
    }
