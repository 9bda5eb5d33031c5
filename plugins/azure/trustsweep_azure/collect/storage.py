"""Storage accounts, from Resource Graph's ``resources`` table (a shared unit: one query per batch)."""

from __future__ import annotations

from typing import Any

from .. import types as T
from .base import AzureCollector


def account_properties(row: dict[str, Any]) -> dict[str, Any]:
    """The documented properties of a storage account (docs/azure.md) from its Graph row or ARM document."""
    props = row.get("properties") or {}
    encryption = props.get("encryption") or {}
    return {
        "https_only": props.get("supportsHttpsTrafficOnly"),
        "min_tls": props.get("minimumTlsVersion"),
        "public_blob_access": props.get("allowBlobPublicAccess"),
        "network_default_action": (props.get("networkAcls") or {}).get("defaultAction"),
        "cmk": str(encryption.get("keySource") or "").lower() == "microsoft.keyvault",
        "infrastructure_encryption": bool(encryption.get("requireInfrastructureEncryption")),
        "sku": (row.get("sku") or {}).get("name") or "",
        "kind": row.get("kind") or "",
        "resource_group": row.get("resourceGroup") or "",
        "tags": row.get("tags") or {},
    }


def collect(ctx: AzureCollector) -> None:
    for member, row in ctx.graph_rows("resources:storage"):
        if str(row.get("type", "")).lower() == "microsoft.storage/storageaccounts":
            ctx.add_at(T.STORAGE_ACCOUNT, row, member=member, **account_properties(row))
