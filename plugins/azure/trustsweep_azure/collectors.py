"""Collectors: one function per unit of work, each reading one service for one subscription.

Resource Graph units share one batched query per batch of subscriptions (see :mod:`.batch`);
Resource Manager units read what Graph lacks (diagnostic settings, SQL auditing, TDE and firewall
rules, App Service TLS, Key Vault keys, security contacts); the Entra unit reads guest users and
conditional-access policies from Microsoft Graph once per tenant. Read-only: only GETs, plus the
Resource Graph query POST.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from trustsweep.model import Collected, CollectionError, Resource, WorkUnit
from trustsweep.unread import UNREAD, WHOLE, vanished

from . import batch
from . import types as T
from .reads import Gone, field, reason
from .session import Session, Settings, session

PROVIDER = "azure"
GLOBAL = "global"

# Resource Graph: table → ARM types read from it (lower case, as Graph returns them)
# (the `resources` table is read in three independent queries so that their pages arrive in parallel)
GRAPH_TYPES: dict[str, dict[str, str]] = {
    "resources:storage": {"microsoft.storage/storageaccounts": T.STORAGE_ACCOUNT},
    "resources:compute": {"microsoft.compute/disks": T.DISK, "microsoft.compute/virtualmachines": T.VM},
    "resources:network": {
        "microsoft.network/networksecuritygroups": T.NSG,
        "microsoft.network/networkwatchers/flowlogs": T.FLOW_LOG,
    },
    "authorizationresources": {
        "microsoft.authorization/roleassignments": "",
        "microsoft.authorization/roledefinitions": "",
    },
    "securityresources": {
        "microsoft.security/pricings": "",
        "microsoft.security/assessments": T.ASSESSMENT,
        "microsoft.security/assessments/subassessments": T.SUB_ASSESSMENT,
    },
    "recoveryservicesresources": {
        "microsoft.recoveryservices/vaults/backupfabrics/protectioncontainers/protecteditems": "",
    },
}
COLUMNS = "id, name, type, location, resourceGroup, subscriptionId, tags, sku, kind, properties"

API = {
    "diagnostic_settings": "2021-05-01-preview",
    "workspace": "2022-10-01",
    "storage": "2023-01-01",
    "sql": "2021-11-01",
    "web": "2023-12-01",
    "keyvault": "2023-07-01",
    "security_contacts": "2020-01-01-preview",
}


def graph_query(table: str, regions: Iterable[str] = ()) -> str:
    """The KQL for one table: its types, optionally some locations, a stable order for paging."""
    types = ", ".join(f"'{t}'" for t in GRAPH_TYPES[table])
    where = f"type in~ ({types})"
    locations = [r for r in regions if r]
    if locations and table.startswith("resources"):
        where += " and location in~ (" + ", ".join(f"'{r.lower()}'" for r in locations) + ")"
    return f"{table.split(':')[0]} | where {where} | project {COLUMNS} | order by id asc"


# ----------------------------------------------------------------------------------------------
# plumbing shared by the collectors


def _settings(unit: WorkUnit) -> Settings:
    return unit.options["settings"]


def _resource(unit: WorkUnit, type_: str, rid: str, name: str, region: str, properties: dict[str, Any]) -> Resource:
    return Resource(PROVIDER, unit.target.id, (region or GLOBAL).lower().replace(" ", ""), type_, rid, name,
                    properties)


def _fact(unit: WorkUnit, type_: str, suffix: str, properties: dict[str, Any]) -> Resource:
    """A subscription-level fact modelled as a resource with a stable native-like id."""
    rid = f"/subscriptions/{unit.target.id}/{suffix}"
    return Resource(PROVIDER, unit.target.id, GLOBAL, type_, rid, unit.target.name or unit.target.id, properties)


_unit_local = threading.local()  # requests made on this unit's behalf by a background Graph query


def _run(unit: WorkUnit, body: Callable[[Session], list[Resource]],
         partial: list[CollectionError] | None = None) -> Collected:
    """Run a collector body; a failure becomes a CollectionError naming the unit's resource types.

    ``partial`` collects the body's own errors about one part (one vault's keys): those alone.
    """
    _prefetch(unit)
    sess = session(_settings(unit))
    before = sess.requests
    _unit_local.extra = 0
    try:
        resources = body(sess)
        errors: list[CollectionError] = list(partial or ())
    except Exception as exc:  # noqa: BLE001 - every failure is reported, never a pass
        resources = []
        errors = [CollectionError(PROVIDER, unit.target.id, unit.region, unit.service, unit.resource_types,
                                  reason(exc))]
    return Collected(unit, resources=resources, errors=errors, requests=sess.requests - before + _unit_local.extra)


def _children(unit: WorkUnit, partial: list[CollectionError], parent: dict[str, Any], what: str,
              types: tuple[str, ...], read: Callable[[], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """List one resource's children (a server's databases); a failure errors their checks for
    that parent only."""
    try:
        return read()
    except Exception as exc:  # noqa: BLE001 - reported as an error for these children only
        partial.append(CollectionError(PROVIDER, unit.target.id, unit.region,
                                       f"{unit.service} {parent.get('name', parent['id'])} {what}", types,
                                       reason(exc)))
        return []


def _in_regions(unit: WorkUnit, location: str) -> bool:
    regions = unit.options.get("regions") or ()
    return not regions or (location or "").lower().replace(" ", "") in {r.lower() for r in regions}


GRAPH_TABLE_OF_SERVICE = {
    "graph.storage": "resources:storage", "graph.compute": "resources:compute", "graph.network": "resources:network",
    "graph.authorization": "authorizationresources", "graph.security": "securityresources",
    "graph.backup": "recoveryservicesresources",
}


def _fetcher(unit: WorkUnit, table: str) -> tuple[tuple[Any, ...], list[str], batch.Fetch]:
    members: list[str] = unit.options["batch"]
    settings = _settings(unit)
    query = graph_query(table, unit.options.get("regions") or ())
    key = (unit.options["run"], table, tuple(members))

    def fetch() -> tuple[list[tuple[str, Any]], int]:
        sess = session(settings)
        before = sess.requests
        try:
            pairs = [(str(row.get("subscriptionId") or ""), row)
                     for row in sess.graph_rows(query, subscriptions=members)]
        except Exception as exc:
            exc.requests = sess.requests - before  # type: ignore[attr-defined]
            raise
        return pairs, sess.requests - before

    return key, members, fetch


def _prefetch(unit: WorkUnit) -> None:
    """Start every Resource Graph query of this unit's batch in the background (main process only)."""
    if "batch" not in unit.options or not batch.in_main_process():
        return
    for table in GRAPH_TABLE_OF_SERVICE.values():
        key, members, fetch = _fetcher(unit, table)
        batch.start(key, members, fetch)


def _graph_slice(unit: WorkUnit, sess: Session, table: str) -> list[dict[str, Any]]:
    """This subscription's rows of the batched query over ``table``."""
    key, members, fetch = _fetcher(unit, table)
    rows, requests = batch.take(key, unit.target.id, members, fetch)
    _unit_local.extra = getattr(_unit_local, "extra", 0) + requests
    return rows


# ----------------------------------------------------------------------------------------------
# Resource Graph units


def graph_resources(unit: WorkUnit) -> Collected:
    """Storage accounts, managed disks and VMs, or NSGs and flow logs (``unit.options["table"]``)."""
    table = unit.options["table"]

    def body(sess: Session) -> list[Resource]:
        out = []
        for row in _graph_slice(unit, sess, table):
            type_ = GRAPH_TYPES[table].get(str(row.get("type", "")).lower())
            if not type_:
                continue
            props = dict(row.get("properties") or {})
            props["_sku"] = row.get("sku") or {}
            props["_tags"] = row.get("tags") or {}
            props["_kind"] = row.get("kind") or ""
            props["_resourceGroup"] = row.get("resourceGroup") or ""
            out.append(_resource(unit, type_, row["id"], row.get("name") or "", row.get("location") or "", props))
        return out

    return _run(unit, body)


def graph_authorization(unit: WorkUnit) -> Collected:
    """Role assignments (one access fact per subscription) and custom role definitions."""

    def body(sess: Session) -> list[Resource]:
        sub = unit.target.id
        assignments, out = [], []
        for row in _graph_slice(unit, sess, "authorizationresources"):
            props = row.get("properties") or {}
            kind = str(row.get("type", "")).lower()
            if kind == "microsoft.authorization/roleassignments":
                assignments.append({
                    "id": row["id"], "principalId": props.get("principalId"),
                    "principalType": props.get("principalType"), "scope": props.get("scope"),
                    "roleDefinitionId": str(props.get("roleDefinitionId") or "").rsplit("/", 1)[-1].lower(),
                })
            elif kind == "microsoft.authorization/roledefinitions" and props.get("type") == "CustomRole":
                out.append(_resource(unit, T.CUSTOM_ROLE, row["id"], props.get("roleName") or row.get("name", ""),
                                     GLOBAL, {"roleName": props.get("roleName"),
                                              "assignableScopes": props.get("assignableScopes") or [],
                                              "permissions": props.get("permissions") or [],
                                              "subscription": sub}))
        out.append(_fact(unit, T.ACCESS, "providers/Microsoft.Authorization/roleAssignments",
                         {"subscription": sub, "assignments": assignments}))
        return out

    return _run(unit, body)


def graph_security(unit: WorkUnit) -> Collected:
    """Defender plans (one coverage fact per subscription), recommendations and vulnerability sub-assessments."""

    def body(sess: Session) -> list[Resource]:
        plans: dict[str, str] = {}
        out = []
        for row in _graph_slice(unit, sess, "securityresources"):
            props = row.get("properties") or {}
            kind = str(row.get("type", "")).lower()
            if kind == "microsoft.security/pricings":
                plans[str(row.get("name"))] = str(props.get("pricingTier") or "")
            elif kind == "microsoft.security/assessments/subassessments":
                status = props.get("status") or {}
                details = props.get("resourceDetails") or {}
                out.append(_resource(unit, T.SUB_ASSESSMENT, row["id"], props.get("displayName") or row.get("name", ""),
                                     GLOBAL, {"status": status.get("code"), "severity": status.get("severity"),
                                              "firstEvaluationDate": status.get("firstEvaluationDate"),
                                              "timeGenerated": props.get("timeGenerated"),
                                              "vulnerability": props.get("id"),
                                              "resource": details.get("id") or details.get("Id")}))
            elif kind == "microsoft.security/assessments":
                status = props.get("status") or {}
                details = props.get("resourceDetails") or {}
                out.append(_resource(unit, T.ASSESSMENT, row["id"], props.get("displayName") or row.get("name", ""),
                                     GLOBAL, {"status": status.get("code"),
                                              "severity": (props.get("metadata") or {}).get("severity"),
                                              "firstEvaluationDate": status.get("firstEvaluationDate"),
                                              "statusChangeDate": status.get("statusChangeDate"),
                                              "resource": details.get("id") or details.get("Id")}))
        out.append(_fact(unit, T.DEFENDER, "providers/Microsoft.Security/pricings", {"plans": plans}))
        return out

    return _run(unit, body)


def graph_backup(unit: WorkUnit) -> Collected:
    """Items protected by Recovery Services vaults (one coverage fact per subscription)."""

    def body(sess: Session) -> list[Resource]:
        protected = []
        for row in _graph_slice(unit, sess, "recoveryservicesresources"):
            props = row.get("properties") or {}
            if props.get("sourceResourceId"):
                protected.append({"source": str(props["sourceResourceId"]).lower(),
                                  "state": props.get("protectionState"),
                                  "vault": row["id"].split("/backupFabrics/")[0],
                                  "lastBackupTime": props.get("lastBackupTime")})
        return [_fact(unit, T.BACKUP, "providers/Microsoft.RecoveryServices/protectedItems", {"protected": protected})]

    return _run(unit, body)


# ----------------------------------------------------------------------------------------------
# Resource Manager units


def _diagnostic_settings(sess: Session, resource_id: str) -> list[dict[str, Any]]:
    settings = []
    for item in sess.arm_list(f"{resource_id}/providers/microsoft.insights/diagnosticSettings",
                              API["diagnostic_settings"]):
        props = item.get("properties") or {}
        settings.append({
            "name": item.get("name"),
            "logs": [{"category": log.get("category"), "categoryGroup": log.get("categoryGroup"),
                      "enabled": bool(log.get("enabled"))} for log in props.get("logs") or []],
            "workspaceId": props.get("workspaceId"), "storageAccountId": props.get("storageAccountId"),
            "eventHubAuthorizationRuleId": props.get("eventHubAuthorizationRuleId"),
        })
    return settings


def _storage_destination(sess: Session, account_id: str) -> dict[str, Any]:
    """Retention and immutability facts about a storage account that receives logs."""
    try:
        account = sess.arm_get(account_id, API["storage"]) or {}
        policy = sess.arm_get(f"{account_id}/managementPolicies/default", API["storage"], missing_ok=True)
        containers = list(sess.arm_list(f"{account_id}/blobServices/default/containers", API["storage"]))
    except Exception as exc:  # noqa: BLE001 - recorded; the check reports it as an error
        return {"id": account_id, UNREAD: {WHOLE: reason(exc)}}
    delete_days = []
    for rule in ((policy or {}).get("properties") or {}).get("policy", {}).get("rules") or []:
        if rule.get("enabled", True):
            delete = (((rule.get("definition") or {}).get("actions") or {}).get("baseBlob") or {}).get("delete") or {}
            for key in ("daysAfterModificationGreaterThan", "daysAfterCreationGreaterThan"):
                if delete.get(key) is not None:
                    delete_days.append(int(delete[key]))
    account_policy = ((account.get("properties") or {}).get("immutableStorageWithVersioning") or {}).get(
        "immutabilityPolicy") or {}
    return {
        "id": account_id, "name": account.get("name"),
        "deleteAfterDays": min(delete_days) if delete_days else None,
        "accountImmutability": account_policy.get("state"),
        "accountImmutabilityDays": account_policy.get("immutabilityPeriodSinceCreationInDays"),
        "containers": [{"name": c.get("name"),
                        "immutability": ((c.get("properties") or {}).get("immutabilityPolicy") or {}).get("state"),
                        "days": ((c.get("properties") or {}).get("immutabilityPolicy") or {}).get(
                            "immutabilityPeriodSinceCreationInDays")}
                       for c in containers],
    }


def arm_monitor(unit: WorkUnit) -> Collected:
    """The subscription's activity-log diagnostic settings and the retention of their destinations."""

    def body(sess: Session) -> list[Resource]:
        sub = unit.target.id
        settings = _diagnostic_settings(sess, f"/subscriptions/{sub}")
        storages: dict[str, dict[str, Any]] = {}
        for setting in settings:
            if setting["workspaceId"]:
                try:
                    ws = sess.arm_get(setting["workspaceId"], API["workspace"]) or {}
                    setting["workspaceRetentionDays"] = (ws.get("properties") or {}).get("retentionInDays")
                except Exception as exc:  # noqa: BLE001
                    setting["workspaceError"] = str(exc)
            if setting["storageAccountId"]:
                key = setting["storageAccountId"].lower()
                if key not in storages:
                    storages[key] = _storage_destination(sess, setting["storageAccountId"])
                setting["storage"] = {k: v for k, v in storages[key].items() if k != "containers"}
        out = [_fact(unit, T.ACTIVITY_LOG, "providers/microsoft.insights/diagnosticSettings", {"settings": settings})]
        for dest in storages.values():
            out.append(_resource(unit, T.LOG_STORAGE, dest["id"], dest.get("name") or dest["id"].rsplit("/", 1)[-1],
                                 GLOBAL, dest))
        return out

    return _run(unit, body)


def _sql_server(sess: Session, server: dict[str, Any], props: dict[str, Any]) -> None:
    sid, api = server["id"], API["sql"]
    auditing = field(sess, props, "auditing", sid, api, lambda: sess.arm_get(f"{sid}/auditingSettings/default", api))
    if auditing is not None:
        found = auditing.get("properties") or {}
        props["auditing"] = {k: found.get(k) for k in ("state", "retentionDays", "isAzureMonitorTargetEnabled",
                                                        "storageEndpoint")}
    rules = field(sess, props, "firewallRules", sid, api, lambda: list(sess.arm_list(f"{sid}/firewallRules", api)))
    if rules is not None:
        props["firewallRules"] = [{"name": r.get("name"), **(r.get("properties") or {})} for r in rules]


def _sql_database(sess: Session, db: dict[str, Any], props: dict[str, Any]) -> None:
    did, api = db["id"], API["sql"]
    tde = field(sess, props, "tde", did, api, lambda: sess.arm_get(f"{did}/transparentDataEncryption/current", api))
    if tde is not None:
        state = tde.get("properties") or {}
        props["tde"] = state.get("state") or state.get("status")
    ltr = field(sess, props, "longTermRetention", did, api,
                lambda: sess.arm_get(f"{did}/backupLongTermRetentionPolicies/default", api, missing_ok=True) or {})
    if ltr is not None:
        props["longTermRetention"] = ltr.get("properties") or {}


def arm_sql(unit: WorkUnit) -> Collected:
    """SQL servers with auditing and firewall rules; their databases with TDE and backup policy.

    A read about one server or database marks that resource only (:mod:`.reads`)."""
    partial: list[CollectionError] = []

    def body(sess: Session) -> list[Resource]:
        sub, api, out = unit.target.id, API["sql"], []
        for server in sess.arm_list(f"/subscriptions/{sub}/providers/Microsoft.Sql/servers", api):
            if not _in_regions(unit, server.get("location", "")):
                continue
            sid, props = server["id"], dict(server.get("properties") or {})
            try:
                _sql_server(sess, server, props)
            except Gone as gone:
                props = vanished({}, str(gone))
            out.append(_resource(unit, T.SQL_SERVER, sid, server.get("name", ""), server.get("location", ""), props))
            if props.get("vanished"):
                continue
            for db in _children(unit, partial, server, "databases", (T.SQL_DATABASE,),
                                lambda: list(sess.arm_list(f"{sid}/databases", api))):
                if db.get("name") == "master" or "system" in str(db.get("kind", "")):
                    continue
                dprops = dict(db.get("properties") or {})
                try:
                    _sql_database(sess, db, dprops)
                except Gone as gone:
                    dprops = vanished({}, str(gone))
                out.append(_resource(unit, T.SQL_DATABASE, db["id"], db.get("name", ""), db.get("location", ""),
                                     dprops))
        return out

    return _run(unit, body, partial)


def arm_web(unit: WorkUnit) -> Collected:
    """App Service sites with their web configuration (minimum TLS version)."""

    def body(sess: Session) -> list[Resource]:
        sub, api, out = unit.target.id, API["web"], []
        for site in sess.arm_list(f"/subscriptions/{sub}/providers/Microsoft.Web/sites", api):
            if not _in_regions(unit, site.get("location", "")):
                continue
            props = dict(site.get("properties") or {})
            props.pop("siteConfig", None)
            try:
                web = field(sess, props, "config", site["id"], api, lambda: sess.arm_get(f"{site['id']}/config/web", api))
            except Gone as gone:
                props, web = vanished({}, str(gone)), None
            if web is not None:
                config = web.get("properties") or {}
                props["config"] = {k: config.get(k) for k in ("minTlsVersion", "scmMinTlsVersion", "ftpsState",
                                                               "http20Enabled")}
            out.append(_resource(unit, T.WEB_APP, site["id"], site.get("name", ""), site.get("location", ""), props))
        return out

    return _run(unit, body)


def arm_keyvault(unit: WorkUnit) -> Collected:
    """Key vaults with their diagnostic settings, and their keys with rotation policy and expiry.

    A read about one vault marks that vault only; a failed key listing errors that vault's keys."""
    partial: list[CollectionError] = []

    def body(sess: Session) -> list[Resource]:
        sub, api, out = unit.target.id, API["keyvault"], []
        for vault in sess.arm_list(f"/subscriptions/{sub}/providers/Microsoft.KeyVault/vaults", api):
            if not _in_regions(unit, vault.get("location", "")):
                continue
            vid, props = vault["id"], dict(vault.get("properties") or {})
            props.pop("accessPolicies", None)
            try:
                diagnostics = field(sess, props, "diagnosticSettings", vid, api, lambda: _diagnostic_settings(sess, vid))
            except Gone as gone:
                out.append(_resource(unit, T.KEY_VAULT, vid, vault.get("name", ""), vault.get("location", ""),
                                     vanished({}, str(gone))))
                continue
            if diagnostics is not None:
                props["diagnosticSettings"] = diagnostics
            out.append(_resource(unit, T.KEY_VAULT, vid, vault.get("name", ""), vault.get("location", ""), props))
            for key in _children(unit, partial, vault, "keys", (T.KEY,), lambda: list(sess.arm_list(f"{vid}/keys", api))):
                kprops = key.get("properties") or {}
                out.append(_resource(unit, T.KEY, key["id"], key.get("name", ""), vault.get("location", ""), {
                    "vault": vid, "attributes": kprops.get("attributes") or {},
                    "rotationPolicy": kprops.get("rotationPolicy") or {}, "kty": kprops.get("kty")}))
        return out

    return _run(unit, body, partial)


def arm_security(unit: WorkUnit) -> Collected:
    """Defender for Cloud security contacts (one fact per subscription)."""

    def body(sess: Session) -> list[Resource]:
        sub = unit.target.id
        contacts = []
        for item in sess.arm_list(f"/subscriptions/{sub}/providers/Microsoft.Security/securityContacts",
                                  API["security_contacts"]):
            props = item.get("properties") or {}
            contacts.append({"name": item.get("name"), "emails": props.get("emails") or "",
                             "isEnabled": props.get("isEnabled", True),
                             "alertNotifications": (props.get("alertNotifications") or {}).get("state"),
                             "notificationsByRole": (props.get("notificationsByRole") or {}).get("state")})
        return [_fact(unit, T.CONTACTS, "providers/Microsoft.Security/securityContacts", {"contacts": contacts})]

    return _run(unit, body)


# ----------------------------------------------------------------------------------------------
# Microsoft Graph (Entra ID), once per tenant per process

_tenant_lock = threading.Lock()
_tenant_cache: dict[tuple[Any, ...], tuple[threading.Event, dict[str, Any]]] = {}


def entra(unit: WorkUnit) -> Collected:
    """Guest users and conditional-access policies of the subscription's tenant."""

    def body(sess: Session) -> list[Resource]:
        tenant = unit.target.attrs.get("tenant_id") or "unknown-tenant"
        key = (unit.options["run"], tenant)
        with _tenant_lock:
            entry = _tenant_cache.get(key)
            leader = entry is None
            if entry is None:
                entry = _tenant_cache[key] = (threading.Event(), {})
        event, data = entry
        if leader:
            try:
                guests = [{"id": u.get("id"), "userPrincipalName": u.get("userPrincipalName")}
                          for u in sess.msgraph_list("/v1.0/users?$filter=userType eq 'Guest'"
                                                     "&$select=id,userPrincipalName,userType")]
                policies = []
                for p in sess.msgraph_list("/v1.0/identity/conditionalAccess/policies"):
                    cond = p.get("conditions") or {}
                    policies.append({"id": p.get("id"), "displayName": p.get("displayName"), "state": p.get("state"),
                                     "users": cond.get("users") or {}, "applications": cond.get("applications") or {},
                                     "grantControls": p.get("grantControls") or {}})
                data["value"] = {"tenant": tenant, "guests": guests, "policies": policies}
            except Exception as exc:  # noqa: BLE001
                data["error"] = str(exc)
            finally:
                event.set()
        else:
            event.wait()
        if "error" in data:
            raise RuntimeError(data["error"])
        return [Resource(PROVIDER, unit.target.id, GLOBAL, T.DIRECTORY, f"/tenants/{tenant}", tenant,
                         dict(data["value"]))]

    return _run(unit, body)
