"""Secrets in Cloud Asset records (GKE basic auth and client key, a Cloud SQL root password, a
secret-named label) never reach the inventory, the store, OSCAL or the terminal: the collectors keep
only the documented properties (no ``masterAuth``, no ``rootPassword``), and the engine redacts
secret-named labels and secret-looking values in what they keep."""

from __future__ import annotations

from pathlib import Path

from trustsweep.testing.cli import run_cli
from trustsweep.testing.leaks import written_bytes
from trustsweep_gcp.emulator import FakeGcp
from trustsweep_gcp.emulator import estate as E

PASSWORD = "gke-basic-auth-pw-91ac"
CLIENT_KEY = "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ-gke-client-key-77"
ROOT = "sql-root-pw-0d3e"
LABEL = "label-secret-6b2f"
PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC-pem-body-5a5a\n-----END PRIVATE KEY-----\n"
FAST = "settings:\n  gcp: {retry_initial: 0.01, retry_maximum: 0.05, retry_deadline: 1.0, read_timeout_seconds: 5}\n"


def test_planted_secrets_are_redacted_everywhere_a_sweep_writes(gcp_fake: FakeGcp, tmp_path: Path) -> None:
    gcp_fake.add_node("organizations/5150", [])
    gcp_fake.add_project(
        "p-secrets", "515", ancestors=["organizations/5150"], labels={"db_password": LABEL, "team": "payments"}
    )
    gcp_fake.add_asset(
        E.gke_cluster(
            "p-secrets",
            "prod",
            number="515",
            masterAuth={
                "username": "admin",
                "password": PASSWORD,
                "clientKey": CLIENT_KEY,
                "clientCertificate": "public-cert-kept",
                "clusterCaCertificate": "ca-kept",
            },
        ),
        "p-secrets",
    )
    gcp_fake.add_asset(
        E.sql_instance("p-secrets", "db", number="515", rootPassword=ROOT, settings={"userLabels": {"note": PEM}}),
        "p-secrets",
    )
    config = tmp_path / "config.yaml"
    config.write_text(FAST)
    inv, out, store = tmp_path / "inv", tmp_path / "out", tmp_path / "evidence.sqlite"
    proc = run_cli(
        "sweep",
        "--provider",
        "gcp",
        "--gcp-scope",
        "organizations/5150",
        "--config",
        str(config),
        "--save-inventory",
        str(inv),
        "--out",
        str(out),
        "--store",
        f"sqlite:///{store}",
        env={"TRUSTSWEEP_GCP_ENDPOINT": gcp_fake.endpoint},
    )
    assert proc.returncode in (0, 1, 3), proc.stderr
    written = written_bytes(tmp_path, proc.stdout, proc.stderr)
    for secret in (PASSWORD, CLIENT_KEY, ROOT, LABEL, "pem-body-5a5a"):
        assert secret.encode() not in written, secret
    saved = written_bytes(inv)
    assert b"[redacted hmac-sha256:" in saved and b"[redacted hmac-sha256:" in written_bytes(store)
    assert b"payments" in saved and b"1.30.5-gke" in saved and b"default-pool" in saved  # what is not secret is kept
    assert b"masterAuth" not in saved and b"public-cert-kept" not in saved  # undocumented fields are not copied
