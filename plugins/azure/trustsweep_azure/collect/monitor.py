"""The subscription's activity-log diagnostic settings and the retention of their destinations
(Log Analytics workspaces, storage accounts with their lifecycle rules and containers)."""

from __future__ import annotations

from typing import Any

from .. import types as T
from .base import API, AzureCollector


def _delete_after_days(policy: dict[str, Any] | None) -> int | None:
    """The fewest days after which an enabled lifecycle rule deletes base blobs (None: no such rule)."""
    found = []
    for rule in ((policy or {}).get("properties") or {}).get("policy", {}).get("rules") or []:
        if rule.get("enabled", True):
            delete = (((rule.get("definition") or {}).get("actions") or {}).get("baseBlob") or {}).get("delete") or {}
            for key in ("daysAfterModificationGreaterThan", "daysAfterCreationGreaterThan"):
                if delete.get(key) is not None:
                    found.append(int(delete[key]))
    return min(found) if found else None


def _log_storage(ctx: AzureCollector, account_id: str) -> dict[str, Any]:
    """Add the storage account that receives the activity log; returns what the export needs of it."""
    session, api, name = ctx.session, API["storage"], account_id.rsplit("/", 1)[-1]
    try:
        account = session.arm_get(account_id, api) or {}
        policy = session.arm_get(f"{account_id}/managementPolicies/default", api, missing_ok=True)
        containers = list(session.arm_list(f"{account_id}/blobServices/default/containers", api))
    except Exception as exc:
        ctx.unreadable(T.LOG_STORAGE, account_id, name, exc)
        return {"unread": ctx.describe(exc)}
    immutability = ((account.get("properties") or {}).get("immutableStorageWithVersioning") or {}).get(
        "immutabilityPolicy"
    ) or {}
    delete_after = _delete_after_days(policy)
    ctx.add(
        T.LOG_STORAGE,
        account_id,
        account.get("name") or name,
        region="global",
        delete_after_days=delete_after,
        account_immutability=immutability.get("state"),
        account_immutability_days=immutability.get("immutabilityPeriodSinceCreationInDays"),
        containers=[
            {
                "name": c.get("name"),
                "immutability": ((c.get("properties") or {}).get("immutabilityPolicy") or {}).get("state"),
                "immutability_days": ((c.get("properties") or {}).get("immutabilityPolicy") or {}).get(
                    "immutabilityPeriodSinceCreationInDays"
                ),
            }
            for c in containers
        ],
    )
    return {"delete_after_days": delete_after}


def collect(ctx: AzureCollector) -> None:
    settings = ctx.diagnostic_settings(f"/subscriptions/{ctx.subscription}")
    storages: dict[str, dict[str, Any]] = {}
    unread: list[tuple[str, str]] = []
    for setting in settings:
        if setting["workspace_id"]:
            try:
                workspace = ctx.session.arm_get(setting["workspace_id"], API["workspace"]) or {}
                setting["workspace_retention_days"] = (workspace.get("properties") or {}).get("retentionInDays")
            except Exception as exc:
                unread.append((setting["workspace_id"], ctx.describe(exc)))
        if setting["storage_account_id"]:
            key = setting["storage_account_id"].lower()
            if key not in storages:
                storages[key] = _log_storage(ctx, setting["storage_account_id"])
            if "unread" in storages[key]:
                unread.append((setting["storage_account_id"], storages[key]["unread"]))
            else:
                setting["storage_delete_after_days"] = storages[key]["delete_after_days"]
    export = ctx.fact(T.ACTIVITY_LOG, "providers/microsoft.insights/diagnosticSettings", settings=settings)
    for destination, why in unread:  # a destination that could not be read: an unread field named by its id
        ctx.unread(export, destination, why)
