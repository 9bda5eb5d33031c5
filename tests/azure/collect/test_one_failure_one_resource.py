"""One failure, one resource: a 403 on one vault's diagnostic settings or one database's TDE errors
that resource's checks only; a resource deleted during the sweep (404) is noted, not an error."""

from __future__ import annotations

from azure_helpers import by_name, sweep

from trustsweep.model import Status
from trustsweep_azure.emulator import AzureEstate


def _estate() -> AzureEstate:
    e = AzureEstate()
    sub = e.add_subscription("prod")
    for name in ("kv-a", "kv-b", "kv-c"):
        vault = e.key_vault(sub, name, audit_logs=name != "kv-c")
        e.key(vault, f"{name}-key")
    server = e.sql_server(sub, "sql-main")
    for name in ("db-a", "db-b", "db-c"):
        e.sql_database(server, name, tde="Enabled" if name != "db-c" else "Disabled")
    e.web_app(sub, "web-a")
    e.web_app(sub, "web-b", min_tls="1.0")
    return e


def _statuses(s, check: str) -> dict[str, Status]:
    return {name: r.status for (cid, name), r in by_name(s).items() if cid == check}


def test_one_vaults_diagnostic_settings_denied_errors_that_vault_only(fake, azure_registry) -> None:
    fake.reset(_estate())
    fake.inject(r"GET .*/vaults/kv-a/providers/microsoft.insights/diagnosticSettings", "403", persistent=True)
    s = sweep(fake, azure_registry)
    logs = _statuses(s, "azure.keyvault.diagnostic_logs")
    assert logs == {"kv-a": Status.ERROR, "kv-b": Status.PASS, "kv-c": Status.FAIL}
    reason = by_name(s)[("azure.keyvault.diagnostic_logs", "kv-a")].reason
    assert "could not read diagnostic_settings" in reason and "403" in reason
    # what was read about kv-a is still judged; its keys and the other units are untouched
    assert _statuses(s, "azure.keyvault.recoverable")["kv-a"] is Status.PASS
    assert set(_statuses(s, "azure.keyvault.key_rotation").values()) <= {Status.PASS, Status.FAIL}
    assert not s.collection_errors and s.exit_code == 3


def test_one_databases_tde_denied_errors_that_database_only(fake, azure_registry) -> None:
    fake.reset(_estate())
    fake.inject(r"GET .*/databases/db-a/transparentDataEncryption", "403", persistent=True)
    s = sweep(fake, azure_registry)
    assert _statuses(s, "azure.sql.tde") == {"db-a": Status.ERROR, "db-b": Status.PASS, "db-c": Status.FAIL}
    assert "tde" in by_name(s)[("azure.sql.tde", "db-a")].reason
    assert _statuses(s, "azure.sql.backup_redundancy")["db-a"] is Status.PASS  # read and judged
    assert _statuses(s, "azure.sql.auditing") == {"sql-main": Status.PASS}
    assert not s.collection_errors


def test_a_failed_key_listing_errors_that_vaults_keys_only(fake, azure_registry) -> None:
    fake.reset(_estate())
    fake.inject(r"GET .*/vaults/kv-b/keys", "403", persistent=True)
    s = sweep(fake, azure_registry)
    rotation = [r for r in s.results if r.check_id == "azure.keyvault.key_rotation"]
    errors = [r for r in rotation if r.status is Status.ERROR]
    assert len(errors) == 1 and "kv-b keys" in errors[0].resource_id and "403" in errors[0].reason
    assert {r.resource_id.rsplit("/", 1)[-1] for r in rotation if r.status is not Status.ERROR} == {
        "kv-a-key",
        "kv-c-key",
    }
    assert _statuses(s, "azure.keyvault.diagnostic_logs")["kv-b"] is Status.PASS
    assert [e.resource_types for e in s.collection_errors] == [("azure.keyvault.key",)]


def test_resources_deleted_during_the_sweep_are_noted_not_errors(fake, azure_registry) -> None:
    fake.reset(_estate())
    fake.inject(r"GET .*/databases/db-b/transparentDataEncryption", "404", persistent=True)
    fake.inject(r"GET .*/vaults/kv-b/providers/microsoft.insights/diagnosticSettings", "404", persistent=True)
    fake.inject(r"GET .*/sites/web-a/config/web", "404", persistent=True)
    s = sweep(fake, azure_registry)
    for check, name in (
        ("azure.sql.tde", "db-b"),
        ("azure.sql.backup_redundancy", "db-b"),
        ("azure.keyvault.diagnostic_logs", "kv-b"),
        ("azure.keyvault.recoverable", "kv-b"),
        ("azure.web.min_tls", "web-a"),
        ("azure.web.https_only", "web-a"),
    ):
        result = by_name(s)[(check, name)]
        assert result.status is Status.NOT_APPLICABLE and "deleted during the sweep" in result.reason, (check, name)
    assert _statuses(s, "azure.sql.tde")["db-a"] is Status.PASS
    assert _statuses(s, "azure.web.min_tls")["web-b"] is Status.FAIL
    assert not s.collection_errors and not any(
        r.status is Status.ERROR
        for r in s.results
        if r.check_id.startswith(("azure.sql", "azure.keyvault", "azure.web"))
    )
