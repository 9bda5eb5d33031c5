"""Key vaults with their diagnostic settings, and their keys with rotation policy and expiry.

A read about one vault marks that vault only; a failed key listing errors that vault's keys only.
"""

from __future__ import annotations

from typing import Any

from .. import types as T
from .base import API, AzureCollector, Gone, region_of


def _key(vault_id: str, key: dict[str, Any]) -> dict[str, Any]:
    props = key.get("properties") or {}
    attributes = props.get("attributes") or {}
    actions = [
        str((a.get("action") or {}).get("type", "")).lower()
        for a in (props.get("rotationPolicy") or {}).get("lifetimeActions") or []
    ]
    return {
        "vault_id": vault_id,
        "key_type": props.get("kty"),
        "enabled": attributes.get("enabled"),
        "expires": attributes.get("exp"),
        "rotation_actions": actions,
    }


def collect(ctx: AzureCollector) -> None:
    api = API["keyvault"]
    for vault in ctx.arm_items("Microsoft.KeyVault/vaults", api):
        vid, found = vault["id"], vault.get("properties") or {}
        props: dict[str, Any] = {
            "soft_delete": found.get("enableSoftDelete"),
            "purge_protection": found.get("enablePurgeProtection"),
            "rbac_authorization": found.get("enableRbacAuthorization"),
            "public_network_access": found.get("publicNetworkAccess"),
            "network_default_action": (found.get("networkAcls") or {}).get("defaultAction"),
            "tags": vault.get("tags") or {},
        }
        try:
            diagnostics = ctx.read(props, "diagnostic_settings", vid, api, lambda vid=vid: ctx.diagnostic_settings(vid))
        except Gone as gone:
            ctx.vanished(T.KEY_VAULT, vid, vault.get("name", ""), str(gone))
            continue
        if diagnostics is not None:
            props["diagnostic_settings"] = diagnostics
        ctx.add_at(T.KEY_VAULT, vault, **props)
        for key in ctx.children(
            vault, "keys", (T.KEY,), lambda vid=vid: list(ctx.session.arm_list(f"{vid}/keys", api))
        ):
            ctx.add(T.KEY, key["id"], key.get("name", ""), region=region_of(vault.get("location")), **_key(vid, key))
