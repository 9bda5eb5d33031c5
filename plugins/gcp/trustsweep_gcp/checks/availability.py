"""Availability: Cloud SQL backups, point-in-time recovery and high availability; GKE node upkeep."""

from __future__ import annotations

from trustsweep.model import Outcome, Resource, failed, not_applicable, passed
from trustsweep.provider import CheckContext

from ._util import data


def _is_replica(d: dict) -> bool:
    return d.get("instanceType") == "READ_REPLICA_INSTANCE" or bool(d.get("masterInstanceName"))


def sql_backups_pitr(resource: Resource, ctx: CheckContext) -> Outcome:
    """Cloud SQL takes automated backups and can recover to a point in time."""
    d = data(resource)
    if _is_replica(d):
        return not_applicable("read replicas are backed up through their primary")
    backup = (d.get("settings") or {}).get("backupConfiguration") or {}
    if not backup.get("enabled"):
        return failed("automated backups disabled")
    pitr = backup.get("pointInTimeRecoveryEnabled") is True or (
        d.get("databaseVersion", "").startswith("MYSQL") and backup.get("binaryLogEnabled") is True)
    if not pitr:
        return failed("automated backups on, point-in-time recovery off")
    return passed("automated backups and point-in-time recovery enabled")


def sql_regional_production(resource: Resource, ctx: CheckContext) -> Outcome:
    """Cloud SQL instances labelled production are REGIONAL (highly available)."""
    d = data(resource)
    settings = d.get("settings") or {}
    key = ctx.setting("production_label")
    values = {v.lower() for v in ctx.setting("production_values")}
    label = str((settings.get("userLabels") or {}).get(key, "")).lower()
    if label not in values:
        return not_applicable(f"not labelled {key}={'|'.join(sorted(values))}")
    if _is_replica(d):
        return not_applicable("read replica")
    kind = settings.get("availabilityType") or "ZONAL"
    if kind == "REGIONAL":
        return passed("production instance is REGIONAL")
    return failed(f"production instance is {kind}", availabilityType=kind)


def _pools(resource: Resource) -> list[dict]:
    return data(resource).get("nodePools") or []


def _node_management(resource: Resource, flag: str) -> Outcome:
    if (data(resource).get("autopilot") or {}).get("enabled"):
        return passed(f"Autopilot manages node {flag}")
    pools = _pools(resource)
    if not pools:
        return not_applicable("no node pools")
    off = [p.get("name", "?") for p in pools if (p.get("management") or {}).get(flag) is not True]
    if off:
        return failed(f"{flag} off in node pool(s) {', '.join(off)}", node_pools=off)
    return passed(f"{flag} on in all {len(pools)} node pool(s)")


def gke_auto_repair(resource: Resource, ctx: CheckContext) -> Outcome:
    """Every GKE node pool auto-repairs."""
    return _node_management(resource, "autoRepair")


def gke_auto_upgrade(resource: Resource, ctx: CheckContext) -> Outcome:
    """Every GKE node pool auto-upgrades."""
    return _node_management(resource, "autoUpgrade")
