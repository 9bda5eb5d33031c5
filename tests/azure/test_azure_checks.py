"""Every Azure check with a passing and a failing resource, collected from the HTTPS fake by the real SDK."""

from __future__ import annotations

import datetime as dt

import pytest

from trustsweep.model import Status
from trustsweep.testing.azure import CONTRIBUTOR_ROLE, OWNER_ROLE, READER_ROLE, AzureEstate

from azure_helpers import by_name, sweep

NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.timezone.utc)
GOOD, BAD = "Contoso Good", "Contoso Bad"
P, F, NA = Status.PASS, Status.FAIL, Status.NOT_APPLICABLE


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
    e.storage_account(bad, "badstore", https_only=False, min_tls="TLS1_0", public_blob=True, default_action="Allow",
                      sku="Standard_LRS", tags={"Environment": "Production"})
    e.storage_account(bad, "devstore", min_tls=None, public_blob=None, tags={"environment": "dev"})
    # compute and backup
    e.disk(good, "disk-cmk", encryption="EncryptionAtRestWithCustomerKey")
    e.disk(bad, "disk-pmk")
    e.vm(good, "vm-protected")
    e.vm(bad, "vm-unprotected", backed_up=False)
    # network
    vnet = f"/subscriptions/{good}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-a"
    ok = e.nsg(good, "nsg-ok", [{"name": "https", "destinationPortRange": "443", "sourceAddressPrefix": "Internet"},
                               {"name": "ssh-deny", "destinationPortRange": "22", "access": "Deny"}])
    e.flow_log(good, ok)
    e.nsg(good, "nsg-vnet", [{"name": "rdp-internal", "destinationPortRange": "3389",
                              "sourceAddressPrefix": "10.0.0.0/8"}], subnets=[f"{vnet}/subnets/app"])
    e.flow_log(good, vnet)
    off = e.nsg(bad, "nsg-open", [{"name": "ssh", "destinationPortRange": "20-25", "sourceAddressPrefix": "*"}])
    e.flow_log(bad, off, enabled=False)
    e.nsg(bad, "nsg-all", [{"name": "all", "destinationPortRange": None, "destinationPortRanges": ["0-65535"],
                            "sourceAddressPrefix": None, "sourceAddressPrefixes": ["0.0.0.0/0"]}])
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
    sbad = e.sql_server(bad, "sql-bad", min_tls="1.0", audit_days=30,
                        firewall=[("azure", "0.0.0.0", "0.0.0.0"), ("world", "0.0.0.0", "255.255.255.255")])
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


EXPECTED: list[tuple[str, str, Status]] = [
    ("azure.iam.owner_count", GOOD, P), ("azure.iam.owner_count", BAD, F),
    ("azure.iam.no_privileged_guests", GOOD, P), ("azure.iam.no_privileged_guests", BAD, F),
    ("azure.iam.no_wildcard_custom_role", "Ops Reader", P), ("azure.iam.no_wildcard_custom_role", "RG Admin", P),
    ("azure.iam.no_wildcard_custom_role", "God Mode", F),
    ("azure.storage.secure_transfer", "goodstore", P), ("azure.storage.secure_transfer", "badstore", F),
    ("azure.storage.min_tls", "goodstore", P), ("azure.storage.min_tls", "badstore", F),
    ("azure.storage.min_tls", "devstore", F),
    ("azure.storage.no_public_blob", "goodstore", P), ("azure.storage.no_public_blob", "badstore", F),
    ("azure.storage.no_public_blob", "devstore", F),
    ("azure.storage.default_network_deny", "goodstore", P), ("azure.storage.default_network_deny", "badstore", F),
    ("azure.storage.geo_redundant_production", "goodstore", P),
    ("azure.storage.geo_redundant_production", "badstore", F),
    ("azure.storage.geo_redundant_production", "devstore", NA),
    ("azure.compute.disk_encryption", "disk-cmk", P), ("azure.compute.disk_encryption", "disk-pmk", F),
    ("azure.backup.vm_protected", "vm-protected", P), ("azure.backup.vm_protected", "vm-unprotected", F),
    ("azure.network.nsg_no_open_admin_ports", "nsg-ok", P), ("azure.network.nsg_no_open_admin_ports", "nsg-vnet", P),
    ("azure.network.nsg_no_open_admin_ports", "nsg-open", F), ("azure.network.nsg_no_open_admin_ports", "nsg-all", F),
    ("azure.network.nsg_flow_logs", "nsg-ok", P), ("azure.network.nsg_flow_logs", "nsg-vnet", P),
    ("azure.network.nsg_flow_logs", "nsg-open", F), ("azure.network.nsg_flow_logs", "nsg-all", F),
    ("azure.monitor.activity_log_retained", GOOD, P), ("azure.monitor.activity_log_retained", BAD, F),
    ("azure.monitor.log_storage_immutable", "goodlogs", P), ("azure.monitor.log_storage_immutable", "badlogs", F),
    ("azure.sql.min_tls", "sql-good", P), ("azure.sql.min_tls", "sql-bad", F),
    ("azure.sql.auditing", "sql-good", P), ("azure.sql.auditing", "sql-bad", F), ("azure.sql.auditing", "sql-noaudit", F),
    ("azure.sql.no_open_firewall", "sql-good", P), ("azure.sql.no_open_firewall", "sql-bad", F),
    ("azure.sql.tde", "db-good", P), ("azure.sql.tde", "db-bad", F),
    ("azure.sql.backup_redundancy", "db-good", P), ("azure.sql.backup_redundancy", "db-ltr", P),
    ("azure.sql.backup_redundancy", "db-bad", F),
    ("azure.web.https_only", "web-good", P), ("azure.web.https_only", "web-bad", F),
    ("azure.web.min_tls", "web-good", P), ("azure.web.min_tls", "web-bad", F),
    ("azure.keyvault.recoverable", "kv-good", P), ("azure.keyvault.recoverable", "kv-bad", F),
    ("azure.keyvault.diagnostic_logs", "kv-good", P), ("azure.keyvault.diagnostic_logs", "kv-bad", F),
    ("azure.keyvault.key_rotation", "key-rotated", P), ("azure.keyvault.key_rotation", "key-expiring", P),
    ("azure.keyvault.key_rotation", "key-static", F),
    ("azure.defender.plans_enabled", GOOD, P), ("azure.defender.plans_enabled", BAD, F),
    ("azure.defender.security_contact", GOOD, P), ("azure.defender.security_contact", BAD, F),
    ("azure.defender.vulnerability_sla", "vuln-critical-old", F), ("azure.defender.vulnerability_sla", "vuln-critical-new", P),
    ("azure.defender.vulnerability_sla", "vuln-high-old", F), ("azure.defender.vulnerability_sla", "vuln-high-new", P),
    ("azure.defender.vulnerability_sla", "vuln-medium", NA), ("azure.defender.vulnerability_sla", "vuln-fixed", P),
    ("azure.defender.recommendation_sla", "rec-high-old", F), ("azure.defender.recommendation_sla", "rec-high-new", P),
    ("azure.defender.recommendation_sla", "rec-low", NA), ("azure.defender.recommendation_sla", "rec-healthy", P),
]
# the MFA check is per tenant: its failing case needs another directory (see test_mfa_failing_cases)
EXPECTED_MFA_PASS = ("azure.entra.mfa_privileged", "6f1c1d5e-0b5a-4c3e-9d8e-3a7b2c1d0e9f", P)


@pytest.fixture(scope="module")
def results(azure_fake, azure_registry):  # noqa: ANN001, ANN201
    import os

    saved = {k: os.environ.get(k) for k in azure_fake.env()}
    os.environ.update(azure_fake.env())
    try:
        s = sweep(azure_fake, azure_registry, checks_estate(), now=NOW,
                  checks={"azure.compute.disk_encryption": {"require_cmk": True}})
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        azure_fake.reset()
    assert not s.collection_errors, s.collection_errors
    return s


@pytest.mark.parametrize(("check_id", "name", "expected"), [*EXPECTED, EXPECTED_MFA_PASS],
                         ids=[f"{c}[{n}]" for c, n, _ in [*EXPECTED, EXPECTED_MFA_PASS]])
def test_check_outcome(results, check_id: str, name: str, expected: Status) -> None:  # noqa: ANN001
    found = by_name(results)
    assert (check_id, name) in found, sorted(k for k in found if k[0] == check_id)
    result = found[(check_id, name)]
    assert result.status is expected, result.reason
    assert result.reason


def test_every_check_has_a_passing_and_a_failing_case(azure_registry) -> None:  # noqa: ANN001
    registry, _ = azure_registry
    cases = [*EXPECTED, EXPECTED_MFA_PASS, ("azure.entra.mfa_privileged", "-", F)]
    for spec in registry.checks_for("azure"):
        statuses = {s for c, _, s in cases if c == spec.id}
        assert {P, F} <= statuses, f"{spec.id} lacks a passing or a failing case"


def test_no_unexpected_results(results) -> None:  # noqa: ANN001
    """Every result of the sweep is one the table expects (nothing silently passes or errors)."""
    expected = {(c, n) for c, n, _ in [*EXPECTED, EXPECTED_MFA_PASS]}
    extra = {k: r.status.value for k, r in by_name(results).items() if k not in expected}
    # the other results are of resources built good except for the property under test elsewhere
    assert all(v in ("pass", "not_applicable") for v in extra.values()), extra
    assert results.counts()["error"] == 0


@pytest.mark.parametrize("policy", [
    {"state": "enabledForReportingButNotEnforced", "roles": ["62e90394-69f5-4237-9190-012177145e10"]},
    {"roles": ["62e90394-69f5-4237-9190-012177145e10"], "controls": ["compliantDevice"]},
    {"users": ["0c1d2e3f-0000-4000-8000-000000000001"]},
    {"roles": ["62e90394-69f5-4237-9190-012177145e10"], "apps": ["00000003-0000-0ff1-ce00-000000000000"]},
])
def test_mfa_failing_cases(fake, azure_registry, policy) -> None:  # noqa: ANN001
    e = AzureEstate()
    e.add_subscription("Solo", "33333333-3333-4333-8333-333333333333")
    e.conditional_access("almost", **policy)
    s = sweep(fake, azure_registry, e)
    [result] = [r for r in s.results if r.check_id == "azure.entra.mfa_privileged"]
    assert result.status is Status.FAIL, result.reason


def test_mfa_all_users_policy_passes(fake, azure_registry) -> None:  # noqa: ANN001
    e = AzureEstate()
    e.add_subscription("Solo", "33333333-3333-4333-8333-333333333333")
    e.conditional_access("everyone", users=["All"], apps=["797f4846-ba00-4fd7-ba43-dac1f8f63013"])
    s = sweep(fake, azure_registry, e)
    [result] = [r for r in s.results if r.check_id == "azure.entra.mfa_privileged"]
    assert result.status is Status.PASS, result.reason
