"""Items protected by Recovery Services vaults (one coverage fact per subscription), from Resource
Graph's ``recoveryservicesresources`` table (a shared unit: one query per batch of subscriptions)."""

from __future__ import annotations

from typing import Any

from .. import types as T
from .base import AzureCollector


def collect(ctx: AzureCollector) -> None:
    protected: dict[str, list[dict[str, Any]]] = {m.id: [] for m in ctx.members}
    for member, row in ctx.graph_rows("recoveryservicesresources"):
        props = row.get("properties") or {}
        if props.get("sourceResourceId"):
            protected[member.id].append(
                {
                    "source_id": str(props["sourceResourceId"]).lower(),
                    "state": props.get("protectionState"),
                    "vault_id": row["id"].split("/backupFabrics/")[0],
                    "last_backup_time": props.get("lastBackupTime"),
                }
            )
    for member in ctx.members:
        ctx.fact(
            T.BACKUP,
            "providers/Microsoft.RecoveryServices/protectedItems",
            member=member,
            protected=protected[member.id],
        )
