"""Items protected by Recovery Services vaults (one coverage fact per subscription), from Resource
Graph's ``recoveryservicesresources`` table."""

from __future__ import annotations

from .. import types as T
from .base import AzureCollector


def collect(ctx: AzureCollector) -> None:
    protected = []
    for row in ctx.graph_rows("recoveryservicesresources"):
        props = row.get("properties") or {}
        if props.get("sourceResourceId"):
            protected.append(
                {
                    "source_id": str(props["sourceResourceId"]).lower(),
                    "state": props.get("protectionState"),
                    "vault_id": row["id"].split("/backupFabrics/")[0],
                    "last_backup_time": props.get("lastBackupTime"),
                }
            )
    ctx.fact(T.BACKUP, "providers/Microsoft.RecoveryServices/protectedItems", protected=protected)
