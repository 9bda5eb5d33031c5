"""Secrets in Resource Graph and Resource Manager records (a VM's admin password and custom data, a
SQL server's admin password, a SAS URL in a tag, a web app's connection strings) never reach the
inventory, the store, OSCAL or the terminal."""

from __future__ import annotations

from pathlib import Path

from trustsweep.testing.cli import run_cli
from trustsweep.testing.leaks import written_bytes
from trustsweep_azure.emulator import AzureEstate, FakeAzure

ADMIN = "vm-admin-pw-19fe"
CUSTOM = "IyEvYmluL3NoCmV4cG9ydCBUT0tFTj1jdXN0b20tZGF0YS04OGQx"  # base64 of a script, no shape to spot
SQL_ADMIN = "sql-admin-pw-c4a0"
SAS = "https://nwdata.blob.core.windows.net/c?sv=2022-11-02&sp=r&sig=sasSig0123456789abcdefXYZ%3D"
CONN = "Server=tcp:nw.database.windows.net;Database=app;User ID=app;Password=conn-pw-70b2;"


def test_planted_secrets_are_redacted_everywhere_a_sweep_writes(fake: FakeAzure, tmp_path: Path) -> None:
    estate = AzureEstate()
    sub = estate.add_subscription("prod")
    vm = estate.vm(sub, "vm-app")
    row = next(r for r in estate.tables["resources"] if r["id"] == vm)
    row["properties"]["osProfile"].update(adminPassword=ADMIN, customData=CUSTOM)
    row["tags"] = {"owner": "platform", "deploy_token": "tag-token-3e3e"}
    estate.storage_account(sub, "nwdata", tags={"export": SAS, "team": "data"})
    server = estate.sql_server(sub, "nw-sql")
    listed = estate.arm[f"/subscriptions/{sub}/providers/Microsoft.Sql/servers".lower()]
    listed[0]["properties"]["administratorLoginPassword"] = SQL_ADMIN
    estate.sql_database(server, "app")
    site = estate.web_app(sub, "nw-web")
    sites = estate.arm[f"/subscriptions/{sub}/providers/Microsoft.Web/sites".lower()]
    next(s for s in sites if s["id"] == site)["properties"]["siteConfig"]["connectionStrings"] = [
        {"name": "db", "connectionString": CONN, "type": "SQLAzure"}
    ]
    fake.reset(estate)
    config = tmp_path / "trustsweep.yaml"
    config.write_text("settings:\n  azure:\n    retry_base_seconds: 0.01\n    max_attempts: 3\n", encoding="utf-8")
    inv, out, store = tmp_path / "inv", tmp_path / "out", tmp_path / "evidence.sqlite"
    proc = run_cli(
        "sweep",
        "--provider",
        "azure",
        "--config",
        str(config),
        "--save-inventory",
        str(inv),
        "--out",
        str(out),
        "--store",
        f"sqlite:///{store}",
        env=fake.env(),
    )
    assert proc.returncode in (0, 1, 3), proc.stderr
    written = written_bytes(tmp_path, proc.stdout, proc.stderr)
    for secret in (ADMIN, CUSTOM, SQL_ADMIN, "sasSig0123456789abcdefXYZ", "conn-pw-70b2", "tag-token-3e3e"):
        assert secret.encode() not in written, secret
    saved = written_bytes(inv)
    assert b"[redacted hmac-sha256:" in saved  # the store keeps resource facts only: no properties
    assert written_bytes(store)
    assert b"azureuser" in saved and b"platform" in saved  # what is not secret is kept
