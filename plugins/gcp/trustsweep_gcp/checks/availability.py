"""Availability: Cloud SQL backups, point-in-time recovery and high availability; GKE node upkeep."""

from __future__ import annotations

from typing import Any

from trustsweep.plugin import (
    PRODUCTION,
    CheckContext,
    Outcome,
    Resource,
    check,
    failed,
    is_production,
    not_applicable,
    passed,
)

from .. import types as T


def _is_replica(p: dict[str, Any]) -> bool:
    return p.get("instance_type") == "READ_REPLICA_INSTANCE" or bool(p.get("primary_instance"))


@check(
    "gcp.sql.backups_pitr",
    title="Cloud SQL automated backups and point-in-time recovery",
    types=T.SQL_INSTANCE,
    severity="high",
    rationale="Without backups and PITR, data lost to error or attack cannot be recovered.",
    remediation="Enable automated backups and point-in-time recovery (binary logging on MySQL).",
)
def sql_backups_pitr(resource: Resource, ctx: CheckContext) -> Outcome:
    """Cloud SQL takes automated backups and can recover to a point in time."""
    p = resource.properties
    if _is_replica(p):
        return not_applicable("read replicas are backed up through their primary")
    if not p.get("backups_enabled"):
        return failed("automated backups disabled")
    mysql = str(p.get("database_version") or "").startswith("MYSQL")
    if not (p.get("pitr_enabled") or (mysql and p.get("binary_log_enabled"))):
        return failed("automated backups on, point-in-time recovery off")
    return passed("automated backups and point-in-time recovery enabled")


@check(
    "gcp.sql.regional_production",
    title="Production Cloud SQL instances are REGIONAL",
    types=T.SQL_INSTANCE,
    severity="medium",
    rationale="A zonal production database goes down with its zone.",
    remediation="Set availabilityType REGIONAL on instances labelled as production (settings production_tag_keys, "
    "production_tag_values).",
    settings=PRODUCTION,
)
def sql_regional_production(resource: Resource, ctx: CheckContext) -> Outcome:
    """Cloud SQL instances labelled production are REGIONAL (highly available)."""
    p = resource.properties
    if not is_production(p.get("labels"), ctx):
        values = "|".join(sorted(str(v).lower() for v in ctx.setting("production_tag_values")))
        keys = "|".join(sorted(str(k).lower() for k in ctx.setting("production_tag_keys")))
        return not_applicable(f"not labelled {keys}={values}")
    if _is_replica(p):
        return not_applicable("read replica")
    kind = p.get("availability_type") or "ZONAL"
    if kind == "REGIONAL":
        return passed("production instance is REGIONAL")
    return failed(f"production instance is {kind}", availability_type=kind)


def _node_management(resource: Resource, flag: str, label: str) -> Outcome:
    p = resource.properties
    if p.get("autopilot"):
        return passed(f"Autopilot manages node {label}")
    pools = p.get("node_pools") or []
    if not pools:
        return not_applicable("no node pools")
    off = [pool.get("name", "?") for pool in pools if pool.get(flag) is not True]
    if off:
        return failed(f"{label} off in node pool(s) {', '.join(off)}", node_pools=off)
    return passed(f"{label} on in all {len(pools)} node pool(s)")


@check(
    "gcp.gke.node_auto_repair",
    title="GKE node pools auto-repair",
    types=T.GKE_CLUSTER,
    severity="medium",
    rationale="Auto-repair replaces unhealthy nodes and keeps workloads available.",
    remediation="Enable auto-repair on every node pool.",
)
def gke_node_auto_repair(resource: Resource, ctx: CheckContext) -> Outcome:
    """Every GKE node pool auto-repairs (Autopilot manages it)."""
    return _node_management(resource, "auto_repair", "autoRepair")


@check(
    "gcp.gke.node_auto_upgrade",
    title="GKE node pools auto-upgrade",
    types=T.GKE_CLUSTER,
    severity="medium",
    rationale="Auto-upgrade applies security patches to nodes.",
    remediation="Enable auto-upgrade on every node pool.",
)
def gke_node_auto_upgrade(resource: Resource, ctx: CheckContext) -> Outcome:
    """Every GKE node pool auto-upgrades (Autopilot manages it)."""
    return _node_management(resource, "auto_upgrade", "autoUpgrade")
