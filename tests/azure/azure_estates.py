"""Estates the Azure tests sweep: one resource per check outcome, and a small estate for the wire tests."""

from __future__ import annotations

import datetime as dt

from trustsweep_azure.emulator import CONTRIBUTOR_ROLE, OWNER_ROLE, READER_ROLE, AzureEstate

NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
GOOD, BAD = "Contoso Good", "Contoso Bad"


def checks_estate() -> AzureEstate:
    e = AzureEstate()
    good = e.add_subscription(GOOD, "11111111-1111-4111-8111-111111111111")
    bad = e.add_subscription(BAD, "22222222-2222-4222-8222-222222222222")
    # identity and access
    ann, ben, cat, dan = (e.user(n) for n in ("Ann", "Ben", "Cat", "Dan"))
    guest = e.user("Partner", guest=True)
    e.role_assignment(good, ann)
    e.role_assignment(good, ben)
    e.role_assignment(good, guest, READER_ROLE)  # a guest, but not privileged
    e.role_assignment(good, cat, OWNER_ROLE, scope=f"/subscriptions/{good}/resourceGroups/rg-app")  # RG-scoped
    for who in (ann, ben, cat):
        e.role_assignment(bad, who)
    e.role_assignment(bad, guest, CONTRIBUTOR_ROLE)
    e.role_assignment(bad, dan, OWNER_ROLE, scope="/providers/Microsoft.Management/managementGroups/root")
    e.custom_role(good, "Ops Reader", ["Microsoft.Network/*/read"])
    e.custom_role(good, "RG Admin", ["*"], scopes=[f"/subscriptions/{good}/resourceGroups/rg-app"])
    e.custom_role(bad, "God Mode", ["*"])
    e.conditional_access("Admins need MFA", roles=["62e90394-69f5-4237-9190-012177145e10"])
    # storage
    e.storage_account(good, "goodstore", tags={"environment": "production"})
    e.storage_account(
        bad,
        "badstore",
        https_only=False,
        min_tls="TLS1_0",
        public_blob=True,
        default_action="Allow",
        sku="Standard_LRS",
        tags={"Environment": "Production"},
    )
    e.storage_account(bad, "devstore", min_tls=None, public_blob=None, tags={"environment": "dev"})
    # compute and backup
    e.disk(good, "disk-cmk", encryption="EncryptionAtRestWithCustomerKey")
    e.disk(bad, "disk-pmk")
    e.vm(good, "vm-protected")
    e.vm(bad, "vm-unprotected", backed_up=False)
    # network
    vnet = f"/subscriptions/{good}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-a"
    ok = e.nsg(
        good,
        "nsg-ok",
        [
            {"name": "https", "destinationPortRange": "443", "sourceAddressPrefix": "Internet"},
            {"name": "ssh-deny", "destinationPortRange": "22", "access": "Deny"},
        ],
    )
    e.flow_log(good, ok)
    e.nsg(
        good,
        "nsg-vnet",
        [{"name": "rdp-internal", "destinationPortRange": "3389", "sourceAddressPrefix": "10.0.0.0/8"}],
        subnets=[f"{vnet}/subnets/app"],
    )
    e.flow_log(good, vnet)
    off = e.nsg(bad, "nsg-open", [{"name": "ssh", "destinationPortRange": "20-25", "sourceAddressPrefix": "*"}])
    e.flow_log(bad, off, enabled=False)
    e.nsg(
        bad,
        "nsg-all",
        [
            {
                "name": "all",
                "destinationPortRange": None,
                "destinationPortRanges": ["0-65535"],
                "sourceAddressPrefix": None,
                "sourceAddressPrefixes": ["0.0.0.0/0"],
            }
        ],
    )
    # logging
    law = e.workspace(good, "law-365", retention_days=365)
    e.activity_log_export(good, "to-workspace", workspace_id=law)
    goodlogs = e.storage_account(good, "goodlogs", rg="rg-logs")
    e.log_container(goodlogs)
    e.activity_log_export(good, "to-storage", storage_id=goodlogs)
    badlogs = e.storage_account(bad, "badlogs", rg="rg-logs")
    e.log_container(badlogs, state="Unlocked")
    e.lifecycle_delete(badlogs, 90)
    short = e.workspace(bad, "law-30", retention_days=30)
    e.activity_log_export(bad, "short", workspace_id=short, storage_id=badlogs)
    e.activity_log_export(bad, "admin-only", workspace_id=law, categories=("Administrative",))
    # SQL
    sgood = e.sql_server(good, "sql-good", audit_days=400, firewall=[("office", "203.0.113.0", "203.0.113.255")])
    e.sql_database(sgood, "db-good")
    e.sql_database(sgood, "db-ltr", redundancy="Local", ltr={"monthlyRetention": "P12M"})
    sbad = e.sql_server(
        bad,
        "sql-bad",
        min_tls="1.0",
        audit_days=30,
        firewall=[("azure", "0.0.0.0", "0.0.0.0"), ("world", "0.0.0.0", "255.255.255.255")],
    )
    e.sql_database(sbad, "db-bad", tde="Disabled", redundancy="Local")
    e.sql_server(bad, "sql-noaudit", auditing="Disabled")
    # App Service
    e.web_app(good, "web-good")
    e.web_app(bad, "web-bad", https_only=False, min_tls="1.0")
    # Key Vault
    kv = e.key_vault(good, "kv-good")
    e.key(kv, "key-rotated")
    e.key(kv, "key-expiring", rotate=False, expires=NOW + dt.timedelta(days=300))
    kvb = e.key_vault(bad, "kv-bad", purge_protection=None, audit_logs=False)
    e.key(kvb, "key-static", rotate=False)
    # Defender
    for plan in ("VirtualMachines", "SqlServers", "StorageAccounts", "Containers", "KeyVaults"):
        e.defender_plan(good, plan)
        if plan != "Containers":
            e.defender_plan(bad, plan)
    e.security_contact(good)
    e.security_contact(bad, emails="")
    vm = f"/subscriptions/{bad}/resourceGroups/rg-compute/providers/Microsoft.Compute/virtualMachines/vm-unprotected"
    e.vulnerability(bad, vm, "vuln-critical-old", severity="Critical", age_days=10, now=NOW)
    e.vulnerability(bad, vm, "vuln-critical-new", severity="Critical", age_days=3, now=NOW)
    e.vulnerability(bad, vm, "vuln-high-old", severity="High", age_days=40, now=NOW)
    e.vulnerability(bad, vm, "vuln-high-new", severity="High", age_days=20, now=NOW)
    e.vulnerability(bad, vm, "vuln-medium", severity="Medium", age_days=300, now=NOW)
    e.vulnerability(bad, vm, "vuln-fixed", severity="Critical", age_days=90, healthy=True, now=NOW)
    e.recommendation(bad, vm, "rec-high-old", age_days=31, now=NOW)
    e.recommendation(bad, vm, "rec-high-new", age_days=29, now=NOW)
    e.recommendation(bad, vm, "rec-low", severity="Low", age_days=400, now=NOW)
    e.recommendation(bad, vm, "rec-healthy", age_days=400, healthy=True, now=NOW)
    return e


SUBS = ["aaaaaaaa-0000-4000-8000-00000000000" + str(i) for i in range(3)]
GRAPH = r"POST /providers/Microsoft.ResourceGraph/resources"
SQL_LIST = r"GET /subscriptions/[^/]+/providers/Microsoft.Sql/servers$"


def small_estate(subs: int = 1, storage: int = 7, servers: int = 5) -> AzureEstate:
    e = AzureEstate()
    for s in range(subs):
        sub = e.add_subscription(f"Sub {s}", SUBS[s], ("mg-a",) if s < 2 else ("mg-b",))
        e.role_assignment(sub, e.user(f"o{s}"))
        for i in range(storage):
            e.storage_account(sub, f"st{s}n{i}", https_only=bool(i % 2))
        for i in range(servers):
            e.sql_server(sub, f"sql{s}n{i}")
    return e
