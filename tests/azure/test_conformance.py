"""The plugin conformance suite on the Azure plugin: a passing and a failing case for every check
(written in the documented properties of docs/azure.md), plus its error and not-applicable cases;
every check mapped; registration without the SDK; the demo estate swept read-only without errors."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from trustsweep.plugin import Resource
from trustsweep.testing.conformance import Case, PluginConformance
from trustsweep_azure import types as T

NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
SUB = "11111111-1111-4111-8111-111111111111"
NSG_ID = f"/subscriptions/{SUB}/resourceGroups/rg-net/providers/Microsoft.Network/networkSecurityGroups/nsg"
VNET = f"/subscriptions/{SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet"
VM_ID = f"/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm"
GUEST = "0c1d2e3f-0000-4000-8000-00000000000a"
ADMIN_ROLE = "62e90394-69f5-4237-9190-012177145e10"
WORKSPACE = f"/subscriptions/{SUB}/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/law"
LOGS = f"/subscriptions/{SUB}/resourceGroups/rg-logs/providers/Microsoft.Storage/storageAccounts/logs"


def other(type_: str, id_: str, **properties: Any) -> Resource:
    """Another resource of the target's inventory (a fact a check reads besides its own resource)."""
    return Resource("azure", "test-target", "global", type_, id_, id_.rsplit("/", 1)[-1], properties)


def owner(principal: str, scope: str = f"/subscriptions/{SUB}", role: str = T.OWNER) -> dict[str, Any]:
    return {
        "id": f"{scope}/ra-{principal}",
        "principal_id": principal,
        "principal_type": "User",
        "scope": scope,
        "role_definition_id": role,
    }


def access(*assignments: dict[str, Any]) -> dict[str, Any]:
    return {"subscription": SUB, "assignments": list(assignments)}


def policy(**overrides: Any) -> dict[str, Any]:
    base = {
        "id": "p",
        "display_name": "Admins need MFA",
        "state": "enabled",
        "include_users": [],
        "include_roles": [ADMIN_ROLE],
        "include_applications": ["All"],
        "built_in_controls": ["mfa"],
        "authentication_strength": False,
    }
    return {**base, **overrides}


def rule(name: str, ports: list[str], sources: list[str], access_: str = "Allow") -> dict[str, Any]:
    return {
        "name": name,
        "direction": "Inbound",
        "access": access_,
        "protocol": "Tcp",
        "priority": 100,
        "source_prefixes": sources,
        "destination_ports": ports,
    }


def export(
    name: str = "export", categories: tuple[str, ...] = ("Administrative", "Security"), **destination: Any
) -> dict[str, Any]:
    logs = [{"category": c, "category_group": None, "enabled": True} for c in categories]
    return {
        "name": name,
        "logs": logs,
        "workspace_id": None,
        "storage_account_id": None,
        "event_hub_rule_id": None,
        **destination,
    }


def finding(severity: str, age_days: int, status: str = "Unhealthy") -> dict[str, Any]:
    first = (NOW - dt.timedelta(days=age_days)).strftime("%Y-%m-%dT%H:%M:%S.%f0Z")  # Azure: 7 digits
    return {"status": status, "severity": severity, "first_evaluated": first, "resource_id": VM_ID}


DIRECTORY = other(
    T.DIRECTORY, "/tenants/t", tenant="t", guests=[{"id": GUEST, "user_principal_name": "g#EXT#"}], policies=[]
)
# protects the VM of the cases (run_check names it "<type>/example")
BACKUP = other(
    T.BACKUP,
    f"/subscriptions/{SUB}/providers/Microsoft.RecoveryServices/protectedItems",
    protected=[
        {
            "source_id": f"{T.VM}/example",
            "state": "Protected",
            "vault_id": "/v/rsv",
            "last_backup_time": "2026-03-01T02:00:00Z",
        }
    ],
)
STORAGE_OK = {
    "https_only": True,
    "min_tls": "TLS1_2",
    "public_blob_access": False,
    "network_default_action": "Deny",
    "sku": "Standard_GRS",
    "tags": {"environment": "production"},
}
SERVER_OK = {
    "min_tls": "1.2",
    "auditing": {"state": "Enabled", "retention_days": 0},
    "firewall_rules": [{"name": "office", "start_ip": "203.0.113.0", "end_ip": "203.0.113.255"}],
}
UNREAD_403 = {"unread": {"*": "GET …: HTTP 403: AuthorizationFailed"}}


class TestConformance(PluginConformance):
    plugin = "azure"
    cases: ClassVar[list[Case]] = [
        # access
        Case("azure.iam.owner_count", "pass", access(owner("a"), owner("b"))),
        Case(
            "azure.iam.owner_count",
            "fail",
            access(owner("a"), owner("b", "/subscriptions/x/resourceGroups/rg")),
            why="a resource-group Owner does not count",
        ),
        Case(
            "azure.iam.owner_count",
            "fail",
            access(
                owner("a"), owner("b"), owner("c"), owner("d", "/providers/Microsoft.Management/managementGroups/r")
            ),
            why="a management-group Owner counts",
        ),
        Case("azure.iam.owner_count", "pass", access(owner("a")), settings={"min_owners": 1}),
        Case(
            "azure.iam.no_wildcard_custom_role",
            "pass",
            {
                "role_name": "r",
                "subscription": SUB,
                "assignable_scopes": [f"/subscriptions/{SUB}"],
                "permissions": [{"actions": ["Microsoft.Network/*/read"], "not_actions": []}],
            },
        ),
        Case(
            "azure.iam.no_wildcard_custom_role",
            "pass",
            {
                "role_name": "r",
                "subscription": SUB,
                "assignable_scopes": [f"/subscriptions/{SUB}/resourceGroups/rg"],
                "permissions": [{"actions": ["*"], "not_actions": []}],
            },
            why="'*' below subscription scope",
        ),
        Case(
            "azure.iam.no_wildcard_custom_role",
            "fail",
            {
                "role_name": "r",
                "subscription": SUB,
                "assignable_scopes": [f"/subscriptions/{SUB}"],
                "permissions": [{"actions": ["*"], "not_actions": []}],
            },
        ),
        Case(
            "azure.iam.no_privileged_guests",
            "pass",
            access(owner("a"), owner(GUEST, role="acdd72a7")),
            others=[DIRECTORY],
            why="a guest Reader",
        ),
        Case(
            "azure.iam.no_privileged_guests",
            "fail",
            access(owner("a"), owner(GUEST, role=T.CONTRIBUTOR)),
            others=[DIRECTORY],
        ),
        Case("azure.iam.no_privileged_guests", "error", access(owner("a")), why="the directory was not collected"),
        Case("azure.entra.mfa_privileged", "pass", {"tenant": "t", "guests": [], "policies": [policy()]}),
        Case(
            "azure.entra.mfa_privileged",
            "pass",
            {
                "policies": [
                    policy(
                        include_roles=[],
                        include_users=["All"],
                        include_applications=["797f4846-ba00-4fd7-ba43-dac1f8f63013"],
                    )
                ]
            },
        ),
        Case("azure.entra.mfa_privileged", "fail", {"policies": [policy(state="enabledForReportingButNotEnforced")]}),
        Case("azure.entra.mfa_privileged", "fail", {"policies": [policy(built_in_controls=["compliantDevice"])]}),
        # encryption
        Case("azure.storage.secure_transfer", "pass", STORAGE_OK),
        Case("azure.storage.secure_transfer", "fail", {**STORAGE_OK, "https_only": False}),
        Case("azure.storage.min_tls", "pass", STORAGE_OK),
        Case("azure.storage.min_tls", "fail", {**STORAGE_OK, "min_tls": "TLS1_0"}),
        Case("azure.storage.min_tls", "fail", {**STORAGE_OK, "min_tls": None}, why="unset is TLS 1.0"),
        Case("azure.storage.min_tls", "fail", STORAGE_OK, settings={"min_tls": "1.3"}),
        Case("azure.sql.min_tls", "pass", SERVER_OK),
        Case("azure.sql.min_tls", "fail", {**SERVER_OK, "min_tls": "1.0"}),
        Case("azure.sql.min_tls", "error", UNREAD_403),
        Case("azure.sql.tde", "pass", {"tde": "Enabled", "backup_redundancy": "Geo"}),
        Case("azure.sql.tde", "fail", {"tde": "Disabled", "backup_redundancy": "Geo"}),
        Case("azure.sql.tde", "error", {"backup_redundancy": "Geo", "unread": {"tde": "HTTP 403"}}),
        Case("azure.sql.tde", "not_applicable", {"vanished": "HTTP 404"}, why="deleted during the sweep"),
        Case("azure.web.https_only", "pass", {"https_only": True, "min_tls": "1.2"}),
        Case("azure.web.https_only", "fail", {"https_only": False, "min_tls": "1.2"}),
        Case("azure.web.min_tls", "pass", {"https_only": True, "min_tls": "1.2"}),
        Case("azure.web.min_tls", "fail", {"https_only": True, "min_tls": "1.0"}),
        Case("azure.web.min_tls", "error", {"https_only": True, "unread": {"web_config": "HTTP 403"}}),
        Case("azure.compute.disk_encryption", "pass", {"encryption_type": "EncryptionAtRestWithPlatformKey"}),
        Case(
            "azure.compute.disk_encryption",
            "pass",
            {"encryption_type": "EncryptionAtRestWithCustomerKey"},
            settings={"require_cmk": True},
        ),
        Case(
            "azure.compute.disk_encryption",
            "fail",
            {"encryption_type": "EncryptionAtRestWithPlatformKey"},
            settings={"require_cmk": True},
        ),
        Case("azure.keyvault.key_rotation", "pass", {"rotation_actions": ["rotate", "notify"]}),
        Case("azure.keyvault.key_rotation", "pass", {"rotation_actions": [], "expires": 1798761600}),
        Case("azure.keyvault.key_rotation", "fail", {"rotation_actions": ["notify"], "expires": None}),
        Case("azure.keyvault.recoverable", "pass", {"soft_delete": True, "purge_protection": True}),
        Case("azure.keyvault.recoverable", "fail", {"soft_delete": True, "purge_protection": None}),
        # logging
        Case(
            "azure.monitor.activity_log_retained",
            "pass",
            {"settings": [export(workspace_id=WORKSPACE, workspace_retention_days=400)]},
        ),
        Case(
            "azure.monitor.activity_log_retained",
            "pass",
            {"settings": [export(storage_account_id=LOGS, storage_delete_after_days=None)]},
        ),
        Case("azure.monitor.activity_log_retained", "fail", {"settings": []}),
        Case(
            "azure.monitor.activity_log_retained",
            "fail",
            {
                "settings": [
                    export(workspace_id=WORKSPACE, workspace_retention_days=30),
                    export("admin", ("Administrative",), workspace_id=WORKSPACE, workspace_retention_days=400),
                    export("lifecycle", storage_account_id=LOGS, storage_delete_after_days=90),
                ]
            },
        ),
        Case(
            "azure.monitor.activity_log_retained",
            "error",
            {"settings": [export(workspace_id=WORKSPACE)], "unread": {WORKSPACE: "HTTP 403"}},
            why="the only destination could not be read",
        ),
        Case(
            "azure.monitor.log_storage_immutable",
            "pass",
            {"containers": [{"name": "insights-activity-logs", "immutability": "Locked"}]},
        ),
        Case("azure.monitor.log_storage_immutable", "pass", {"account_immutability": "Locked", "containers": []}),
        Case(
            "azure.monitor.log_storage_immutable",
            "fail",
            {"containers": [{"name": "insights-activity-logs", "immutability": "Unlocked"}]},
        ),
        Case("azure.monitor.log_storage_immutable", "error", UNREAD_403),
        Case("azure.sql.auditing", "pass", SERVER_OK),
        Case("azure.sql.auditing", "fail", {**SERVER_OK, "auditing": {"state": "Enabled", "retention_days": 30}}),
        Case("azure.sql.auditing", "fail", {**SERVER_OK, "auditing": {"state": "Disabled", "retention_days": 0}}),
        Case("azure.sql.auditing", "error", {"min_tls": "1.2", "unread": {"auditing": "HTTP 403"}}),
        Case(
            "azure.keyvault.diagnostic_logs",
            "pass",
            {
                "diagnostic_settings": [
                    export("audit", (), workspace_id=WORKSPACE)
                    | {"logs": [{"category": None, "category_group": "audit", "enabled": True}]}
                ]
            },
        ),
        Case("azure.keyvault.diagnostic_logs", "fail", {"diagnostic_settings": []}),
        Case(
            "azure.keyvault.diagnostic_logs", "error", {"soft_delete": True, "unread": {"diagnostic_settings": "403"}}
        ),
        Case(
            "azure.network.nsg_flow_logs",
            "pass",
            {"security_rules": [], "subnets": [f"{VNET}/subnets/app"]},
            others=[other(T.FLOW_LOG, f"{VNET}-fl", enabled=True, target_id=VNET)],
            why="a virtual-network flow log",
        ),
        Case(
            "azure.network.nsg_flow_logs",
            "fail",
            {"security_rules": [], "subnets": []},
            others=[other(T.FLOW_LOG, f"{VNET}-fl", enabled=True, target_id=VNET)],
        ),
        # detection
        Case(
            "azure.defender.plans_enabled",
            "pass",
            {
                "plans": dict.fromkeys(
                    ("VirtualMachines", "SqlServers", "StorageAccounts", "Containers", "KeyVaults"), "Standard"
                )
            },
        ),
        Case("azure.defender.plans_enabled", "fail", {"plans": {"VirtualMachines": "Free"}}),
        Case(
            "azure.defender.plans_enabled",
            "pass",
            {"plans": {"VirtualMachines": "Standard"}},
            settings={"required_plans": ["VirtualMachines"]},
        ),
        Case(
            "azure.defender.security_contact",
            "pass",
            {"contacts": [{"name": "default", "emails": "sec@x.example", "enabled": True}]},
        ),
        Case(
            "azure.defender.security_contact",
            "fail",
            {"contacts": [{"name": "default", "emails": "", "enabled": True}]},
        ),
        Case("azure.defender.vulnerability_sla", "pass", finding("Critical", 3), now=NOW),
        Case("azure.defender.vulnerability_sla", "fail", finding("Critical", 10), now=NOW),
        Case("azure.defender.vulnerability_sla", "fail", finding("High", 40), now=NOW),
        Case("azure.defender.vulnerability_sla", "pass", finding("Critical", 90, "Healthy"), now=NOW),
        Case("azure.defender.vulnerability_sla", "not_applicable", finding("Medium", 300), now=NOW),
        Case("azure.defender.vulnerability_sla", "error", {"status": "Unhealthy", "severity": "High"}, now=NOW),
        Case("azure.defender.recommendation_sla", "pass", finding("High", 29), now=NOW),
        Case("azure.defender.recommendation_sla", "fail", finding("High", 31), now=NOW),
        Case("azure.defender.recommendation_sla", "not_applicable", finding("Low", 400), now=NOW),
        # network
        Case(
            "azure.network.nsg_no_open_admin_ports",
            "pass",
            {"security_rules": [rule("https", ["443"], ["Internet"]), rule("ssh", ["22"], ["*"], "Deny")]},
        ),
        Case("azure.network.nsg_no_open_admin_ports", "fail", {"security_rules": [rule("ssh", ["20-25"], ["*"])]}),
        Case(
            "azure.network.nsg_no_open_admin_ports",
            "fail",
            {"security_rules": [rule("all", ["0-65535"], ["10.0.0.0/8", "0.0.0.0/0"])]},
        ),
        Case("azure.storage.no_public_blob", "pass", STORAGE_OK),
        Case("azure.storage.no_public_blob", "fail", {**STORAGE_OK, "public_blob_access": True}),
        Case("azure.storage.no_public_blob", "fail", {**STORAGE_OK, "public_blob_access": None}, why="not set"),
        Case("azure.storage.default_network_deny", "pass", STORAGE_OK),
        Case("azure.storage.default_network_deny", "fail", {**STORAGE_OK, "network_default_action": "Allow"}),
        Case("azure.sql.no_open_firewall", "pass", SERVER_OK),
        Case(
            "azure.sql.no_open_firewall",
            "fail",
            {**SERVER_OK, "firewall_rules": [{"name": "world", "start_ip": "0.0.0.0", "end_ip": "255.255.255.255"}]},
        ),
        Case("azure.sql.no_open_firewall", "error", {"min_tls": "1.2", "unread": {"firewall_rules": "HTTP 403"}}),
        # availability
        Case("azure.backup.vm_protected", "pass", {"vm_size": "Standard_D2s_v5"}, others=[BACKUP]),
        Case(
            "azure.backup.vm_protected",
            "fail",
            {"vm_size": "Standard_D2s_v5"},
            others=[other(T.BACKUP, "/subscriptions/s/protectedItems", protected=[])],
        ),
        Case("azure.backup.vm_protected", "error", {"vm_size": "Standard_D2s_v5"}, why="backups were not collected"),
        Case("azure.sql.backup_redundancy", "pass", {"tde": "Enabled", "backup_redundancy": "Geo"}),
        Case(
            "azure.sql.backup_redundancy",
            "pass",
            {"tde": "Enabled", "backup_redundancy": "Local", "long_term_retention": {"monthly": "P12M"}},
        ),
        Case(
            "azure.sql.backup_redundancy",
            "fail",
            {"tde": "Enabled", "backup_redundancy": "Local", "long_term_retention": {}},
        ),
        Case(
            "azure.sql.backup_redundancy",
            "error",
            {"backup_redundancy": "Local", "unread": {"long_term_retention": "HTTP 403"}},
        ),
        Case("azure.storage.geo_redundant_production", "pass", STORAGE_OK),
        Case(
            "azure.storage.geo_redundant_production",
            "fail",
            {**STORAGE_OK, "sku": "Standard_LRS", "tags": {"Environment": "Production"}},
        ),
        Case(
            "azure.storage.geo_redundant_production", "not_applicable", {**STORAGE_OK, "tags": {"environment": "dev"}}
        ),
        Case(
            "azure.storage.geo_redundant_production",
            "fail",
            {**STORAGE_OK, "sku": "Standard_LRS", "tags": {"env": "live"}},
            settings={"production_tag_keys": ["env"], "production_tag_values": ["live"]},
        ),
    ]
