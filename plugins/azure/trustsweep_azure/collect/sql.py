"""SQL servers with auditing and firewall rules; their databases with TDE and backup policy.

A read about one server or database marks that resource only; a failed database listing errors
that server's databases only.
"""

from __future__ import annotations

from typing import Any

from .. import types as T
from .base import API, AzureCollector, Gone

API_VERSION = API["sql"]


def _server(ctx: AzureCollector, server: dict[str, Any]) -> dict[str, Any]:
    sid, found = server["id"], server.get("properties") or {}
    props: dict[str, Any] = {
        "min_tls": found.get("minimalTlsVersion"),
        "public_network_access": found.get("publicNetworkAccess"),
        "tags": server.get("tags") or {},
    }
    auditing = ctx.read(
        props, "auditing", sid, API_VERSION, lambda: ctx.session.arm_get(f"{sid}/auditingSettings/default", API_VERSION)
    )
    if auditing is not None:
        audit = auditing.get("properties") or {}
        props["auditing"] = {
            "state": audit.get("state"),
            "retention_days": audit.get("retentionDays"),
            "azure_monitor": audit.get("isAzureMonitorTargetEnabled"),
            "storage_endpoint": audit.get("storageEndpoint"),
        }
    rules = ctx.read(
        props,
        "firewall_rules",
        sid,
        API_VERSION,
        lambda: list(ctx.session.arm_list(f"{sid}/firewallRules", API_VERSION)),
    )
    if rules is not None:
        props["firewall_rules"] = [
            {
                "name": r.get("name"),
                "start_ip": (r.get("properties") or {}).get("startIpAddress"),
                "end_ip": (r.get("properties") or {}).get("endIpAddress"),
            }
            for r in rules
        ]
    return props


def _database(ctx: AzureCollector, db: dict[str, Any]) -> dict[str, Any]:
    did, found = db["id"], db.get("properties") or {}
    props: dict[str, Any] = {
        "server_id": did.split("/databases/")[0],
        "status": found.get("status"),
        "backup_redundancy": found.get("requestedBackupStorageRedundancy")
        or found.get("currentBackupStorageRedundancy"),
    }
    tde = ctx.read(
        props,
        "tde",
        did,
        API_VERSION,
        lambda: ctx.session.arm_get(f"{did}/transparentDataEncryption/current", API_VERSION),
    )
    if tde is not None:
        state = tde.get("properties") or {}
        props["tde"] = state.get("state") or state.get("status")
    ltr = ctx.read(
        props,
        "long_term_retention",
        did,
        API_VERSION,
        lambda: (
            ctx.session.arm_get(f"{did}/backupLongTermRetentionPolicies/default", API_VERSION, missing_ok=True) or {}
        ),
    )
    if ltr is not None:
        policy = ltr.get("properties") or {}
        props["long_term_retention"] = {
            period: policy[f"{period}Retention"]
            for period in ("weekly", "monthly", "yearly")
            if policy.get(f"{period}Retention") not in (None, "", "PT0S")
        }
    return props


def collect(ctx: AzureCollector) -> None:
    for server in ctx.arm_items("Microsoft.Sql/servers", API_VERSION):
        try:
            ctx.add_at(T.SQL_SERVER, server, **_server(ctx, server))
        except Gone as gone:
            ctx.vanished(T.SQL_SERVER, server["id"], server.get("name", ""), str(gone))
            continue
        sid = server["id"]
        for db in ctx.children(
            server,
            "databases",
            (T.SQL_DATABASE,),
            lambda sid=sid: list(ctx.session.arm_list(f"{sid}/databases", API_VERSION)),
        ):
            if db.get("name") == "master" or "system" in str(db.get("kind", "")):
                continue
            try:
                ctx.add_at(T.SQL_DATABASE, db, **_database(ctx, db))
            except Gone as gone:
                ctx.vanished(T.SQL_DATABASE, db["id"], db.get("name", ""), str(gone))
