"""The property convention: each asset type's extractor turns Cloud Asset data (camelCase) into the
snake_case properties docs/gcp.md documents, on real exported records and on the estate builders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trustsweep_gcp import types as T
from trustsweep_gcp.collect.cloudasset import EXTRACTORS
from trustsweep_gcp.collect.iam import iam_policy
from trustsweep_gcp.collect.orgpolicy import org_policy
from trustsweep_gcp.emulator import cai_record, load_cai_file
from trustsweep_gcp.emulator import estate as E

ROOT = Path(__file__).resolve().parents[3]
CAI_EXPORT = ROOT / "tests" / "fixtures" / "gcp" / "cai-export"
DOCS = ROOT / "docs" / "gcp.md"


def _record(name: str, index: int = 0) -> dict:
    return cai_record(load_cai_file(CAI_EXPORT / f"{name}.json")[index])


def _extract(record: dict) -> dict:
    return EXTRACTORS[record["assetType"]](record["resource"]["data"])


def documented() -> set[str]:
    """Property names in the first column of the tables of "What each resource type holds"."""
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## What each resource type holds", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            names.update(re.findall(r"`([a-z_]+)`", line.split("|")[1]))
    return names


BUILT = [
    E.bucket("p", "b"),
    E.sql_instance("p", "db"),
    E.firewall("p", "fw"),
    E.subnetwork("p", "s"),
    E.ssl_policy("p", "pol"),
    E.https_proxy("p", "px", "pol"),
    E.crypto_key("p", "r", "k"),
    E.sa_key("p", "sa@p.iam.gserviceaccount.com", "k1", created=E.ago(3)),
    E.dataset("p", "d"),
    E.log_sink("p", "s", "storage.googleapis.com/b"),
    E.log_bucket("p", "lb"),
    E.gke_cluster("p", "c"),
]


def test_every_property_is_documented_and_every_documented_property_exists() -> None:
    produced = {"ancestors", "chain", "findings", "counts"}
    for record in BUILT:
        produced |= set(_extract(record))
    produced |= set(EXTRACTORS[T.PROJECT]({}))
    produced |= set(iam_policy({"bindings": [], "auditConfigs": []}))
    docs = documented()
    assert produced - docs == set(), "properties missing from docs/gcp.md"
    assert docs - produced == set(), "documented properties no collector produces"


@pytest.mark.parametrize("record", BUILT, ids=lambda r: r["assetType"].rsplit("/", 1)[-1])
def test_properties_are_snake_case_and_never_the_raw_record(record: dict) -> None:
    props = _extract(record)
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", key) for key in props), sorted(props)
    assert "data" not in props and "resource" not in props


def test_sql_instance_from_a_real_record() -> None:
    with_ssl, without = _extract(_record("sql_ssl", 0)), _extract(_record("sql_ssl", 1))
    assert with_ssl["require_ssl"] is True and with_ssl["database_version"] == "MYSQL_5_7"
    assert without["require_ssl"] in (False, None) and without["ssl_mode"] == ""


def test_firewall_protocols_and_ports_from_a_real_record() -> None:
    props = _extract(_record("restricted_firewall_rules"))
    assert props["allowed"] == [{"protocol": "tcp", "ports": []}]
    assert props["direction"] == "INGRESS" and props["logging"] is False and "0.0.0.0/0" in props["source_ranges"]


def test_audit_configs_name_the_log_types_exported_as_numbers() -> None:
    policy = iam_policy(_record("iam_audit_log")["iamPolicy"])
    assert policy["audit_configs"][0] == {
        "service": "cloudasset.googleapis.com",
        "log_types": ["DATA_WRITE", "DATA_READ"],
        "exempted_members": ["user:user1@org.com"],
    }
    assert iam_policy({"auditConfigs": [{"service": "allServices", "auditLogConfigs": [{"logType": "ADMIN_READ"}]}]})[
        "audit_configs"
    ][0]["log_types"] == ["ADMIN_READ"]


def test_bucket_retention_key_and_access() -> None:
    props = _extract(
        E.bucket(
            "p",
            "b",
            retentionPolicy={"retentionPeriod": "34560000", "isLocked": True},
            encryption={"defaultKmsKeyName": "projects/p/keyRings/r/cryptoKeys/k"},
            iamConfiguration={"uniformBucketLevelAccess": {"enabled": False}, "bucketPolicyOnly": {"enabled": True}},
        )
    )
    assert props["retention_days"] == 400 and props["locked"] is True
    assert props["cmk"] == "projects/p/keyRings/r/cryptoKeys/k" and props["uniform_access"] is False
    assert _extract(
        E.bucket(
            "p", "legacy", iamConfiguration={"uniformBucketLevelAccess": None, "bucketPolicyOnly": {"enabled": True}}
        )
    )["uniform_access"]


def test_dataset_access_members_are_written_as_iam_members() -> None:
    props = _extract(
        E.dataset(
            "p",
            "d",
            access=[
                {"role": "READER", "specialGroup": "allAuthenticatedUsers"},
                {"role": "WRITER", "userByEmail": "a@corp.example"},
                {"role": "READER", "iamMember": "allUsers"},
            ],
        )
    )
    assert [a["member"] for a in props["access"]] == ["allAuthenticatedUsers", "user:a@corp.example", "allUsers"]


def test_key_rotation_and_sa_key_times() -> None:
    key = _extract(E.crypto_key("p", "r", "k", rotationPeriod="7776000s"))
    assert key["rotation_days"] == 90 and key["purpose"] == "ENCRYPT_DECRYPT"
    assert _extract(E.crypto_key("p", "r", "n", rotationPeriod=None))["rotation_days"] is None
    sa = _extract(E.sa_key("p", "etl@p.iam.gserviceaccount.com", "k1", created="2024-01-02T03:04:05Z"))
    assert sa["service_account"] == "etl@p.iam.gserviceaccount.com" and sa["created"] == "2024-01-02T03:04:05+00:00"


def test_org_policies_become_snake_case() -> None:
    assert org_policy(
        {
            "constraint": "constraints/iam.allowedPolicyMemberDomains",
            "listPolicy": {"allowedValues": ["C0"], "inheritFromParent": True},
        }
    ) == {
        "constraint": "constraints/iam.allowedPolicyMemberDomains",
        "list_policy": {"all_values": "", "allowed_values": ["C0"], "denied_values": [], "inherit_from_parent": True},
    }
    assert org_policy({"constraint": "c", "booleanPolicy": {"enforced": True}}) == {"constraint": "c", "enforced": True}
    assert org_policy({"constraint": "c", "restoreDefault": {}}) == {"constraint": "c", "restore_default": True}
