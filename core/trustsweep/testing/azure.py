"""A local fake of Azure Resource Manager, Resource Graph and the Microsoft Graph bits trustsweep reads.

It serves HTTPS with a certificate from a throw-away CA (``trustme``), so the Azure SDK's real
bearer-token policy runs (it refuses plain http). Plugin authors and tests use it like this::

    from trustsweep.testing.azure import AzureEstate, FakeAzure

    estate = AzureEstate()
    sub = estate.add_subscription("Prod")
    estate.storage_account(sub, "logs", https_only=False)
    with FakeAzure(estate, workdir) as fake:
        os.environ.update(fake.env())  # TRUSTSWEEP_AZURE_ENDPOINT + TRUSTSWEEP_AZURE_CA_BUNDLE
        ...

What it speaks (shapes modelled on ``tests/fixtures/azure/arm-recordings``):

* ``GET /subscriptions`` and ``/subscriptions/{id}`` (``nextLink`` paging);
* ``POST /providers/Microsoft.ResourceGraph/resources``: the table is the first word of the KQL
  query, ``type in~ ('a', 'b')`` filters types, ``location in~ (...)`` filters locations; scoped by
  ``subscriptions`` or ``managementGroups``; ``options.$top`` rows per page and ``$skipToken``;
* any other ``GET`` path registered in the estate (single documents, or collections served as
  ``{"value": [...], "nextLink": ...}``), 404 with an ARM error body otherwise;
* ``GET /v1.0/users`` (``$filter=userType eq 'Guest'``) and
  ``/v1.0/identity/conditionalAccess/policies`` with ``@odata.nextLink`` paging.

Every request must carry ``Authorization: Bearer <token>`` (401 otherwise). Faults can be injected
per request pattern: ``429`` (no Retry-After), ``429:N`` (Retry-After N s), ``429q:N`` (Resource
Graph's ``x-ms-user-quota-resets-after``), ``503``, ``500``,
``timeout`` (the response is delayed past the client's read timeout).

Nothing here imports an Azure SDK; ``trustme`` is imported when a server starts.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
import re
import ssl
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

TEST_TOKEN = "trustsweep-static-test-token"
OWNER_ROLE = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
CONTRIBUTOR_ROLE = "b24988ac-6180-42a0-ab88-20f7382dd24c"
READER_ROLE = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
AZURE_MANAGEMENT_APP = "797f4846-ba00-4fd7-ba43-dac1f8f63013"
GRAPH_PATH = "/providers/microsoft.resourcegraph/resources"


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "trustsweep-azure:" + "/".join(parts)))


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# ----------------------------------------------------------------------------------------------
# the estate: Resource Graph tables, ARM documents, directory objects


@dataclass
class AzureEstate:
    """What the fake serves. Builders below add resources in the shapes the real APIs return."""

    tenant_id: str = "6f1c1d5e-0b5a-4c3e-9d8e-3a7b2c1d0e9f"
    subscriptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    arm: dict[str, Any] = field(default_factory=dict)
    users: list[dict[str, Any]] = field(default_factory=list)
    ca_policies: list[dict[str, Any]] = field(default_factory=list)

    # -- primitives ----------------------------------------------------------------------------

    def add_subscription(self, name: str, sub_id: str | None = None, management_groups: tuple[str, ...] = ()) -> str:
        sub_id = sub_id or _uuid("subscription", name)
        self.subscriptions[sub_id] = {
            "id": f"/subscriptions/{sub_id}", "subscriptionId": sub_id, "displayName": name,
            "tenantId": self.tenant_id, "state": "Enabled",
            "subscriptionPolicies": {"locationPlacementId": "Public_2014-09-01", "quotaId": "PayAsYouGo_2014-09-01",
                                     "spendingLimit": "Off"},
            "authorizationSource": "RoleBased", "managementGroups": list(management_groups),
        }
        self.row("resourcecontainers", {
            "id": f"/subscriptions/{sub_id}", "name": name, "type": "microsoft.resources/subscriptions",
            "tenantId": self.tenant_id, "location": "", "resourceGroup": "", "subscriptionId": sub_id,
            "properties": {"state": "Enabled", "managementGroupAncestorsChain": [
                {"name": mg, "displayName": mg} for mg in management_groups]},
            "tags": {},
        })
        return sub_id

    def row(self, table: str, row: dict[str, Any]) -> dict[str, Any]:
        self.tables.setdefault(table, []).append(row)
        return row

    def put(self, path: str, doc: Any) -> None:
        """Register a GET document; a list is served as a paged collection."""
        self.arm[path.lower()] = doc

    def append(self, path: str, item: dict[str, Any]) -> None:
        self.arm.setdefault(path.lower(), []).append(item)

    def _graph_row(self, sub: str, rg: str, provider_type: str, name: str, location: str,
                   properties: dict[str, Any], *, tags: dict[str, str] | None = None,
                   sku: dict[str, Any] | None = None, kind: str = "", table: str = "resources",
                   rid: str | None = None) -> dict[str, Any]:
        rid = rid or f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{provider_type}/{name}"
        return self.row(table, {
            "id": rid, "name": name, "type": provider_type.lower(), "tenantId": self.tenant_id,
            "kind": kind, "location": location, "resourceGroup": rg.lower(), "subscriptionId": sub,
            "managedBy": "", "sku": sku, "plan": None, "properties": properties, "tags": tags or {},
            "identity": None, "zones": None, "extendedLocation": None,
        })

    # -- storage, compute, network (served by Resource Graph) ---------------------------------

    def storage_account(self, sub: str, name: str, *, rg: str = "rg-data", location: str = "westeurope",
                        https_only: bool | None = True, min_tls: str | None = "TLS1_2",
                        public_blob: bool | None = False, default_action: str = "Deny",
                        sku: str = "Standard_GRS", tags: dict[str, str] | None = None,
                        immutable_account: str | None = None) -> str:
        props: dict[str, Any] = {
            "provisioningState": "Succeeded", "privateEndpointConnections": [],
            "encryption": {"keySource": "Microsoft.Storage", "services": {
                "blob": {"enabled": True, "keyType": "Account"}, "file": {"enabled": True, "keyType": "Account"}}},
            "creationTime": "2024-03-04T10:11:12.0000000Z", "statusOfPrimary": "available",
            "primaryLocation": location, "accessTier": "Hot",
            "primaryEndpoints": {"blob": f"https://{name}.blob.core.windows.net/"},
            "networkAcls": {"virtualNetworkRules": [], "defaultAction": default_action, "ipRules": [],
                            "bypass": "AzureServices"},
        }
        if https_only is not None:
            props["supportsHttpsTrafficOnly"] = https_only
        if min_tls is not None:
            props["minimumTlsVersion"] = min_tls
        if public_blob is not None:
            props["allowBlobPublicAccess"] = public_blob
        if immutable_account:
            props["immutableStorageWithVersioning"] = {"enabled": True, "immutabilityPolicy": {
                "immutabilityPeriodSinceCreationInDays": 365, "state": immutable_account}}
        row = self._graph_row(sub, rg, "Microsoft.Storage/storageAccounts", name, location, props, tags=tags,
                              sku={"name": sku, "tier": "Standard"}, kind="StorageV2")
        arm_doc = {**{k: row[k] for k in ("id", "name", "location", "tags", "sku", "kind")},
                   "type": "Microsoft.Storage/storageAccounts", "properties": props}
        self.put(row["id"], arm_doc)
        return row["id"]

    def log_container(self, account_id: str, name: str = "insights-activity-logs", *, state: str | None = "Locked",
                      days: int = 365) -> None:
        props: dict[str, Any] = {"publicAccess": "None", "leaseStatus": "Unlocked", "leaseState": "Available",
                                 "lastModifiedTime": "2024-03-04T10:11:12.0000000Z",
                                 "hasImmutabilityPolicy": state is not None, "hasLegalHold": False}
        if state is not None:
            props["immutabilityPolicy"] = {"immutabilityPeriodSinceCreationInDays": days, "state": state,
                                           "allowProtectedAppendWrites": True}
        self.append(f"{account_id}/blobServices/default/containers", {
            "id": f"{account_id}/blobServices/default/containers/{name}", "name": name,
            "type": "Microsoft.Storage/storageAccounts/blobServices/containers", "etag": '"0x8D72CBF8FFFAAD3"',
            "properties": props})

    def lifecycle_delete(self, account_id: str, days: int) -> None:
        self.put(f"{account_id}/managementPolicies/default", {
            "id": f"{account_id}/managementPolicies/default", "name": "DefaultManagementPolicy",
            "type": "Microsoft.Storage/storageAccounts/managementPolicies",
            "properties": {"policy": {"rules": [{"enabled": True, "name": "expire", "type": "Lifecycle",
                                                  "definition": {"actions": {"baseBlob": {"delete": {
                                                      "daysAfterModificationGreaterThan": days}}},
                                                      "filters": {"blobTypes": ["blockBlob", "appendBlob"]}}}]}}})

    def disk(self, sub: str, name: str, *, rg: str = "rg-compute", location: str = "westeurope",
             encryption: str = "EncryptionAtRestWithPlatformKey") -> str:
        props = {"creationData": {"createOption": "Empty"}, "diskSizeGB": 128, "provisioningState": "Succeeded",
                 "diskState": "Attached", "timeCreated": "2024-03-04T10:11:12.627047+00:00",
                 "encryption": {"type": encryption}}
        if "Customer" in encryption:
            props["encryption"]["diskEncryptionSetId"] = (
                f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/diskEncryptionSets/des-cmk")
        return self._graph_row(sub, rg, "Microsoft.Compute/disks", name, location, props,
                               sku={"name": "Premium_LRS", "tier": "Premium"})["id"]

    def vm(self, sub: str, name: str, *, rg: str = "rg-compute", location: str = "westeurope",
           backed_up: bool = True, vault: str = "rsv-main") -> str:
        props = {"vmId": _uuid("vm", sub, name), "hardwareProfile": {"vmSize": "Standard_D2s_v5"},
                 "storageProfile": {"osDisk": {"osType": "Linux", "name": f"{name}_OsDisk",
                                               "createOption": "FromImage"}},
                 "osProfile": {"computerName": name, "adminUsername": "azureuser"},
                 "provisioningState": "Succeeded"}
        vm_id = self._graph_row(sub, rg, "Microsoft.Compute/virtualMachines", name, location, props)["id"]
        if backed_up:
            vault_id = f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.RecoveryServices/vaults/{vault}"
            item = f"VM;iaasvmcontainerv2;{rg};{name}"
            self._graph_row(sub, rg, "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems",
                            item, location, {"sourceResourceId": vm_id, "protectionState": "Protected",
                                             "protectionStatus": "Healthy", "workloadType": "VM",
                                             "lastBackupTime": "2024-03-04T02:00:00Z", "friendlyName": name,
                                             "backupManagementType": "AzureIaasVM"},
                            table="recoveryservicesresources",
                            rid=f"{vault_id}/backupFabrics/Azure/protectionContainers/iaasvmcontainerv2;{rg};{name}/protectedItems/{item}")
        return vm_id

    def nsg(self, sub: str, name: str, rules: list[dict[str, Any]] | None = None, *, rg: str = "rg-net",
            location: str = "westeurope", subnets: list[str] | None = None) -> str:
        full_rules = []
        for index, rule in enumerate(rules or []):
            props = {"provisioningState": "Succeeded", "protocol": "*", "sourcePortRange": "*",
                     "destinationAddressPrefix": "*", "access": "Allow", "priority": 100 + index * 10,
                     "direction": "Inbound", "sourcePortRanges": [], "destinationPortRanges": [],
                     "sourceAddressPrefixes": [], "destinationAddressPrefixes": []}
            props.update({k: v for k, v in rule.items() if k != "name"})
            rname = rule.get("name", f"rule{index}")
            full_rules.append({"name": rname, "type": "Microsoft.Network/networkSecurityGroups/securityRules",
                               "id": f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/networkSecurityGroups/{name}/securityRules/{rname}",
                               "properties": props})
        props = {"provisioningState": "Succeeded", "resourceGuid": _uuid("nsg", sub, name),
                 "securityRules": full_rules, "defaultSecurityRules": [],
                 "subnets": [{"id": s} for s in subnets or []]}
        return self._graph_row(sub, rg, "Microsoft.Network/networkSecurityGroups", name, location, props)["id"]

    def flow_log(self, sub: str, target_id: str, *, enabled: bool = True, rg: str = "NetworkWatcherRG",
                 location: str = "westeurope", retention_days: int = 365) -> str:
        name = "fl-" + target_id.rsplit("/", 1)[-1]
        props = {"provisioningState": "Succeeded", "targetResourceId": target_id,
                 "targetResourceGuid": _uuid("target", target_id), "enabled": enabled,
                 "storageId": f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Storage/storageAccounts/flowlogs",
                 "flowAnalyticsConfiguration": {}, "retentionPolicy": {"days": retention_days, "enabled": True},
                 "format": {"type": "JSON", "version": 2}}
        rid = f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/networkWatchers/NetworkWatcher_{location}/flowLogs/{name}"
        return self._graph_row(sub, rg, "Microsoft.Network/networkWatchers/flowLogs", name, location, props,
                               rid=rid)["id"]

    def workspace(self, sub: str, name: str, *, retention_days: int = 365, rg: str = "rg-logs",
                  location: str = "westeurope") -> str:
        rid = f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/workspaces/{name}"
        self.put(rid, {"id": rid, "name": name, "type": "Microsoft.OperationalInsights/workspaces",
                       "location": location, "properties": {"provisioningState": "Succeeded",
                                                            "customerId": _uuid("ws", rid),
                                                            "sku": {"name": "PerGB2018"},
                                                            "retentionInDays": retention_days}})
        return rid

    # -- logging, SQL, App Service, Key Vault (ARM) -------------------------------------------

    def activity_log_export(self, sub: str, name: str = "export-activity-log", *, workspace_id: str | None = None,
                            storage_id: str | None = None, categories: tuple[str, ...] = (
                                "Administrative", "Security", "Policy", "Alert")) -> None:
        logs = [{"category": c, "enabled": c in categories, "categoryGroup": None}
                for c in ("Administrative", "Security", "ServiceHealth", "Alert", "Recommendation", "Policy",
                          "Autoscale", "ResourceHealth")]
        props: dict[str, Any] = {"logs": logs}
        if workspace_id:
            props["workspaceId"] = workspace_id
        if storage_id:
            props["storageAccountId"] = storage_id
        self.append(f"/subscriptions/{sub}/providers/microsoft.insights/diagnosticSettings", {
            "id": f"subscriptions/{sub}/providers/microsoft.insights/diagnosticSettings/{name}",
            "type": "Microsoft.Insights/diagnosticSettings", "name": name, "location": "global",
            "properties": props})

    def sql_server(self, sub: str, name: str, *, rg: str = "rg-sql", location: str = "westeurope",
                   min_tls: str = "1.2", auditing: str = "Enabled", audit_days: int = 0,
                   firewall: list[tuple[str, str, str]] = ()) -> str:
        rid = f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Sql/servers/{name}"
        self.append(f"/subscriptions/{sub}/providers/Microsoft.Sql/servers", {
            "kind": "v12.0", "id": rid, "name": name, "type": "Microsoft.Sql/servers", "location": location,
            "tags": {}, "properties": {"administratorLogin": "sqladmin", "version": "12.0", "state": "Ready",
                                       "fullyQualifiedDomainName": f"{name}.database.windows.net",
                                       "minimalTlsVersion": min_tls, "publicNetworkAccess": "Enabled",
                                       "restrictOutboundNetworkAccess": "Disabled"}})
        self.put(f"{rid}/auditingSettings/default", {
            "id": f"{rid}/auditingSettings/Default", "name": "Default", "type": "Microsoft.Sql/servers/auditingSettings",
            "properties": {"retentionDays": audit_days, "auditActionsAndGroups": [
                "SUCCESSFUL_DATABASE_AUTHENTICATION_GROUP", "FAILED_DATABASE_AUTHENTICATION_GROUP",
                "BATCH_COMPLETED_GROUP"], "isAzureMonitorTargetEnabled": True, "state": auditing,
                "storageEndpoint": "", "storageAccountSubscriptionId": "00000000-0000-0000-0000-000000000000"}})
        self.put(f"{rid}/firewallRules", [
            {"id": f"{rid}/firewallRules/{fname}", "name": fname, "type": "Microsoft.Sql/servers/firewallRules",
             "properties": {"startIpAddress": start, "endIpAddress": end}} for fname, start, end in firewall])
        self.put(f"{rid}/databases", [])
        self.sql_database(rid, "master", tde="Enabled", redundancy="Geo", system=True)
        return rid

    def sql_database(self, server_id: str, name: str, *, tde: str = "Enabled", redundancy: str = "Geo",
                     ltr: dict[str, str] | None = None, system: bool = False) -> str:
        rid = f"{server_id}/databases/{name}"
        self.append(f"{server_id}/databases", {
            "sku": {"name": "System" if system else "GP_S_Gen5", "tier": "System" if system else "GeneralPurpose"},
            "kind": "v12.0,system" if system else "v12.0,user", "id": rid, "name": name,
            "type": "Microsoft.Sql/servers/databases", "location": "westeurope",
            "properties": {"status": "Online", "databaseId": _uuid("db", rid),
                           "requestedBackupStorageRedundancy": redundancy,
                           "currentBackupStorageRedundancy": redundancy, "zoneRedundant": False}})
        self.put(f"{rid}/transparentDataEncryption/current", {
            "name": "current", "id": f"{rid}/transparentDataEncryption/current",
            "type": "Microsoft.Sql/servers/databases/transparentDataEncryption", "properties": {"state": tde}})
        policy = {"weeklyRetention": "PT0S", "monthlyRetention": "PT0S", "yearlyRetention": "PT0S", "weekOfYear": 0}
        policy.update(ltr or {})
        self.put(f"{rid}/backupLongTermRetentionPolicies/default", {
            "id": f"{rid}/backupLongTermRetentionPolicies/default", "name": "default",
            "type": "Microsoft.Sql/servers/databases/backupLongTermRetentionPolicies", "properties": policy})
        return rid

    def web_app(self, sub: str, name: str, *, rg: str = "rg-web", location: str = "westeurope",
                https_only: bool = True, min_tls: str = "1.2") -> str:
        rid = f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Web/sites/{name}"
        self.append(f"/subscriptions/{sub}/providers/Microsoft.Web/sites", {
            "id": rid, "name": name, "type": "Microsoft.Web/sites", "kind": "app", "location": location,
            "tags": {}, "properties": {"name": name, "state": "Running", "hostNames": [f"{name}.azurewebsites.net"],
                                       "enabled": True, "httpsOnly": https_only, "clientCertEnabled": False,
                                       "siteConfig": {"minTlsVersion": None}}})
        self.put(f"{rid}/config/web", {
            "id": f"{rid}/config/web", "name": name, "type": "Microsoft.Web/sites/config", "location": location,
            "properties": {"numberOfWorkers": 1, "netFrameworkVersion": "v4.0", "http20Enabled": True,
                           "minTlsVersion": min_tls, "scmMinTlsVersion": min_tls, "ftpsState": "FtpsOnly"}})
        return rid

    def key_vault(self, sub: str, name: str, *, rg: str = "rg-keys", location: str = "westeurope",
                  soft_delete: bool | None = True, purge_protection: bool | None = True,
                  audit_logs: bool = True) -> str:
        rid = f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.KeyVault/vaults/{name}"
        props: dict[str, Any] = {"sku": {"family": "A", "name": "Standard"}, "tenantId": self.tenant_id,
                                 "accessPolicies": [], "enabledForDeployment": False,
                                 "enableRbacAuthorization": True, "vaultUri": f"https://{name}.vault.azure.net/",
                                 "provisioningState": "Succeeded", "softDeleteRetentionInDays": 90,
                                 "networkAcls": {"bypass": "AzureServices", "defaultAction": "Deny",
                                                 "ipRules": [], "virtualNetworkRules": []}}
        if soft_delete is not None:
            props["enableSoftDelete"] = soft_delete
        if purge_protection is not None:
            props["enablePurgeProtection"] = purge_protection
        self.append(f"/subscriptions/{sub}/providers/Microsoft.KeyVault/vaults", {
            "id": rid, "name": name, "type": "Microsoft.KeyVault/vaults", "location": location, "tags": {},
            "properties": props})
        self.put(f"{rid}/keys", [])
        settings = []
        if audit_logs:
            settings.append({"id": f"{rid}/providers/microsoft.insights/diagnosticSettings/audit", "name": "audit",
                             "type": "Microsoft.Insights/diagnosticSettings",
                             "properties": {"workspaceId": f"/subscriptions/{sub}/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/law-central",
                                            "logs": [{"category": None, "categoryGroup": "audit", "enabled": True}],
                                            "metrics": [{"category": "AllMetrics", "enabled": True}]}})
        self.put(f"{rid}/providers/microsoft.insights/diagnosticSettings", settings)
        return rid

    def key(self, vault_id: str, name: str, *, rotate: bool = True, expires: dt.datetime | None = None) -> str:
        vault = vault_id.rsplit("/", 1)[-1]
        attributes: dict[str, Any] = {"enabled": True, "created": 1709547072, "updated": 1709547072,
                                      "recoveryLevel": "Recoverable", "exportable": False}
        if expires is not None:
            attributes["exp"] = int(expires.timestamp())
        props: dict[str, Any] = {"attributes": attributes, "kty": "RSA", "keyOps": ["encrypt", "decrypt"],
                                 "keySize": 2048, "keyUri": f"https://{vault}.vault.azure.net/keys/{name}",
                                 "keyUriWithVersion": f"https://{vault}.vault.azure.net/keys/{name}/0f1e2d3c"}
        if rotate:
            props["rotationPolicy"] = {"attributes": {"expiryTime": "P90D", "created": 1709547072},
                                       "lifetimeActions": [{"trigger": {"timeBeforeExpiry": "P30D"},
                                                            "action": {"type": "rotate"}},
                                                           {"trigger": {"timeBeforeExpiry": "P29D"},
                                                            "action": {"type": "notify"}}]}
        rid = f"{vault_id}/keys/{name}"
        self.append(f"{vault_id}/keys", {"id": rid, "name": name, "type": "Microsoft.KeyVault/vaults/keys",
                                         "location": "westeurope", "tags": {}, "properties": props})
        return rid

    # -- identity and access ------------------------------------------------------------------

    def role_assignment(self, sub: str, principal_id: str, role: str = OWNER_ROLE, *,
                        principal_type: str = "User", scope: str | None = None) -> str:
        scope = scope or f"/subscriptions/{sub}"
        name = _uuid("assignment", sub, principal_id, role, scope)
        rid = f"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}"
        self.row("authorizationresources", {
            "id": rid, "name": name, "type": "microsoft.authorization/roleassignments", "tenantId": self.tenant_id,
            "location": "", "resourceGroup": "", "subscriptionId": sub, "tags": {},
            "properties": {"roleDefinitionId": f"/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{role}",
                           "principalId": principal_id, "principalType": principal_type, "scope": scope,
                           "createdOn": "2024-01-08T23:30:46.4341990Z", "updatedOn": "2024-01-08T23:30:46.4341990Z",
                           "createdBy": None, "updatedBy": None}})
        return rid

    def custom_role(self, sub: str, role_name: str, actions: list[str], *, scopes: list[str] | None = None) -> str:
        name = _uuid("role", sub, role_name)
        rid = f"/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{name}"
        self.row("authorizationresources", {
            "id": rid, "name": name, "type": "microsoft.authorization/roledefinitions", "tenantId": self.tenant_id,
            "location": "", "resourceGroup": "", "subscriptionId": sub, "tags": {},
            "properties": {"roleName": role_name, "type": "CustomRole", "description": role_name,
                           "assignableScopes": scopes or [f"/subscriptions/{sub}"],
                           "permissions": [{"actions": actions, "notActions": [], "dataActions": [],
                                            "notDataActions": []}],
                           "createdOn": "2024-02-02T21:55:09.8806423Z", "updatedOn": "2024-02-05T21:24:32.2101122Z"}})
        return rid

    def user(self, display_name: str, *, guest: bool = False) -> str:
        oid = _uuid("user", display_name)
        upn = (display_name.lower().replace(" ", ".") + ("_partner.example#EXT#@northwind.onmicrosoft.com" if guest
                                                          else "@northwind.example"))
        self.users.append({"id": oid, "displayName": display_name, "userPrincipalName": upn,
                           "userType": "Guest" if guest else "Member"})
        return oid

    def conditional_access(self, name: str, *, state: str = "enabled", roles: list[str] | None = None,
                           users: list[str] | None = None, apps: list[str] | None = None,
                           controls: list[str] | None = None) -> None:
        self.ca_policies.append({
            "id": _uuid("ca", name), "displayName": name, "state": state,
            "createdDateTime": "2024-01-03T10:00:00Z", "modifiedDateTime": None,
            "conditions": {"clientAppTypes": ["all"], "applications": {"includeApplications": apps or ["All"],
                                                                       "excludeApplications": []},
                           "users": {"includeUsers": users or [], "excludeUsers": [], "includeGroups": [],
                                     "excludeGroups": [], "includeRoles": roles or [], "excludeRoles": []}},
            "grantControls": {"operator": "OR", "builtInControls": controls if controls is not None else ["mfa"],
                              "customAuthenticationFactors": [], "termsOfUse": []},
            "sessionControls": None})

    # -- Defender for Cloud -------------------------------------------------------------------

    def defender_plan(self, sub: str, plan: str, tier: str = "Standard") -> None:
        rid = f"/subscriptions/{sub}/providers/Microsoft.Security/pricings/{plan}"
        self.row("securityresources", {
            "id": rid, "name": plan, "type": "microsoft.security/pricings", "tenantId": self.tenant_id,
            "location": "", "resourceGroup": "", "subscriptionId": sub, "tags": {},
            "properties": {"pricingTier": tier, "freeTrialRemainingTime": "PT0S"}})

    def security_contact(self, sub: str, emails: str = "security@northwind.example") -> None:
        self.append(f"/subscriptions/{sub}/providers/Microsoft.Security/securityContacts", {
            "id": f"/subscriptions/{sub}/providers/Microsoft.Security/securityContacts/default",
            "name": "default", "type": "Microsoft.Security/securityContacts",
            "properties": {"emails": emails, "phone": "", "isEnabled": True,
                           "notificationsByRole": {"state": "On", "roles": ["Owner"]},
                           "notificationsSources": [{"sourceType": "Alert", "minimalSeverity": "Medium"}]}})

    def vulnerability(self, sub: str, resource_id: str, title: str, *, severity: str = "High",
                      age_days: int = 1, healthy: bool = False, now: dt.datetime | None = None) -> str:
        now = now or dt.datetime.now(dt.timezone.utc)
        first = now - dt.timedelta(days=age_days)
        assessment = f"{resource_id}/providers/Microsoft.Security/assessments/1195afff-c881-495e-9bc5-1486211ae03f"
        name = _uuid("vuln", resource_id, title)
        rid = f"{assessment}/subAssessments/{name}"
        self.row("securityresources", {
            "id": rid, "name": name, "type": "microsoft.security/assessments/subassessments",
            "tenantId": self.tenant_id, "location": "", "resourceGroup": "", "subscriptionId": sub, "tags": {},
            "properties": {"id": "CVE-2024-" + name[:4], "displayName": title, "category": "Vulnerability",
                           "status": {"code": "Healthy" if healthy else "Unhealthy", "severity": severity,
                                      "cause": "", "description": title,
                                      "firstEvaluationDate": _iso(first), "statusChangeDate": _iso(first)},
                           "timeGenerated": _iso(now - dt.timedelta(hours=2)),
                           "resourceDetails": {"source": "Azure", "id": resource_id},
                           "additionalData": {"assessedResourceType": "ServerVulnerability"},
                           "remediation": "Apply the vendor patch"}})
        return rid


    def recommendation(self, sub: str, resource_id: str, title: str, *, severity: str = "High",
                       age_days: int = 1, healthy: bool = False, now: dt.datetime | None = None) -> str:
        """A Defender assessment (recommendation) on one resource."""
        now = now or dt.datetime.now(dt.timezone.utc)
        first = now - dt.timedelta(days=age_days)
        name = _uuid("assessment", resource_id, title)
        rid = f"{resource_id}/providers/Microsoft.Security/assessments/{name}"
        self.row("securityresources", {
            "id": rid, "name": name, "type": "microsoft.security/assessments", "tenantId": self.tenant_id,
            "location": "", "resourceGroup": "", "subscriptionId": sub, "tags": {},
            "properties": {"displayName": title,
                           "resourceDetails": {"Source": "Azure", "Id": resource_id},
                           "status": {"code": "Healthy" if healthy else "Unhealthy", "cause": "", "description": "",
                                      "firstEvaluationDate": _iso(first), "statusChangeDate": _iso(first)},
                           "metadata": {"displayName": title, "severity": severity, "assessmentType": "BuiltIn",
                                        "categories": ["Compute"], "userImpact": "Low",
                                        "implementationEffort": "Low"},
                           "additionalData": {}}})
        return rid


# ----------------------------------------------------------------------------------------------
# the HTTPS server


@dataclass
class _Fault:
    pattern: re.Pattern[str]
    kinds: list[str]
    persistent: bool


class FakeAzure:
    """The fake Resource Manager, Resource Graph and Microsoft Graph, on 127.0.0.1 over HTTPS.

    ``arm_page_size`` items per ``nextLink`` page of ARM collections and Microsoft Graph;
    ``timeout_delay`` is how long an injected ``timeout`` holds the response; ``latency`` is added to
    every response (to model a real network in benchmarks).
    """

    def __init__(self, estate: AzureEstate, workdir: Path, *, arm_page_size: int = 100,
                 timeout_delay: float = 3.0, latency: float = 0.0) -> None:
        self.estate = estate
        self.latency = latency
        self.graph_quota: tuple[int, float] | None = None  # (queries, window seconds), like Graph's per-user quota
        self.throttled = 0  # Resource Graph queries refused by the quota
        self._graph_times: list[float] = []
        self.workdir = Path(workdir)
        self.arm_page_size = arm_page_size
        self.timeout_delay = timeout_delay
        self.requests: list[str] = []
        self._faults: list[_Fault] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.ca_bundle: Path = self.workdir / "azure-ca.pem"
        self.url = ""

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> FakeAzure:
        import trustme

        self.workdir.mkdir(parents=True, exist_ok=True)
        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1", "localhost")
        ca.cert_pem.write_to_path(str(self.ca_bundle))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        cert.configure_cert(context)
        fake = self

        class Handler(_Handler):
            owner = fake

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        server.socket = context.wrap_socket(server.socket, server_side=True)
        self._server = server
        self.url = f"https://127.0.0.1:{server.server_address[1]}"
        self._thread = threading.Thread(target=server.serve_forever, name="fake-azure", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeAzure:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def env(self) -> dict[str, str]:
        """The variables that point the trustsweep Azure plugin at this fake."""
        return {"TRUSTSWEEP_AZURE_ENDPOINT": self.url, "TRUSTSWEEP_AZURE_CA_BUNDLE": str(self.ca_bundle)}

    # -- test controls -------------------------------------------------------------------------

    def inject(self, pattern: str, *kinds: str, persistent: bool = False) -> None:
        """Answer the next requests matching ``pattern`` (regex on ``"METHOD /path"``) with faults.

        ``kinds`` are consumed in order (``429``, ``429:N``, ``429q:N``, ``500``, ``503``, ``403``, ``timeout``); with
        ``persistent`` the last kind repeats for ever.
        """
        with self._lock:
            self._faults.append(_Fault(re.compile(pattern, re.I), list(kinds), persistent))

    def reset(self, estate: AzureEstate | None = None) -> None:
        """Forget faults, quota and the request log; optionally serve another estate."""
        with self._lock:
            self._faults.clear()
            self.requests.clear()
            self.graph_quota = None
            self.throttled = 0
            self._graph_times.clear()
            if estate is not None:
                self.estate = estate

    def count(self, pattern: str = "") -> int:
        rx = re.compile(pattern, re.I)
        with self._lock:
            return sum(1 for r in self.requests if rx.search(r))

    def _quota(self) -> tuple[bool, dict[str, str]]:
        """Admit a Resource Graph query under ``graph_quota``; the quota headers to send."""
        if self.graph_quota is None:
            return True, {"x-ms-user-quota-remaining": "14", "x-ms-user-quota-resets-after": "00:00:05"}
        limit, window = self.graph_quota
        with self._lock:
            now = time.monotonic()
            self._graph_times[:] = [t for t in self._graph_times if now - t < window]
            admitted = len(self._graph_times) < limit
            if admitted:
                self._graph_times.append(now)
            else:
                self.throttled += 1
            resets = window - (now - self._graph_times[0]) if self._graph_times else 0.0
            remaining = limit - len(self._graph_times)
        return admitted, {"x-ms-user-quota-remaining": str(remaining),
                          "x-ms-user-quota-resets-after": time.strftime("%H:%M:%S", time.gmtime(math.ceil(resets)))}

    def _fault_for(self, line: str) -> str | None:
        with self._lock:
            self.requests.append(line)
            for fault in self._faults:
                if fault.kinds and fault.pattern.search(line):
                    if fault.persistent and len(fault.kinds) == 1:
                        return fault.kinds[0]
                    return fault.kinds.pop(0)
        return None


class _Handler(BaseHTTPRequestHandler):
    owner: FakeAzure
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence the default stderr log
        pass

    # -- plumbing -----------------------------------------------------------------------------

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-ms-request-id", str(uuid.uuid4()))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        self._send(status, {"error": {"code": code, "message": message}}, headers)

    def _dispatch(self, method: str) -> None:
        split = urlsplit(self.path)
        path = split.path.rstrip("/") or "/"
        query = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        auth = self.headers.get("Authorization", "")
        fault = self.owner._fault_for(f"{method} {path}")
        if self.owner.latency:
            time.sleep(self.owner.latency)
        if auth != f"Bearer {TEST_TOKEN}":
            self._error(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.",
                        {"WWW-Authenticate": 'Bearer authorization_uri="https://login.microsoftonline.com/", error="invalid_token"'})
            return
        if fault is not None:
            if fault == "timeout":
                time.sleep(self.owner.timeout_delay)
            elif fault.startswith("429"):
                kind, _, after = fault.partition(":")
                if kind == "429q":  # Resource Graph's quota headers instead of Retry-After
                    headers = {"x-ms-user-quota-remaining": "0",
                               "x-ms-user-quota-resets-after": f"00:00:{int(after or 1):02d}"}
                else:
                    headers = {"Retry-After": after} if after else {}
                self._error(429, "RateLimiting", "Please provide below info when asking for support: throttled",
                            headers)
                return
            else:
                self._error(int(fault), "InternalServerError" if fault == "500" else "ServiceUnavailable",
                            f"injected {fault}")
                return
        try:
            if method == "POST" and path.lower() == GRAPH_PATH:
                self._graph(json.loads(body or b"{}"))
            elif method == "GET" and path.startswith("/v1.0/"):
                self._msgraph(path, query)
            elif method == "GET":
                self._arm(path, query)
            else:
                self._error(405, "MethodNotAllowed", f"{method} is not served by the fake (read-only)")
        except OSError:  # the client gave up (a read timeout) and closed the connection
            pass

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        self._dispatch("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._dispatch("PUT")

    def do_DELETE(self) -> None:  # noqa: N802
        self._dispatch("DELETE")

    def do_PATCH(self) -> None:  # noqa: N802
        self._dispatch("PATCH")

    # -- Resource Manager ---------------------------------------------------------------------

    def _page(self, items: list[Any], query: dict[str, str], path: str) -> None:
        size = self.owner.arm_page_size
        start = int(query.get("$skiptoken") or 0)
        page = items[start:start + size]
        body: dict[str, Any] = {"value": page}
        if start + size < len(items):
            params = {"api-version": query.get("api-version", ""), "$skiptoken": str(start + size)}
            body["nextLink"] = f"{self.owner.url}{path}?{urlencode(params)}"
        self._send(200, body)

    def _arm(self, path: str, query: dict[str, str]) -> None:
        if "api-version" not in query:
            self._error(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required.")
            return
        estate = self.owner.estate
        if path == "/subscriptions":
            subs = [{k: v for k, v in s.items() if k != "managementGroups"} for s in estate.subscriptions.values()]
            self._page(subs, query, path)
            return
        match = re.fullmatch(r"/subscriptions/([^/]+)", path)
        if match:
            sub = estate.subscriptions.get(match.group(1))
            if sub is None:
                self._error(404, "SubscriptionNotFound", f"The subscription '{match.group(1)}' could not be found.")
            else:
                self._send(200, {k: v for k, v in sub.items() if k != "managementGroups"})
            return
        doc = estate.arm.get(path.lower())
        if doc is None:
            if path.lower().endswith(("/diagnosticsettings", "/securitycontacts", "/firewallrules", "/containers",
                                      "/databases", "/keys")) or re.fullmatch(
                    r"/subscriptions/[^/]+/providers/[^/]+/[^/]+", path, re.I):
                self._page([], query, path)  # an empty collection, as ARM lists do
            else:
                self._error(404, "ResourceNotFound", f"The Resource '{path}' was not found.")
            return
        if isinstance(doc, list):
            self._page(doc, query, path)
        else:
            self._send(200, doc)

    # -- Resource Graph -----------------------------------------------------------------------

    def _graph(self, request: dict[str, Any]) -> None:
        admitted, quota_headers = self.owner._quota()
        if not admitted:
            self._error(429, "RateLimiting", "Client application has been throttled", quota_headers)
            return
        query = str(request.get("query") or "")
        table_match = re.match(r"\s*(\w+)", query)
        if not table_match:
            self._error(400, "BadRequest", "Query is invalid. Please refer to the documentation.")
            return
        table = table_match.group(1).lower()
        estate = self.owner.estate
        rows = estate.tables.get(table, [])
        subs = request.get("subscriptions")
        mgs = request.get("managementGroups")
        if subs:
            wanted = {s.lower() for s in subs}
            rows = [r for r in rows if str(r.get("subscriptionId", "")).lower() in wanted]
        elif mgs:
            in_mg = {sid.lower() for sid, s in estate.subscriptions.items()
                     if set(s.get("managementGroups", ())) & set(mgs)}
            rows = [r for r in rows if str(r.get("subscriptionId", "")).lower() in in_mg]
        for column in ("type", "location"):
            found = re.search(column + r"\s+in~\s*\(([^)]*)\)", query, re.I)
            if found:
                values = {v.lower() for v in re.findall(r"'([^']*)'", found.group(1))}
                rows = [r for r in rows if str(r.get(column, "")).lower() in values]
        options = request.get("options") or {}
        top = int(options.get("$top") or 1000)
        if top > 1000:
            self._error(400, "BadRequest", "$top must be at most 1000")
            return
        token = options.get("$skipToken")
        start = int(base64.b64decode(token).decode()) if token else 0
        page = rows[start:start + top]
        body: dict[str, Any] = {"totalRecords": len(rows), "count": len(page), "data": page, "facets": [],
                                "resultTruncated": "false"}
        if start + top < len(rows):
            body["$skipToken"] = base64.b64encode(str(start + top).encode()).decode()
        self._send(200, body, quota_headers)

    # -- Microsoft Graph ----------------------------------------------------------------------

    def _msgraph(self, path: str, query: dict[str, str]) -> None:
        estate = self.owner.estate
        if path == "/v1.0/users":
            items = list(estate.users)
            filt = query.get("$filter", "")
            found = re.search(r"userType eq '(\w+)'", filt)
            if found:
                items = [u for u in items if u["userType"] == found.group(1)]
        elif path == "/v1.0/identity/conditionalAccess/policies":
            items = list(estate.ca_policies)
        else:
            self._send(404, {"error": {"code": "Request_ResourceNotFound", "message": f"{path} not found"}})
            return
        size = self.owner.arm_page_size
        start = int(query.get("$skiptoken") or 0)
        body: dict[str, Any] = {"@odata.context": f"https://graph.microsoft.com/v1.0/$metadata#{path.rsplit('/', 1)[-1]}",
                                "value": items[start:start + size]}
        if start + size < len(items):
            rest = {k: v for k, v in query.items() if k != "$skiptoken"}
            body["@odata.nextLink"] = f"{self.owner.url}{path}?{urlencode({**rest, '$skiptoken': str(start + size)})}"
        self._send(200, body)


# ----------------------------------------------------------------------------------------------
# estates: the demo ("Northwind Analytics") and a scalable one for benchmarks


def demo_estate(now: dt.datetime | None = None) -> AzureEstate:
    """Northwind Analytics on Azure: a production and a development subscription, some controls met."""
    now = now or dt.datetime.now(dt.timezone.utc)
    e = AzureEstate()
    prod = e.add_subscription("Northwind Production", "3f2b8c1a-6d4e-4b7a-9c2d-1e0f5a6b7c8d", ("mg-northwind",))
    dev = e.add_subscription("Northwind Development", "9a8b7c6d-5e4f-4a3b-8c2d-0e1f2a3b4c5d", ("mg-northwind",))
    alice, bob, carol = e.user("Alice Ward"), e.user("Bob Singh"), e.user("Carol Diaz")
    vendor = e.user("Vendor Ops", guest=True)
    e.conditional_access("Require MFA for admins", roles=["62e90394-69f5-4237-9190-012177145e10",
                                                          "e8611ab8-c189-46e8-94e1-60213ab1f814"])
    for sub in (prod, dev):
        e.role_assignment(sub, alice)
    e.role_assignment(prod, bob)
    e.role_assignment(dev, vendor, CONTRIBUTOR_ROLE)  # a guest contributor: fails
    e.role_assignment(prod, carol, READER_ROLE)
    e.custom_role(prod, "Northwind Network Operator", ["Microsoft.Network/*/read", "Microsoft.Network/networkSecurityGroups/*"])
    e.custom_role(dev, "Dev Everything", ["*"])
    # production: mostly good
    law = e.workspace(prod, "law-central", retention_days=400)
    logs = e.storage_account(prod, "nwprodactivitylogs", rg="rg-logs", tags={"environment": "production"})
    e.log_container(logs, state="Locked")
    e.activity_log_export(prod, workspace_id=law, storage_id=logs)
    e.storage_account(prod, "nwproddata", tags={"environment": "production"})
    e.storage_account(prod, "nwprodexports", public_blob=True, default_action="Allow", sku="Standard_LRS",
                      tags={"environment": "production"})
    e.disk(prod, "vm-api-1_OsDisk", encryption="EncryptionAtRestWithCustomerKey")
    api = e.vm(prod, "vm-api-1")
    e.vm(prod, "vm-batch-1", backed_up=False)
    subnet = f"/subscriptions/{prod}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/app"
    good_nsg = e.nsg(prod, "nsg-app", [{"name": "https", "destinationPortRange": "443", "sourceAddressPrefix": "Internet"}],
                     subnets=[subnet])
    e.flow_log(prod, good_nsg)
    e.nsg(prod, "nsg-bastion", [{"name": "ssh", "destinationPortRange": "22", "sourceAddressPrefix": "*"}])
    sql = e.sql_server(prod, "nw-sql-prod", audit_days=0)
    e.sql_database(sql, "analytics", ltr={"weeklyRetention": "P4W", "monthlyRetention": "P12M"})
    e.web_app(prod, "nw-portal")
    kv = e.key_vault(prod, "nw-kv-prod")
    e.key(kv, "tde-protector")
    e.key(kv, "legacy-signing", rotate=False)
    for plan in ("VirtualMachines", "SqlServers", "StorageAccounts", "Containers", "KeyVaults"):
        e.defender_plan(prod, plan)
    e.security_contact(prod)
    e.vulnerability(prod, api, "OpenSSL buffer overflow", severity="High", age_days=12, now=now)
    e.vulnerability(prod, api, "glibc privilege escalation", severity="Critical", age_days=9, now=now)
    e.recommendation(prod, api, "Machines should have a vulnerability assessment solution", age_days=45, now=now)
    e.recommendation(prod, api, "Endpoint protection should be installed on machines", age_days=3, now=now)
    # development: controls mostly missing
    e.storage_account(dev, "nwdevscratch", https_only=False, min_tls="TLS1_0", default_action="Allow",
                      sku="Standard_LRS", tags={"environment": "development"})
    e.disk(dev, "vm-dev-1_OsDisk")
    e.vm(dev, "vm-dev-1", backed_up=False)
    e.nsg(dev, "nsg-dev", [{"name": "rdp", "destinationPortRange": "3389", "sourceAddressPrefix": "0.0.0.0/0"}])
    dsql = e.sql_server(dev, "nw-sql-dev", min_tls="1.0", auditing="Disabled",
                        firewall=[("open", "0.0.0.0", "255.255.255.255")])
    e.sql_database(dsql, "scratch", tde="Disabled", redundancy="Local")
    e.web_app(dev, "nw-portal-dev", https_only=False, min_tls="1.0")
    dkv = e.key_vault(dev, "nw-kv-dev", purge_protection=None, audit_logs=False)
    e.key(dkv, "dev-key", rotate=False)
    e.defender_plan(dev, "VirtualMachines", "Free")
    return e


def scale_estate(subscriptions: int = 20, resources: int = 5000) -> AzureEstate:
    """A large estate for benchmarks: per subscription, ``resources`` Graph-served resources."""
    e = AzureEstate()
    kinds = ("storage", "disk", "vm", "nsg")
    for s in range(subscriptions):
        sub = e.add_subscription(f"Bench {s:03d}", _uuid("bench", str(s)), ("mg-bench",))
        owner = e.user(f"Owner {s}")
        e.role_assignment(sub, owner)
        e.role_assignment(sub, e.user(f"Backup owner {s}"))
        for plan in ("VirtualMachines", "SqlServers", "StorageAccounts", "Containers", "KeyVaults"):
            e.defender_plan(sub, plan)
        e.security_contact(sub)
        law = e.workspace(sub, "law", retention_days=365)
        e.activity_log_export(sub, workspace_id=law)
        e.sql_database(e.sql_server(sub, f"sql-{s}"), "db")
        e.web_app(sub, f"web-{s}")
        e.key(e.key_vault(sub, f"kv-{s}"), "k")
        for i in range(resources):
            kind = kinds[i % len(kinds)]
            if kind == "storage":
                e.storage_account(sub, f"st{s}x{i}", public_blob=bool(i % 3 == 0))
            elif kind == "disk":
                e.disk(sub, f"disk-{i}")
            elif kind == "vm":
                e.vm(sub, f"vm-{i}", backed_up=bool(i % 2))
            else:
                e.nsg(sub, f"nsg-{i}", [{"name": "https", "destinationPortRange": "443", "sourceAddressPrefix": "*"}])
    return e


# ----------------------------------------------------------------------------------------------
# demo emulator (the ``trustsweep_emulators`` factory) and pytest fixture


@contextmanager
def demo_emulator(workdir: Path) -> Iterator[Any]:
    """Serve the Northwind demo estate and yield the DemoEnv that points the plugin at it."""
    from ..model import DemoEnv

    estate = demo_estate()
    with FakeAzure(estate, Path(workdir)) as fake:
        yield DemoEnv(env=fake.env(), targets=sorted(estate.subscriptions), regions=[],
                      options={"retry_base_seconds": 0.05},
                      description=f"fake Azure Resource Manager + Resource Graph at {fake.url} "
                                  f"({len(estate.subscriptions)} Northwind subscriptions)")


try:
    import pytest
except ImportError:  # pragma: no cover - pytest is only needed for the fixture
    pytest = None  # type: ignore[assignment]

if pytest is not None:

    @pytest.fixture(scope="session")
    def azure_fake(tmp_path_factory: Any) -> Iterator[FakeAzure]:
        """One fake Azure (HTTPS) per test session; call ``fake.reset(estate)`` in each test.

        Serves an empty estate until reset. ``arm_page_size=2`` so that ``nextLink`` paging runs.
        """
        with FakeAzure(AzureEstate(), tmp_path_factory.mktemp("azure-fake"), arm_page_size=2,
                       timeout_delay=2.5) as fake:
            yield fake


def serve_main(argv: list[str] | None = None) -> None:
    """``python -m trustsweep.testing.azure --subscriptions N --resources M [--latency S]``: serve a scale estate.

    Prints ``URL CA_BUNDLE`` on one line, then serves until stdin closes (for benchmarks that measure
    the sweep process alone).
    """
    import argparse
    import sys
    import tempfile

    parser = argparse.ArgumentParser()
    parser.add_argument("--subscriptions", type=int, default=20)
    parser.add_argument("--resources", type=int, default=5000)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every response")
    args = parser.parse_args(argv)
    estate = scale_estate(args.subscriptions, args.resources)
    with tempfile.TemporaryDirectory() as tmp, FakeAzure(estate, Path(tmp), latency=args.latency) as fake:
        print(fake.url, fake.ca_bundle, flush=True)
        sys.stdin.read()
        print(fake.count(), file=sys.stderr, flush=True)


if __name__ == "__main__":
    serve_main()
