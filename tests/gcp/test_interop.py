"""The real Cloud Asset records in tests/fixtures/gcp/cai-export/, served by the fake through the real
client, give the verdicts their names describe."""

from __future__ import annotations

from pathlib import Path

import pytest

from trustsweep.model import Status
from trustsweep_gcp.emulator import FakeGcp, load_cai_file, project_of

from .conftest import sweep

P, F = Status.PASS, Status.FAIL
FILES = [
    "sql_ssl",
    "sql_public_ip",
    "sql_backup",
    "network_enable_firewall_logs",
    "network_enable_flow_logs",
    "restricted_firewall_rules",
    "storage_bucket_world_readable",
    "storage_bucket_policy_only",
    "cmek_rotation",
    "gcp_iam_restrict_service_account_key_age",
    "gke_node_auto_repair",
    "gke_node_auto_upgrade",
    "iam_audit_log",
    "bigquery_dataset_world_readable",
    "storage_cmek_encryption",
]
CAI_EXPORT = Path(__file__).resolve().parents[1] / "fixtures" / "gcp" / "cai-export"
DEFAULT_PROJECT = "interop-proj"  # records without a project in their name (buckets)

EXPECTED = [
    ("gcp.sql.require_tls", "//cloudsql.googleapis.com/projects/test-project/instances/sql-instance-with-ssl", P),
    ("gcp.sql.require_tls", "//cloudsql.googleapis.com/projects/test-project/instances/sql-instance-without-ssl", F),
    ("gcp.network.firewall_logging", "//compute.googleapis.com/projects/test-shared-network/global/firewalls/bad", F),
    ("gcp.network.firewall_logging", "//compute.googleapis.com/projects/test-data-1/global/firewalls/good", P),
    ("gcp.network.subnet_flow_logs", "//compute.googleapis.com/projects/pso-cicd8/regions/us-west1/subnetworks/bad", F),
    (
        "gcp.network.subnet_flow_logs",
        "//compute.googleapis.com/projects/pso-cicd8/regions/us-west1/subnetworks/correct",
        P,
    ),
    (
        "gcp.network.subnet_flow_logs",
        "//compute.googleapis.com/projects/pso-cicd8/regions/us-west1/subnetworks/both_false",
        F,
    ),
    (
        "gcp.network.firewall_no_open_admin_ports",
        "//compute.googleapis.com/projects/cf-gcp-challenge-dev/global/firewalls/cf-test-fw-rule-tcp-all",
        F,
    ),
    (
        "gcp.network.firewall_no_open_admin_ports",
        "//compute.googleapis.com/projects/cf-gcp-challenge-dev/global/firewalls/cf-test-fw-rule-tcp-all-port-range0",
        F,
    ),
    ("gcp.iam.no_public_access", "//storage.googleapis.com/my-test-bucket", F),
    ("gcp.iam.no_public_access", "//storage.googleapis.com/my-second-test-bucket", F),
    ("gcp.iam.no_public_access", "//storage.googleapis.com/my-third-test-bucket", P),
    ("gcp.storage.uniform_access", "//storage.googleapis.com/my-storage-bucket-with-bucketpolicyonly", P),
    ("gcp.storage.uniform_access", "//storage.googleapis.com/my-storage-bucketwithuniformbucketlevelaccess", P),
    ("gcp.storage.uniform_access", "//storage.googleapis.com/my-storage-bucket-with-null-bucketpolicyonly", F),
    (
        "gcp.kms.key_rotation",
        "//cloudkms.googleapis.com/projects/test-project/locations/us-central1/keyRings/"
        "test-key-ring/cryptoKeys/rotation-30-days",
        P,
    ),
    (
        "gcp.kms.key_rotation",
        "//cloudkms.googleapis.com/projects/test-project/locations/us-central1/keyRings/"
        "test-key-ring/cryptoKeys/rotation-never",
        F,
    ),
    (
        "gcp.kms.key_rotation",
        "//cloudkms.googleapis.com/projects/test-project/locations/us-central1/keyRings/"
        "test-key-ring/cryptoKeys/rotation-365-days",
        F,
    ),
    (
        "gcp.iam.sa_key_age",
        "//iam.googleapis.com/projects/forseti-system-test/serviceAccounts/"
        "111111-compute@developer.gserviceaccount.com/keys/testkeyageover90days",
        F,
    ),
    (
        "gcp.iam.sa_key_age",
        "//iam.googleapis.com/projects/forseti-system-test/serviceAccounts/"
        "111111-compute@developer.gserviceaccount.com/keys/testkeyagefuture",
        P,
    ),
    # none of these projects configures allServices audit logs
    ("gcp.logging.data_access_audit_logs", "//cloudresourcemanager.googleapis.com/projects/good", F),
]


@pytest.fixture(scope="module")
def interop(gcp_emulator: FakeGcp, gcp_registry):
    gcp_emulator.reset()
    projects: set[str] = set()
    for name in FILES:
        for record in load_cai_file(CAI_EXPORT / f"{name}.json"):
            project = project_of(record["name"]) or DEFAULT_PROJECT
            if record["asset_type"] == "cloudresourcemanager.googleapis.com/Project":
                project = record["name"].rsplit("/", 1)[-1]
            projects.add(project)
            gcp_emulator.add_asset(record, project)
    s = sweep(gcp_emulator, gcp_registry, targets=sorted(projects))
    gcp_emulator.reset()
    return s


@pytest.mark.parametrize(
    ("check", "resource", "expected"), EXPECTED, ids=[f"{c}:{r.rsplit('/', 1)[-1]}" for c, r, _ in EXPECTED]
)
def test_real_records_give_expected_verdicts(interop, check: str, resource: str, expected: Status) -> None:
    found = [r for r in interop.results if r.check_id == check and r.resource_id == resource]
    assert len(found) == 1, f"{check} on {resource}: {len(found)} results"
    assert found[0].status is expected, found[0].reason


def test_every_record_is_collected_through_the_client(interop) -> None:
    names = {r["name"] for f in FILES for r in load_cai_file(CAI_EXPORT / f"{f}.json")}
    collected = {r.id for r in interop.resources}
    assert names <= collected
    assert not interop.collection_errors


def test_snake_case_export_records_become_rest_json() -> None:
    from trustsweep_gcp.emulator import cai_record

    record = cai_record(load_cai_file(CAI_EXPORT / "iam_audit_log.json")[0])
    assert record["assetType"] == "cloudresourcemanager.googleapis.com/Project"
    assert record["iamPolicy"]["auditConfigs"][0]["auditLogConfigs"][1]["exemptedMembers"] == ["user:user1@org.com"]
