"""GKE clusters (``container.googleapis.com/Cluster``) as properties: never their credentials."""

from __future__ import annotations

from typing import Any

from .convert import labels


def gke_cluster(data: dict[str, Any]) -> dict[str, Any]:
    """Autopilot or not, and each node pool's auto-repair and auto-upgrade."""
    pools = []
    for pool in data.get("nodePools") or []:
        management = pool.get("management") or {}
        pools.append(
            {
                "name": str(pool.get("name") or "?"),
                "auto_repair": management.get("autoRepair") is True,
                "auto_upgrade": management.get("autoUpgrade") is True,
            }
        )
    return {
        "autopilot": (data.get("autopilot") or {}).get("enabled") is True,
        "node_pools": pools,
        "master_version": str(data.get("currentMasterVersion") or ""),
        "status": str(data.get("status") or ""),
        "labels": labels(data.get("resourceLabels")),
    }
