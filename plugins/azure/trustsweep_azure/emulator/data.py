"""Builders of the logging, SQL, App Service and Key Vault resources the fake serves, in the shapes the real
APIs return; mixed into :class:`~.estate.AzureEstate` (storage, compute and network are there)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .records import stable_id


class DataBuilders:
    """Mixed into :class:`~.estate.AzureEstate`, whose tables and ARM documents these fill."""

    tables: dict[str, list[dict[str, Any]]]
    arm: dict[str, Any]

    if TYPE_CHECKING:  # provided by AzureEstate, the class these builders are mixed into

        def row(self, table: str, row: dict[str, Any]) -> dict[str, Any]: ...
        def put(self, path: str, doc: Any) -> None: ...
        def append(self, path: str, item: dict[str, Any]) -> None: ...

    def workspace(
        self, sub: str, name: str, *, retention_days: int = 365, rg: str = "rg-logs", location: str = "westeurope"
    ) -> str:
        rid = f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/workspaces/{name}"
        self.put(
            rid,
            {
                "id": rid,
                "name": name,
                "type": "Microsoft.OperationalInsights/workspaces",
                "location": location,
                "properties": {
                    "provisioningState": "Succeeded",
                    "customerId": stable_id("ws", rid),
                    "sku": {"name": "PerGB2018"},
                    "retentionInDays": retention_days,
                },
            },
        )
        return rid

    # -- logging, SQL, App Service, Key Vault (ARM) -------------------------------------------

    def activity_log_export(
        self,
        sub: str,
        name: str = "export-activity-log",
        *,
        workspace_id: str | None = None,
        storage_id: str | None = None,
        categories: tuple[str, ...] = ("Administrative", "Security", "Policy", "Alert"),
    ) -> None:
        logs = [
            {"category": c, "enabled": c in categories, "categoryGroup": None}
            for c in (
                "Administrative",
                "Security",
                "ServiceHealth",
                "Alert",
                "Recommendation",
                "Policy",
                "Autoscale",
                "ResourceHealth",
            )
        ]
        props: dict[str, Any] = {"logs": logs}
        if workspace_id:
            props["workspaceId"] = workspace_id
        if storage_id:
            props["storageAccountId"] = storage_id
        self.append(
            f"/subscriptions/{sub}/providers/microsoft.insights/diagnosticSettings",
            {
                "id": f"subscriptions/{sub}/providers/microsoft.insights/diagnosticSettings/{name}",
                "type": "Microsoft.Insights/diagnosticSettings",
                "name": name,
                "location": "global",
                "properties": props,
            },
        )

    def sql_server(
        self,
        sub: str,
        name: str,
        *,
        rg: str = "rg-sql",
        location: str = "westeurope",
        min_tls: str = "1.2",
        auditing: str = "Enabled",
        audit_days: int = 0,
        firewall: list[tuple[str, str, str]] = (),
    ) -> str:
        rid = f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Sql/servers/{name}"
        self.append(
            f"/subscriptions/{sub}/providers/Microsoft.Sql/servers",
            {
                "kind": "v12.0",
                "id": rid,
                "name": name,
                "type": "Microsoft.Sql/servers",
                "location": location,
                "tags": {},
                "properties": {
                    "administratorLogin": "sqladmin",
                    "version": "12.0",
                    "state": "Ready",
                    "fullyQualifiedDomainName": f"{name}.database.windows.net",
                    "minimalTlsVersion": min_tls,
                    "publicNetworkAccess": "Enabled",
                    "restrictOutboundNetworkAccess": "Disabled",
                },
            },
        )
        self.put(
            f"{rid}/auditingSettings/default",
            {
                "id": f"{rid}/auditingSettings/Default",
                "name": "Default",
                "type": "Microsoft.Sql/servers/auditingSettings",
                "properties": {
                    "retentionDays": audit_days,
                    "auditActionsAndGroups": [
                        "SUCCESSFUL_DATABASE_AUTHENTICATION_GROUP",
                        "FAILED_DATABASE_AUTHENTICATION_GROUP",
                        "BATCH_COMPLETED_GROUP",
                    ],
                    "isAzureMonitorTargetEnabled": True,
                    "state": auditing,
                    "storageEndpoint": "",
                    "storageAccountSubscriptionId": "00000000-0000-0000-0000-000000000000",
                },
            },
        )
        self.put(
            f"{rid}/firewallRules",
            [
                {
                    "id": f"{rid}/firewallRules/{fname}",
                    "name": fname,
                    "type": "Microsoft.Sql/servers/firewallRules",
                    "properties": {"startIpAddress": start, "endIpAddress": end},
                }
                for fname, start, end in firewall
            ],
        )
        self.put(f"{rid}/databases", [])
        self.sql_database(rid, "master", tde="Enabled", redundancy="Geo", system=True)
        return rid

    def sql_database(
        self,
        server_id: str,
        name: str,
        *,
        tde: str = "Enabled",
        redundancy: str = "Geo",
        ltr: dict[str, str] | None = None,
        system: bool = False,
    ) -> str:
        rid = f"{server_id}/databases/{name}"
        self.append(
            f"{server_id}/databases",
            {
                "sku": {"name": "System" if system else "GP_S_Gen5", "tier": "System" if system else "GeneralPurpose"},
                "kind": "v12.0,system" if system else "v12.0,user",
                "id": rid,
                "name": name,
                "type": "Microsoft.Sql/servers/databases",
                "location": "westeurope",
                "properties": {
                    "status": "Online",
                    "databaseId": stable_id("db", rid),
                    "requestedBackupStorageRedundancy": redundancy,
                    "currentBackupStorageRedundancy": redundancy,
                    "zoneRedundant": False,
                },
            },
        )
        self.put(
            f"{rid}/transparentDataEncryption/current",
            {
                "name": "current",
                "id": f"{rid}/transparentDataEncryption/current",
                "type": "Microsoft.Sql/servers/databases/transparentDataEncryption",
                "properties": {"state": tde},
            },
        )
        policy = {"weeklyRetention": "PT0S", "monthlyRetention": "PT0S", "yearlyRetention": "PT0S", "weekOfYear": 0}
        policy.update(ltr or {})
        self.put(
            f"{rid}/backupLongTermRetentionPolicies/default",
            {
                "id": f"{rid}/backupLongTermRetentionPolicies/default",
                "name": "default",
                "type": "Microsoft.Sql/servers/databases/backupLongTermRetentionPolicies",
                "properties": policy,
            },
        )
        return rid

    def web_app(
        self,
        sub: str,
        name: str,
        *,
        rg: str = "rg-web",
        location: str = "westeurope",
        https_only: bool = True,
        min_tls: str = "1.2",
    ) -> str:
        rid = f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Web/sites/{name}"
        self.append(
            f"/subscriptions/{sub}/providers/Microsoft.Web/sites",
            {
                "id": rid,
                "name": name,
                "type": "Microsoft.Web/sites",
                "kind": "app",
                "location": location,
                "tags": {},
                "properties": {
                    "name": name,
                    "state": "Running",
                    "hostNames": [f"{name}.azurewebsites.net"],
                    "enabled": True,
                    "httpsOnly": https_only,
                    "clientCertEnabled": False,
                    "siteConfig": {"minTlsVersion": None},
                },
            },
        )
        self.put(
            f"{rid}/config/web",
            {
                "id": f"{rid}/config/web",
                "name": name,
                "type": "Microsoft.Web/sites/config",
                "location": location,
                "properties": {
                    "numberOfWorkers": 1,
                    "netFrameworkVersion": "v4.0",
                    "http20Enabled": True,
                    "minTlsVersion": min_tls,
                    "scmMinTlsVersion": min_tls,
                    "ftpsState": "FtpsOnly",
                },
            },
        )
        return rid

    def key_vault(
        self,
        sub: str,
        name: str,
        *,
        rg: str = "rg-keys",
        location: str = "westeurope",
        soft_delete: bool | None = True,
        purge_protection: bool | None = True,
        audit_logs: bool = True,
    ) -> str:
        rid = f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.KeyVault/vaults/{name}"
        props: dict[str, Any] = {
            "sku": {"family": "A", "name": "Standard"},
            "tenantId": self.tenant_id,
            "accessPolicies": [],
            "enabledForDeployment": False,
            "enableRbacAuthorization": True,
            "vaultUri": f"https://{name}.vault.azure.net/",
            "provisioningState": "Succeeded",
            "softDeleteRetentionInDays": 90,
            "networkAcls": {
                "bypass": "AzureServices",
                "defaultAction": "Deny",
                "ipRules": [],
                "virtualNetworkRules": [],
            },
        }
        if soft_delete is not None:
            props["enableSoftDelete"] = soft_delete
        if purge_protection is not None:
            props["enablePurgeProtection"] = purge_protection
        self.append(
            f"/subscriptions/{sub}/providers/Microsoft.KeyVault/vaults",
            {
                "id": rid,
                "name": name,
                "type": "Microsoft.KeyVault/vaults",
                "location": location,
                "tags": {},
                "properties": props,
            },
        )
        self.put(f"{rid}/keys", [])
        settings = []
        if audit_logs:
            settings.append(
                {
                    "id": f"{rid}/providers/microsoft.insights/diagnosticSettings/audit",
                    "name": "audit",
                    "type": "Microsoft.Insights/diagnosticSettings",
                    "properties": {
                        "workspaceId": f"/subscriptions/{sub}/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/law-central",
                        "logs": [{"category": None, "categoryGroup": "audit", "enabled": True}],
                        "metrics": [{"category": "AllMetrics", "enabled": True}],
                    },
                }
            )
        self.put(f"{rid}/providers/microsoft.insights/diagnosticSettings", settings)
        return rid

    def key(self, vault_id: str, name: str, *, rotate: bool = True, expires: dt.datetime | None = None) -> str:
        vault = vault_id.rsplit("/", 1)[-1]
        attributes: dict[str, Any] = {
            "enabled": True,
            "created": 1709547072,
            "updated": 1709547072,
            "recoveryLevel": "Recoverable",
            "exportable": False,
        }
        if expires is not None:
            attributes["exp"] = int(expires.timestamp())
        props: dict[str, Any] = {
            "attributes": attributes,
            "kty": "RSA",
            "keyOps": ["encrypt", "decrypt"],
            "keySize": 2048,
            "keyUri": f"https://{vault}.vault.azure.net/keys/{name}",
            "keyUriWithVersion": f"https://{vault}.vault.azure.net/keys/{name}/0f1e2d3c",
        }
        if rotate:
            props["rotationPolicy"] = {
                "attributes": {"expiryTime": "P90D", "created": 1709547072},
                "lifetimeActions": [
                    {"trigger": {"timeBeforeExpiry": "P30D"}, "action": {"type": "rotate"}},
                    {"trigger": {"timeBeforeExpiry": "P29D"}, "action": {"type": "notify"}},
                ],
            }
        rid = f"{vault_id}/keys/{name}"
        self.append(
            f"{vault_id}/keys",
            {
                "id": rid,
                "name": name,
                "type": "Microsoft.KeyVault/vaults/keys",
                "location": "westeurope",
                "tags": {},
                "properties": props,
            },
        )
        return rid
