"""Every GCP check with a passing and a failing asset, collected over HTTP from the fake CAI/SCC.

One estate, one sweep per module: two projects ("good" and "bad") whose assets are built like the
real records in tests/fixtures/gcp/. Each case names the check, the asset and the expected status.
"""

from __future__ import annotations

import pytest

from trustsweep.model import Status
from trustsweep_gcp.emulator import FakeGcp
from trustsweep_gcp.emulator import estate as E

from ..conftest import results_by, sweep

ORG, FOLDER = "organizations/77", "folders/88"
GOOD, BAD = "good-proj", "bad-proj"
GN, BN = "501", "502"
P, F, NA = Status.PASS, Status.FAIL, Status.NOT_APPLICABLE


def _seed(fake: FakeGcp) -> None:
    fake.add_node(ORG, [], org_policy=[E.domain_policy()])
    fake.add_node(
        FOLDER,
        [ORG],
        org_policy=[{"constraint": "constraints/storage.publicAccessPrevention", "booleanPolicy": {"enforced": True}}],
    )
    fake.add_project(
        GOOD,
        GN,
        ancestors=[FOLDER, ORG],
        iam_policy=E.policy(
            ("roles/owner", ["user:boss@corp.example"]),
            ("roles/storage.objectViewer", [f"serviceAccount:etl@{GOOD}.iam.gserviceaccount.com"]),
            (
                "roles/container.serviceAgent",
                [f"serviceAccount:service-{GN}@container-engine-robot.iam.gserviceaccount.com"],
            ),
            audit_all=True,
        ),
    )
    fake.add_project(
        BAD,
        BN,
        ancestors=[ORG],
        iam_policy=E.policy(
            ("roles/editor", ["user:dev@corp.example"]),
            ("roles/iam.serviceAccountAdmin", [f"serviceAccount:ci@{BAD}.iam.gserviceaccount.com"]),
            ("roles/viewer", ["allAuthenticatedUsers"]),
            audit_all=True,
            exempt=["user:dev@corp.example"],
        ),
        org_policy=[{"constraint": "constraints/iam.allowedPolicyMemberDomains", "listPolicy": {"allValues": "ALLOW"}}],
    )
    add = fake.add_asset
    # storage
    add(
        E.bucket(
            GOOD,
            "g-logs",
            number=GN,
            retentionPolicy={"retentionPeriod": "34560000", "isLocked": True},
            encryption={"defaultKmsKeyName": f"projects/{GOOD}/locations/us/keyRings/r/cryptoKeys/k"},
        ),
        GOOD,
    )
    add(E.bucket(GOOD, "g-inherit", number=GN, iamConfiguration={"publicAccessPrevention": "inherited"}), GOOD)
    add(
        E.bucket(
            BAD,
            "b-public",
            number=BN,
            iam=E.policy(("roles/storage.objectViewer", ["allUsers"])),
            iamConfiguration={"uniformBucketLevelAccess": {"enabled": False}, "publicAccessPrevention": "inherited"},
        ),
        BAD,
    )
    add(
        E.bucket(
            BAD,
            "b-legacy",
            number=BN,
            iamConfiguration={"bucketPolicyOnly": {"enabled": True}, "publicAccessPrevention": "unspecified"},
        ),
        BAD,
    )
    add(E.dataset(GOOD, "g_ds", number=GN), GOOD)
    add(E.dataset(BAD, "b_ds", number=BN, access=[{"role": "READER", "specialGroup": "allAuthenticatedUsers"}]), BAD)
    # keys
    add(E.crypto_key(GOOD, "r", "k90", number=GN), GOOD)
    add(E.crypto_key(GOOD, "r", "asym", number=GN, purpose="ASYMMETRIC_SIGN", rotationPeriod=None), GOOD)
    add(
        E.crypto_key(
            BAD,
            "r",
            "k365",
            number=BN,
            rotationPeriod="31536000s",
            iam=E.policy(("roles/cloudkms.cryptoKeyEncrypterDecrypter", ["allAuthenticatedUsers"])),
        ),
        BAD,
    )
    add(E.crypto_key(BAD, "r", "knever", number=BN, rotationPeriod=None), BAD)
    add(E.sa_key(GOOD, f"etl@{GOOD}.iam.gserviceaccount.com", "new", created=E.ago(10), number=GN), GOOD)
    add(
        E.sa_key(
            GOOD, f"etl@{GOOD}.iam.gserviceaccount.com", "sys", created=E.ago(900), keyType="SYSTEM_MANAGED", number=GN
        ),
        GOOD,
    )
    add(E.sa_key(BAD, f"ci@{BAD}.iam.gserviceaccount.com", "old", created=E.ago(120), number=BN), BAD)
    # cloud sql
    add(E.sql_instance(GOOD, "g-db", number=GN), GOOD)
    add(
        E.sql_instance(
            GOOD,
            "g-legacy",
            number=GN,
            databaseVersion="MYSQL_5_7",
            settings={
                "userLabels": {"environment": "dev"},
                "availabilityType": "ZONAL",
                "ipConfiguration": {
                    "sslMode": "",
                    "requireSsl": True,
                    "ipv4Enabled": True,
                    "authorizedNetworks": [{"value": "203.0.113.0/24"}],
                },
                "backupConfiguration": {"enabled": True, "binaryLogEnabled": True, "pointInTimeRecoveryEnabled": False},
            },
        ),
        GOOD,
    )
    add(
        E.sql_instance(
            GOOD,
            "g-replica",
            number=GN,
            instanceType="READ_REPLICA_INSTANCE",
            masterInstanceName="g-db",
            settings={"backupConfiguration": {"enabled": False}},
        ),
        GOOD,
    )
    add(
        E.sql_instance(
            BAD,
            "b-db",
            number=BN,
            settings={
                "availabilityType": "ZONAL",
                "ipConfiguration": {
                    "ipv4Enabled": True,
                    "sslMode": "ALLOW_UNENCRYPTED_AND_ENCRYPTED",
                    "requireSsl": False,
                    "authorizedNetworks": [{"value": "0.0.0.0/0"}],
                },
                "backupConfiguration": {"enabled": False},
            },
        ),
        BAD,
    )
    add(
        E.sql_instance(
            BAD,
            "b-nopitr",
            number=BN,
            settings={"backupConfiguration": {"enabled": True, "pointInTimeRecoveryEnabled": False}},
        ),
        BAD,
    )
    # network
    add(E.firewall(GOOD, "g-internal", number=GN), GOOD)
    add(E.firewall(GOOD, "g-https", number=GN, sourceRanges=["0.0.0.0/0"]), GOOD)
    add(E.firewall(GOOD, "g-egress", number=GN, direction="EGRESS", destinationRanges=["0.0.0.0/0"]), GOOD)
    add(
        E.firewall(
            BAD,
            "b-ssh",
            number=BN,
            allowed=[{"IPProtocol": "tcp", "ports": ["22"]}],
            sourceRanges=["0.0.0.0/0"],
            logConfig={"enable": False},
        ),
        BAD,
    )
    add(
        E.firewall(
            BAD,
            "b-rdp-range",
            number=BN,
            allowed=[{"IPProtocol": "tcp", "ports": ["3000-4000"]}],
            sourceRanges=["::/0"],
        ),
        BAD,
    )
    add(E.firewall(BAD, "b-all", number=BN, allowed=[{"IPProtocol": "all"}], sourceRanges=["0.0.0.0/0"]), BAD)
    add(E.subnetwork(GOOD, "g-sub", number=GN), GOOD)
    add(
        E.subnetwork(
            GOOD,
            "g-proxy",
            number=GN,
            purpose="REGIONAL_MANAGED_PROXY",
            enableFlowLogs=False,
            logConfig={"enable": False},
        ),
        GOOD,
    )
    add(E.subnetwork(BAD, "b-sub", number=BN, enableFlowLogs=False, logConfig={"enable": False}), BAD)
    add(E.ssl_policy(GOOD, "g-modern", number=GN), GOOD)
    add(E.ssl_policy(BAD, "b-compat", number=BN, profile="COMPATIBLE"), BAD)
    add(E.ssl_policy(BAD, "b-tls10", number=BN, minTlsVersion="TLS_1_0", profile="RESTRICTED"), BAD)
    add(E.https_proxy(GOOD, "g-proxy", "g-modern", number=GN), GOOD)
    add(E.https_proxy(BAD, "b-nopolicy", None, number=BN), BAD)
    add(E.https_proxy(BAD, "b-compat-proxy", "b-compat", number=BN), BAD)
    # logging
    add(E.log_sink(GOOD, "archive", "storage.googleapis.com/g-logs", number=GN), GOOD)
    add(
        E.log_sink(
            GOOD,
            "_Default",
            f"logging.googleapis.com/projects/{GOOD}/locations/global/buckets/_Default",
            number=GN,
            filter='NOT LOG_ID("cloudaudit.googleapis.com/activity")',
        ),
        GOOD,
    )
    add(E.log_bucket(BAD, "short", number=BN), BAD)
    add(
        E.log_sink(BAD, "to-short", f"logging.googleapis.com/projects/{BAD}/locations/global/buckets/short", number=BN),
        BAD,
    )
    # gke
    add(E.gke_cluster(GOOD, "g-gke", number=GN), GOOD)
    add(E.gke_cluster(GOOD, "g-autopilot", number=GN, pools=[], autopilot={"enabled": True}), GOOD)
    add(E.gke_cluster(BAD, "b-gke", number=BN, pools=[{"name": "default-pool", "management": {}}]), BAD)
    # security command center
    fake.add_finding(GOOD, E.finding(GOOD, "g1", "HIGH", "OPEN_FIREWALL", days_open=20))
    fake.add_finding(GOOD, E.finding(GOOD, "g2", "CRITICAL", "WEAK_PASSWORD", days_open=40, state="INACTIVE"))
    fake.add_finding(GOOD, E.finding(GOOD, "g3", "MEDIUM", "LEGACY_METADATA", days_open=200))
    fake.add_finding(BAD, E.finding(BAD, "b1", "CRITICAL", "SQL_PUBLIC_IP", days_open=12))


@pytest.fixture(scope="module")
def results(gcp_emulator: FakeGcp, gcp_registry):
    gcp_emulator.reset()
    _seed(gcp_emulator)
    s = sweep(
        gcp_emulator,
        gcp_registry,
        scope=ORG,
        page_size=7,
        checks={
            "gcp.iam.basic_roles_approved": {"approved_members": ["user:boss@corp.example"]},
            "gcp.encryption.cmek": {"require_cmk": True},
        },
    )
    gcp_emulator.reset()
    assert not s.collection_errors, s.collection_errors
    return results_by(s)


def _id(kind: str, project: str, name: str) -> str:
    return {
        "project": f"//cloudresourcemanager.googleapis.com/projects/{ {GOOD: GN, BAD: BN}[project] }",
        "bucket": f"//storage.googleapis.com/{name}",
        "dataset": f"//bigquery.googleapis.com/projects/{project}/datasets/{name}",
        "key": f"//cloudkms.googleapis.com/projects/{project}/locations/us-central1/keyRings/r/cryptoKeys/{name}",
        "sakey": f"//iam.googleapis.com/projects/{project}/serviceAccounts/{name}",
        "sql": f"//cloudsql.googleapis.com/projects/{project}/instances/{name}",
        "fw": f"//compute.googleapis.com/projects/{project}/global/firewalls/{name}",
        "subnet": f"//compute.googleapis.com/projects/{project}/regions/us-central1/subnetworks/{name}",
        "sslpolicy": f"//compute.googleapis.com/projects/{project}/global/sslPolicies/{name}",
        "proxy": f"//compute.googleapis.com/projects/{project}/global/targetHttpsProxies/{name}",
        "logbucket": f"//logging.googleapis.com/projects/{project}/locations/global/buckets/{name}",
        "gke": f"//container.googleapis.com/projects/{project}/locations/us-central1/clusters/{name}",
        "orgpolicy": f"//cloudresourcemanager.googleapis.com/projects/{project}/effectiveOrgPolicies",
        "scc": f"//securitycenter.googleapis.com/projects/{project}/sources/-/findings",
    }[kind]


CASES = [
    # access
    ("gcp.iam.basic_roles_approved", "project", GOOD, "", P),
    ("gcp.iam.basic_roles_approved", "project", BAD, "", F),
    ("gcp.iam.no_public_access", "project", GOOD, "", P),
    ("gcp.iam.no_public_access", "project", BAD, "", F),
    ("gcp.iam.no_public_access", "bucket", GOOD, "g-logs", P),
    ("gcp.iam.no_public_access", "bucket", BAD, "b-public", F),
    ("gcp.iam.no_public_access", "dataset", GOOD, "g_ds", P),
    ("gcp.iam.no_public_access", "dataset", BAD, "b_ds", F),
    ("gcp.iam.no_public_access", "key", BAD, "k365", F),
    ("gcp.iam.sa_key_age", "sakey", GOOD, f"etl@{GOOD}.iam.gserviceaccount.com/keys/new", P),
    ("gcp.iam.sa_key_age", "sakey", GOOD, f"etl@{GOOD}.iam.gserviceaccount.com/keys/sys", NA),
    ("gcp.iam.sa_key_age", "sakey", BAD, f"ci@{BAD}.iam.gserviceaccount.com/keys/old", F),
    ("gcp.iam.sa_no_admin_roles", "project", GOOD, "", P),
    ("gcp.iam.sa_no_admin_roles", "project", BAD, "", F),
    ("gcp.orgpolicy.domain_restricted_sharing", "orgpolicy", GOOD, "", P),
    ("gcp.orgpolicy.domain_restricted_sharing", "orgpolicy", BAD, "", F),
    # encryption
    ("gcp.sql.require_tls", "sql", GOOD, "g-db", P),
    ("gcp.sql.require_tls", "sql", GOOD, "g-legacy", P),
    ("gcp.sql.require_tls", "sql", BAD, "b-db", F),
    ("gcp.compute.ssl_policy_tls12", "sslpolicy", GOOD, "g-modern", P),
    ("gcp.compute.ssl_policy_tls12", "sslpolicy", BAD, "b-compat", F),
    ("gcp.compute.ssl_policy_tls12", "sslpolicy", BAD, "b-tls10", F),
    ("gcp.compute.lb_tls12", "proxy", GOOD, "g-proxy", P),
    ("gcp.compute.lb_tls12", "proxy", BAD, "b-nopolicy", F),
    ("gcp.compute.lb_tls12", "proxy", BAD, "b-compat-proxy", F),
    ("gcp.kms.key_rotation", "key", GOOD, "k90", P),
    ("gcp.kms.key_rotation", "key", GOOD, "asym", NA),
    ("gcp.kms.key_rotation", "key", BAD, "k365", F),
    ("gcp.kms.key_rotation", "key", BAD, "knever", F),
    ("gcp.encryption.cmek", "bucket", GOOD, "g-logs", P),
    ("gcp.encryption.cmek", "bucket", BAD, "b-public", F),
    ("gcp.encryption.cmek", "sql", BAD, "b-db", F),
    # logging
    ("gcp.logging.data_access_audit_logs", "project", GOOD, "", P),
    ("gcp.logging.data_access_audit_logs", "project", BAD, "", F),
    ("gcp.logging.sink_retention", "project", GOOD, "", P),
    ("gcp.logging.sink_retention", "project", BAD, "", F),
    ("gcp.logging.retention_locked", "bucket", GOOD, "g-logs", P),
    ("gcp.logging.retention_locked", "bucket", GOOD, "g-inherit", NA),
    ("gcp.logging.retention_locked", "logbucket", BAD, "short", F),
    ("gcp.network.subnet_flow_logs", "subnet", GOOD, "g-sub", P),
    ("gcp.network.subnet_flow_logs", "subnet", GOOD, "g-proxy", NA),
    ("gcp.network.subnet_flow_logs", "subnet", BAD, "b-sub", F),
    ("gcp.network.firewall_logging", "fw", GOOD, "g-internal", P),
    ("gcp.network.firewall_logging", "fw", BAD, "b-ssh", F),
    # detection
    ("gcp.scc.findings_remediated", "scc", GOOD, "", P),
    ("gcp.scc.findings_remediated", "scc", BAD, "", F),
    # network
    ("gcp.network.firewall_no_open_admin_ports", "fw", GOOD, "g-internal", P),
    ("gcp.network.firewall_no_open_admin_ports", "fw", GOOD, "g-https", P),
    ("gcp.network.firewall_no_open_admin_ports", "fw", GOOD, "g-egress", NA),
    ("gcp.network.firewall_no_open_admin_ports", "fw", BAD, "b-ssh", F),
    ("gcp.network.firewall_no_open_admin_ports", "fw", BAD, "b-rdp-range", F),
    ("gcp.network.firewall_no_open_admin_ports", "fw", BAD, "b-all", F),
    ("gcp.sql.no_public_access", "sql", GOOD, "g-db", P),
    ("gcp.sql.no_public_access", "sql", GOOD, "g-legacy", P),
    ("gcp.sql.no_public_access", "sql", BAD, "b-db", F),
    ("gcp.storage.uniform_access", "bucket", GOOD, "g-logs", P),
    ("gcp.storage.uniform_access", "bucket", BAD, "b-legacy", P),
    ("gcp.storage.uniform_access", "bucket", BAD, "b-public", F),
    ("gcp.storage.public_access_prevention", "bucket", GOOD, "g-logs", P),
    ("gcp.storage.public_access_prevention", "bucket", GOOD, "g-inherit", P),
    ("gcp.storage.public_access_prevention", "bucket", BAD, "b-public", F),
    ("gcp.storage.public_access_prevention", "bucket", BAD, "b-legacy", F),
    # availability
    ("gcp.sql.backups_pitr", "sql", GOOD, "g-db", P),
    ("gcp.sql.backups_pitr", "sql", GOOD, "g-legacy", P),
    ("gcp.sql.backups_pitr", "sql", GOOD, "g-replica", NA),
    ("gcp.sql.backups_pitr", "sql", BAD, "b-db", F),
    ("gcp.sql.backups_pitr", "sql", BAD, "b-nopitr", F),
    ("gcp.sql.regional_production", "sql", GOOD, "g-db", P),
    ("gcp.sql.regional_production", "sql", GOOD, "g-legacy", NA),
    ("gcp.sql.regional_production", "sql", BAD, "b-db", F),
    ("gcp.gke.node_auto_repair", "gke", GOOD, "g-gke", P),
    ("gcp.gke.node_auto_repair", "gke", GOOD, "g-autopilot", P),
    ("gcp.gke.node_auto_repair", "gke", BAD, "b-gke", F),
    ("gcp.gke.node_auto_upgrade", "gke", GOOD, "g-gke", P),
    ("gcp.gke.node_auto_upgrade", "gke", BAD, "b-gke", F),
]


@pytest.mark.parametrize(
    ("check", "kind", "project", "name", "expected"),
    CASES,
    ids=[f"{c[0]}-{c[2]}-{c[3] or c[1]}".replace("/", "_") for c in CASES],
)
def test_check_verdict(results, check, kind, project, name, expected) -> None:
    result = results.get((check, _id(kind, project, name)))
    assert result is not None, f"no result of {check} on {project}/{name}"
    assert result.status is expected, result.reason
    assert result.target == project
    assert result.reason and "\n" not in result.reason


def test_every_declared_check_has_a_pass_and_a_fail_case(gcp_registry) -> None:
    registry, _ = gcp_registry
    declared = {c.id for c in registry.checks.values() if c.provider == "gcp"}
    covered = {status: {c[0] for c in CASES if c[4] is status} for status in (P, F)}
    assert declared - covered[P] == set()
    assert declared - covered[F] == set()


def test_fail_results_carry_evidence(results) -> None:
    ssh = results[("gcp.network.firewall_no_open_admin_ports", _id("fw", BAD, "b-ssh"))]
    assert ssh.evidence["exposed"] == ["tcp/22"]
    scc = results[("gcp.scc.findings_remediated", _id("scc", BAD, ""))]
    assert "CRITICAL SQL_PUBLIC_IP" in scc.evidence["overdue"][0]
    good_scc = results[("gcp.scc.findings_remediated", _id("scc", GOOD, ""))]
    assert good_scc.evidence["counts"] == {"HIGH": 1, "MEDIUM": 1}  # the INACTIVE finding is filtered out
