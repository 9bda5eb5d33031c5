"""Managed disks and virtual machines, from Resource Graph's ``resources`` table (a shared unit)."""

from __future__ import annotations

from typing import Any

from .. import types as T
from .base import AzureCollector


def _common(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "sku": (row.get("sku") or {}).get("name") or "",
        "resource_group": row.get("resourceGroup") or "",
        "tags": row.get("tags") or {},
    }


def collect(ctx: AzureCollector) -> None:
    for member, row in ctx.graph_rows("resources:compute"):
        kind, props = str(row.get("type", "")).lower(), row.get("properties") or {}
        if kind == "microsoft.compute/disks":
            encryption = props.get("encryption") or {}
            ctx.add_at(
                T.DISK,
                row,
                member=member,
                encryption_type=encryption.get("type"),
                disk_encryption_set=encryption.get("diskEncryptionSetId"),
                disk_state=props.get("diskState"),
                managed_by=row.get("managedBy") or None,
                **_common(row),
            )
        elif kind == "microsoft.compute/virtualmachines":
            ctx.add_at(
                T.VM,
                row,
                member=member,
                vm_size=(props.get("hardwareProfile") or {}).get("vmSize"),
                os_type=((props.get("storageProfile") or {}).get("osDisk") or {}).get("osType"),
                admin_username=(props.get("osProfile") or {}).get("adminUsername"),
                **_common(row),
            )
