"""Every Azure check with a passing and a failing resource, collected from the HTTPS fake by the real SDK."""

from __future__ import annotations

import pytest
from azure_estates import BAD, GOOD
from azure_helpers import by_name, sweep

from trustsweep.model import Status
from trustsweep_azure.emulator import AzureEstate

P, F, NA = Status.PASS, Status.FAIL, Status.NOT_APPLICABLE


EXPECTED: list[tuple[str, str, Status]] = [
    ("azure.iam.owner_count", GOOD, P),
    ("azure.iam.owner_count", BAD, F),
    ("azure.iam.no_privileged_guests", GOOD, P),
    ("azure.iam.no_privileged_guests", BAD, F),
    ("azure.iam.no_wildcard_custom_role", "Ops Reader", P),
    ("azure.iam.no_wildcard_custom_role", "RG Admin", P),
    ("azure.iam.no_wildcard_custom_role", "God Mode", F),
    ("azure.storage.secure_transfer", "goodstore", P),
    ("azure.storage.secure_transfer", "badstore", F),
    ("azure.storage.min_tls", "goodstore", P),
    ("azure.storage.min_tls", "badstore", F),
    ("azure.storage.min_tls", "devstore", F),
    ("azure.storage.no_public_blob", "goodstore", P),
    ("azure.storage.no_public_blob", "badstore", F),
    ("azure.storage.no_public_blob", "devstore", F),
    ("azure.storage.default_network_deny", "goodstore", P),
    ("azure.storage.default_network_deny", "badstore", F),
    ("azure.storage.geo_redundant_production", "goodstore", P),
    ("azure.storage.geo_redundant_production", "badstore", F),
    ("azure.storage.geo_redundant_production", "devstore", NA),
    ("azure.compute.disk_encryption", "disk-cmk", P),
    ("azure.compute.disk_encryption", "disk-pmk", F),
    ("azure.backup.vm_protected", "vm-protected", P),
    ("azure.backup.vm_protected", "vm-unprotected", F),
    ("azure.network.nsg_no_open_admin_ports", "nsg-ok", P),
    ("azure.network.nsg_no_open_admin_ports", "nsg-vnet", P),
    ("azure.network.nsg_no_open_admin_ports", "nsg-open", F),
    ("azure.network.nsg_no_open_admin_ports", "nsg-all", F),
    ("azure.network.nsg_flow_logs", "nsg-ok", P),
    ("azure.network.nsg_flow_logs", "nsg-vnet", P),
    ("azure.network.nsg_flow_logs", "nsg-open", F),
    ("azure.network.nsg_flow_logs", "nsg-all", F),
    ("azure.monitor.activity_log_retained", GOOD, P),
    ("azure.monitor.activity_log_retained", BAD, F),
    ("azure.monitor.log_storage_immutable", "goodlogs", P),
    ("azure.monitor.log_storage_immutable", "badlogs", F),
    ("azure.sql.min_tls", "sql-good", P),
    ("azure.sql.min_tls", "sql-bad", F),
    ("azure.sql.auditing", "sql-good", P),
    ("azure.sql.auditing", "sql-bad", F),
    ("azure.sql.auditing", "sql-noaudit", F),
    ("azure.sql.no_open_firewall", "sql-good", P),
    ("azure.sql.no_open_firewall", "sql-bad", F),
    ("azure.sql.tde", "db-good", P),
    ("azure.sql.tde", "db-bad", F),
    ("azure.sql.backup_redundancy", "db-good", P),
    ("azure.sql.backup_redundancy", "db-ltr", P),
    ("azure.sql.backup_redundancy", "db-bad", F),
    ("azure.web.https_only", "web-good", P),
    ("azure.web.https_only", "web-bad", F),
    ("azure.web.min_tls", "web-good", P),
    ("azure.web.min_tls", "web-bad", F),
    ("azure.keyvault.recoverable", "kv-good", P),
    ("azure.keyvault.recoverable", "kv-bad", F),
    ("azure.keyvault.diagnostic_logs", "kv-good", P),
    ("azure.keyvault.diagnostic_logs", "kv-bad", F),
    ("azure.keyvault.key_rotation", "key-rotated", P),
    ("azure.keyvault.key_rotation", "key-expiring", P),
    ("azure.keyvault.key_rotation", "key-static", F),
    ("azure.defender.plans_enabled", GOOD, P),
    ("azure.defender.plans_enabled", BAD, F),
    ("azure.defender.security_contact", GOOD, P),
    ("azure.defender.security_contact", BAD, F),
    ("azure.defender.vulnerability_sla", "vuln-critical-old", F),
    ("azure.defender.vulnerability_sla", "vuln-critical-new", P),
    ("azure.defender.vulnerability_sla", "vuln-high-old", F),
    ("azure.defender.vulnerability_sla", "vuln-high-new", P),
    ("azure.defender.vulnerability_sla", "vuln-medium", NA),
    ("azure.defender.vulnerability_sla", "vuln-fixed", P),
    ("azure.defender.recommendation_sla", "rec-high-old", F),
    ("azure.defender.recommendation_sla", "rec-high-new", P),
    ("azure.defender.recommendation_sla", "rec-low", NA),
    ("azure.defender.recommendation_sla", "rec-healthy", P),
]
# the MFA check is per tenant: its failing case needs another directory (see test_mfa_failing_cases)
EXPECTED_MFA_PASS = ("azure.entra.mfa_privileged", "6f1c1d5e-0b5a-4c3e-9d8e-3a7b2c1d0e9f", P)


@pytest.fixture(scope="module")
def results(checks_sweep):
    return checks_sweep


@pytest.mark.parametrize(
    ("check_id", "name", "expected"),
    [*EXPECTED, EXPECTED_MFA_PASS],
    ids=[f"{c}[{n}]" for c, n, _ in [*EXPECTED, EXPECTED_MFA_PASS]],
)
def test_check_outcome(results, check_id: str, name: str, expected: Status) -> None:
    found = by_name(results)
    assert (check_id, name) in found, sorted(k for k in found if k[0] == check_id)
    result = found[(check_id, name)]
    assert result.status is expected, result.reason
    assert result.reason


def test_every_check_has_a_passing_and_a_failing_case(azure_registry) -> None:
    registry, _ = azure_registry
    cases = [*EXPECTED, EXPECTED_MFA_PASS, ("azure.entra.mfa_privileged", "-", F)]
    for spec in registry.checks_for("azure"):
        statuses = {s for c, _, s in cases if c == spec.id}
        assert {P, F} <= statuses, f"{spec.id} lacks a passing or a failing case"


def test_no_unexpected_results(results) -> None:
    """Every result of the sweep is one the table expects (nothing silently passes or errors)."""
    expected = {(c, n) for c, n, _ in [*EXPECTED, EXPECTED_MFA_PASS]}
    extra = {k: r.status.value for k, r in by_name(results).items() if k not in expected}
    # the other results are of resources built good except for the property under test elsewhere
    assert all(v in ("pass", "not_applicable") for v in extra.values()), extra
    assert results.counts()["error"] == 0


@pytest.mark.parametrize(
    "policy",
    [
        {"state": "enabledForReportingButNotEnforced", "roles": ["62e90394-69f5-4237-9190-012177145e10"]},
        {"roles": ["62e90394-69f5-4237-9190-012177145e10"], "controls": ["compliantDevice"]},
        {"users": ["0c1d2e3f-0000-4000-8000-000000000001"]},
        {"roles": ["62e90394-69f5-4237-9190-012177145e10"], "apps": ["00000003-0000-0ff1-ce00-000000000000"]},
    ],
)
def test_mfa_failing_cases(fake, azure_registry, policy) -> None:
    e = AzureEstate()
    e.add_subscription("Solo", "33333333-3333-4333-8333-333333333333")
    e.conditional_access("almost", **policy)
    s = sweep(fake, azure_registry, e)
    [result] = [r for r in s.results if r.check_id == "azure.entra.mfa_privileged"]
    assert result.status is Status.FAIL, result.reason


def test_mfa_all_users_policy_passes(fake, azure_registry) -> None:
    e = AzureEstate()
    e.add_subscription("Solo", "33333333-3333-4333-8333-333333333333")
    e.conditional_access("everyone", users=["All"], apps=["797f4846-ba00-4fd7-ba43-dac1f8f63013"])
    s = sweep(fake, azure_registry, e)
    [result] = [r for r in s.results if r.check_id == "azure.entra.mfa_privileged"]
    assert result.status is Status.PASS, result.reason
