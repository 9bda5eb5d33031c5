"""The estate the fake serves: Resource Graph tables, ARM documents, directory objects, and builders
that add resources in the shapes the real APIs return (storage, compute and network here; logging, SQL,
App Service and Key Vault in :mod:`.data`; identity and Defender in :mod:`.security`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .data import DataBuilders
from .records import stable_id
from .security import SecurityBuilders


@dataclass
class AzureEstate(SecurityBuilders, DataBuilders):
    """What the fake serves. Builders below add resources in the shapes the real APIs return."""

    tenant_id: str = "6f1c1d5e-0b5a-4c3e-9d8e-3a7b2c1d0e9f"
    subscriptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    arm: dict[str, Any] = field(default_factory=dict)
    users: list[dict[str, Any]] = field(default_factory=list)
    ca_policies: list[dict[str, Any]] = field(default_factory=list)

    # -- primitives ----------------------------------------------------------------------------

    def add_subscription(self, name: str, sub_id: str | None = None, management_groups: tuple[str, ...] = ()) -> str:
        sub_id = sub_id or stable_id("subscription", name)
        self.subscriptions[sub_id] = {
            "id": f"/subscriptions/{sub_id}",
            "subscriptionId": sub_id,
            "displayName": name,
            "tenantId": self.tenant_id,
            "state": "Enabled",
            "subscriptionPolicies": {
                "locationPlacementId": "Public_2014-09-01",
                "quotaId": "PayAsYouGo_2014-09-01",
                "spendingLimit": "Off",
            },
            "authorizationSource": "RoleBased",
            "managementGroups": list(management_groups),
        }
        self.row(
            "resourcecontainers",
            {
                "id": f"/subscriptions/{sub_id}",
                "name": name,
                "type": "microsoft.resources/subscriptions",
                "tenantId": self.tenant_id,
                "location": "",
                "resourceGroup": "",
                "subscriptionId": sub_id,
                "properties": {
                    "state": "Enabled",
                    "managementGroupAncestorsChain": [{"name": mg, "displayName": mg} for mg in management_groups],
                },
                "tags": {},
            },
        )
        return sub_id

    def row(self, table: str, row: dict[str, Any]) -> dict[str, Any]:
        self.tables.setdefault(table, []).append(row)
        return row

    def put(self, path: str, doc: Any) -> None:
        """Register a GET document; a list is served as a paged collection."""
        self.arm[path.lower()] = doc

    def append(self, path: str, item: dict[str, Any]) -> None:
        self.arm.setdefault(path.lower(), []).append(item)

    def _graph_row(
        self,
        sub: str,
        rg: str,
        provider_type: str,
        name: str,
        location: str,
        properties: dict[str, Any],
        *,
        tags: dict[str, str] | None = None,
        sku: dict[str, Any] | None = None,
        kind: str = "",
        table: str = "resources",
        rid: str | None = None,
    ) -> dict[str, Any]:
        rid = rid or f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{provider_type}/{name}"
        return self.row(
            table,
            {
                "id": rid,
                "name": name,
                "type": provider_type.lower(),
                "tenantId": self.tenant_id,
                "kind": kind,
                "location": location,
                "resourceGroup": rg.lower(),
                "subscriptionId": sub,
                "managedBy": "",
                "sku": sku,
                "plan": None,
                "properties": properties,
                "tags": tags or {},
                "identity": None,
                "zones": None,
                "extendedLocation": None,
            },
        )

    # -- storage, compute, network (served by Resource Graph) ---------------------------------

    def storage_account(
        self,
        sub: str,
        name: str,
        *,
        rg: str = "rg-data",
        location: str = "westeurope",
        https_only: bool | None = True,
        min_tls: str | None = "TLS1_2",
        public_blob: bool | None = False,
        default_action: str = "Deny",
        sku: str = "Standard_GRS",
        tags: dict[str, str] | None = None,
        immutable_account: str | None = None,
    ) -> str:
        props: dict[str, Any] = {
            "provisioningState": "Succeeded",
            "privateEndpointConnections": [],
            "encryption": {
                "keySource": "Microsoft.Storage",
                "services": {
                    "blob": {"enabled": True, "keyType": "Account"},
                    "file": {"enabled": True, "keyType": "Account"},
                },
            },
            "creationTime": "2024-03-04T10:11:12.0000000Z",
            "statusOfPrimary": "available",
            "primaryLocation": location,
            "accessTier": "Hot",
            "primaryEndpoints": {"blob": f"https://{name}.blob.core.windows.net/"},
            "networkAcls": {
                "virtualNetworkRules": [],
                "defaultAction": default_action,
                "ipRules": [],
                "bypass": "AzureServices",
            },
        }
        if https_only is not None:
            props["supportsHttpsTrafficOnly"] = https_only
        if min_tls is not None:
            props["minimumTlsVersion"] = min_tls
        if public_blob is not None:
            props["allowBlobPublicAccess"] = public_blob
        if immutable_account:
            props["immutableStorageWithVersioning"] = {
                "enabled": True,
                "immutabilityPolicy": {"immutabilityPeriodSinceCreationInDays": 365, "state": immutable_account},
            }
        row = self._graph_row(
            sub,
            rg,
            "Microsoft.Storage/storageAccounts",
            name,
            location,
            props,
            tags=tags,
            sku={"name": sku, "tier": "Standard"},
            kind="StorageV2",
        )
        arm_doc = {
            **{k: row[k] for k in ("id", "name", "location", "tags", "sku", "kind")},
            "type": "Microsoft.Storage/storageAccounts",
            "properties": props,
        }
        self.put(row["id"], arm_doc)
        return row["id"]

    def log_container(
        self, account_id: str, name: str = "insights-activity-logs", *, state: str | None = "Locked", days: int = 365
    ) -> None:
        props: dict[str, Any] = {
            "publicAccess": "None",
            "leaseStatus": "Unlocked",
            "leaseState": "Available",
            "lastModifiedTime": "2024-03-04T10:11:12.0000000Z",
            "hasImmutabilityPolicy": state is not None,
            "hasLegalHold": False,
        }
        if state is not None:
            props["immutabilityPolicy"] = {
                "immutabilityPeriodSinceCreationInDays": days,
                "state": state,
                "allowProtectedAppendWrites": True,
            }
        self.append(
            f"{account_id}/blobServices/default/containers",
            {
                "id": f"{account_id}/blobServices/default/containers/{name}",
                "name": name,
                "type": "Microsoft.Storage/storageAccounts/blobServices/containers",
                "etag": '"0x8D72CBF8FFFAAD3"',
                "properties": props,
            },
        )

    def lifecycle_delete(self, account_id: str, days: int) -> None:
        self.put(
            f"{account_id}/managementPolicies/default",
            {
                "id": f"{account_id}/managementPolicies/default",
                "name": "DefaultManagementPolicy",
                "type": "Microsoft.Storage/storageAccounts/managementPolicies",
                "properties": {
                    "policy": {
                        "rules": [
                            {
                                "enabled": True,
                                "name": "expire",
                                "type": "Lifecycle",
                                "definition": {
                                    "actions": {"baseBlob": {"delete": {"daysAfterModificationGreaterThan": days}}},
                                    "filters": {"blobTypes": ["blockBlob", "appendBlob"]},
                                },
                            }
                        ]
                    }
                },
            },
        )

    def disk(
        self,
        sub: str,
        name: str,
        *,
        rg: str = "rg-compute",
        location: str = "westeurope",
        encryption: str = "EncryptionAtRestWithPlatformKey",
    ) -> str:
        props = {
            "creationData": {"createOption": "Empty"},
            "diskSizeGB": 128,
            "provisioningState": "Succeeded",
            "diskState": "Attached",
            "timeCreated": "2024-03-04T10:11:12.627047+00:00",
            "encryption": {"type": encryption},
        }
        if "Customer" in encryption:
            props["encryption"]["diskEncryptionSetId"] = (
                f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/diskEncryptionSets/des-cmk"
            )
        return self._graph_row(
            sub, rg, "Microsoft.Compute/disks", name, location, props, sku={"name": "Premium_LRS", "tier": "Premium"}
        )["id"]

    def vm(
        self,
        sub: str,
        name: str,
        *,
        rg: str = "rg-compute",
        location: str = "westeurope",
        backed_up: bool = True,
        vault: str = "rsv-main",
    ) -> str:
        props = {
            "vmId": stable_id("vm", sub, name),
            "hardwareProfile": {"vmSize": "Standard_D2s_v5"},
            "storageProfile": {"osDisk": {"osType": "Linux", "name": f"{name}_OsDisk", "createOption": "FromImage"}},
            "osProfile": {"computerName": name, "adminUsername": "azureuser"},
            "provisioningState": "Succeeded",
        }
        vm_id = self._graph_row(sub, rg, "Microsoft.Compute/virtualMachines", name, location, props)["id"]
        if backed_up:
            vault_id = f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.RecoveryServices/vaults/{vault}"
            item = f"VM;iaasvmcontainerv2;{rg};{name}"
            self._graph_row(
                sub,
                rg,
                "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems",
                item,
                location,
                {
                    "sourceResourceId": vm_id,
                    "protectionState": "Protected",
                    "protectionStatus": "Healthy",
                    "workloadType": "VM",
                    "lastBackupTime": "2024-03-04T02:00:00Z",
                    "friendlyName": name,
                    "backupManagementType": "AzureIaasVM",
                },
                table="recoveryservicesresources",
                rid=f"{vault_id}/backupFabrics/Azure/protectionContainers/iaasvmcontainerv2;{rg};{name}/protectedItems/{item}",
            )
        return vm_id

    def nsg(
        self,
        sub: str,
        name: str,
        rules: list[dict[str, Any]] | None = None,
        *,
        rg: str = "rg-net",
        location: str = "westeurope",
        subnets: list[str] | None = None,
    ) -> str:
        full_rules = []
        for index, rule in enumerate(rules or []):
            props = {
                "provisioningState": "Succeeded",
                "protocol": "*",
                "sourcePortRange": "*",
                "destinationAddressPrefix": "*",
                "access": "Allow",
                "priority": 100 + index * 10,
                "direction": "Inbound",
                "sourcePortRanges": [],
                "destinationPortRanges": [],
                "sourceAddressPrefixes": [],
                "destinationAddressPrefixes": [],
            }
            props.update({k: v for k, v in rule.items() if k != "name"})
            rname = rule.get("name", f"rule{index}")
            full_rules.append(
                {
                    "name": rname,
                    "type": "Microsoft.Network/networkSecurityGroups/securityRules",
                    "id": f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/networkSecurityGroups/{name}/securityRules/{rname}",
                    "properties": props,
                }
            )
        props = {
            "provisioningState": "Succeeded",
            "resourceGuid": stable_id("nsg", sub, name),
            "securityRules": full_rules,
            "defaultSecurityRules": [],
            "subnets": [{"id": s} for s in subnets or []],
        }
        return self._graph_row(sub, rg, "Microsoft.Network/networkSecurityGroups", name, location, props)["id"]

    def flow_log(
        self,
        sub: str,
        target_id: str,
        *,
        enabled: bool = True,
        rg: str = "NetworkWatcherRG",
        location: str = "westeurope",
        retention_days: int = 365,
    ) -> str:
        name = "fl-" + target_id.rsplit("/", 1)[-1]
        props = {
            "provisioningState": "Succeeded",
            "targetResourceId": target_id,
            "targetResourceGuid": stable_id("target", target_id),
            "enabled": enabled,
            "storageId": f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Storage/storageAccounts/flowlogs",
            "flowAnalyticsConfiguration": {},
            "retentionPolicy": {"days": retention_days, "enabled": True},
            "format": {"type": "JSON", "version": 2},
        }
        rid = f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/networkWatchers/NetworkWatcher_{location}/flowLogs/{name}"
        return self._graph_row(sub, rg, "Microsoft.Network/networkWatchers/flowLogs", name, location, props, rid=rid)[
            "id"
        ]
