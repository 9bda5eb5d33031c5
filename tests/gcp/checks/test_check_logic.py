"""Edge cases of the checks' logic on hand-built resources (the checks are pure functions)."""

from __future__ import annotations

import datetime as dt

import pytest

from trustsweep.model import Status
from trustsweep.testing.checks import resource, run_check
from trustsweep_gcp import types as T
from trustsweep_gcp.collect.orgpolicy import org_policy

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
DOMAIN = "constraints/iam.allowedPolicyMemberDomains"


def _chain(*nodes: tuple[str, list[dict]]) -> dict:
    """An org-policy chain from v1 policies as CAI returns them (camelCase), converted by the collector."""
    return {"chain": [{"node": n, "policies": [org_policy(p) for p in ps]} for n, ps in nodes]}


RESTRICT = {"constraint": DOMAIN, "listPolicy": {"allowedValues": ["C0abc"]}}
OPEN = {"constraint": DOMAIN, "listPolicy": {"allValues": "ALLOW"}}
RESTORE = {"constraint": DOMAIN, "restoreDefault": {}}
MERGE = {"constraint": DOMAIN, "listPolicy": {"allowedValues": ["C0def"], "inheritFromParent": True}}


@pytest.mark.parametrize(
    ("nodes", "expected"),
    [
        ([("organizations/1", [RESTRICT]), ("projects/2", [])], Status.PASS),
        ([("organizations/1", [RESTRICT]), ("folders/3", [RESTORE]), ("projects/2", [])], Status.FAIL),
        ([("organizations/1", [RESTRICT]), ("projects/2", [OPEN])], Status.FAIL),
        ([("organizations/1", [OPEN]), ("projects/2", [RESTRICT])], Status.PASS),
        ([("organizations/1", [OPEN]), ("projects/2", [MERGE])], Status.FAIL),
        ([("organizations/1", []), ("projects/2", [MERGE])], Status.PASS),
        (
            [
                (
                    "organizations/1",
                    [{"constraint": "constraints/compute.vmExternalIpAccess", "listPolicy": {"allValues": "DENY"}}],
                )
            ],
            Status.FAIL,
        ),
    ],
)
def test_domain_restriction_follows_inheritance(nodes, expected) -> None:
    assert run_check("gcp.orgpolicy.domain_restricted_sharing", _chain(*nodes)).status is expected


@pytest.mark.parametrize(
    ("allowed", "expected"),
    [
        ([{"protocol": "tcp", "ports": ["21-23"]}], Status.FAIL),
        ([{"protocol": "tcp", "ports": ["23-3388"]}], Status.PASS),
        ([{"protocol": "udp", "ports": []}], Status.FAIL),
        ([{"protocol": "icmp", "ports": []}], Status.PASS),
        ([{"protocol": "tcp", "ports": ["80", "443", "3389"]}], Status.FAIL),
    ],
)
def test_firewall_port_ranges(allowed, expected) -> None:
    rule = {"direction": "INGRESS", "source_ranges": ["0.0.0.0/0"], "allowed": allowed}
    assert run_check("gcp.network.firewall_no_open_admin_ports", rule).status is expected


def test_finding_windows_are_configurable() -> None:
    findings = {"findings": [{"severity": "HIGH", "category": "X", "resource": "r", "created": "2026-05-10T00:00:00Z"}]}
    assert run_check("gcp.scc.findings_remediated", findings, now=NOW).status is Status.PASS  # 22 days < 30
    assert run_check("gcp.scc.findings_remediated", findings, now=NOW, high_days=14).status is Status.FAIL


def test_service_agents_are_not_service_account_admins() -> None:
    bindings = [
        {"role": "roles/editor", "members": ["serviceAccount:123@cloudservices.gserviceaccount.com"]},
        {
            "role": "roles/compute.serviceAgent",
            "members": ["serviceAccount:service-1@compute-system.iam.gserviceaccount.com"],
        },
        {
            "role": "roles/container.admin",
            "members": ["serviceAccount:service-1@gcp-sa-gkehub.iam.gserviceaccount.com"],
        },
    ]
    assert run_check("gcp.iam.sa_no_admin_roles", {"iam_bindings": bindings}).status is Status.PASS
    bindings.append({"role": "roles/editor", "members": ["serviceAccount:1-compute@developer.gserviceaccount.com"]})
    assert run_check("gcp.iam.sa_no_admin_roles", {"iam_bindings": bindings}).status is Status.FAIL


def test_production_follows_the_shared_production_settings() -> None:
    zonal = {"availability_type": "ZONAL", "labels": {"tier": "gold"}}
    assert run_check("gcp.sql.regional_production", zonal).status is Status.NOT_APPLICABLE
    assert (
        run_check(
            "gcp.sql.regional_production", zonal, production_tag_keys=["tier"], production_tag_values=["Gold"]
        ).status
        is Status.FAIL
    )
    with pytest.raises(ValueError, match="production_label"):
        run_check("gcp.sql.regional_production", zonal, production_label="tier")  # the old name is refused


def test_an_asset_without_resource_content_errors_the_checks_that_need_it() -> None:
    """A bucket read only through its IAM policy: IAM checks judge it, configuration checks say why they cannot."""
    props = {
        "iam_bindings": [{"role": "roles/storage.objectViewer", "members": ["allUsers"]}],
        "unread": {"resource": "no RESOURCE content"},
    }
    bucket = resource("gcp.storage.uniform_access", props, type=T.BUCKET)
    assert run_check("gcp.iam.no_public_access", bucket).status is Status.FAIL
    for check in (
        "gcp.storage.uniform_access",
        "gcp.storage.public_access_prevention",
        "gcp.encryption.cmek",
        "gcp.logging.retention_locked",
    ):
        result = run_check(check, bucket)
        assert result.status is Status.ERROR and "no RESOURCE content" in result.reason, check


def test_sink_to_a_bucket_known_only_by_its_policy_cannot_show_retention() -> None:
    sink = resource(
        "gcp.logging.retention_locked",
        {"destination": "storage.googleapis.com/b", "filter": "", "disabled": False},
        type=T.LOG_SINK,
        name="all",
    )
    bucket = resource(
        "gcp.logging.retention_locked", {"unread": {"resource": "no RESOURCE content"}}, type=T.BUCKET, name="b"
    )
    result = run_check("gcp.logging.sink_retention", {}, others=[sink, bucket])
    assert result.status is Status.FAIL and "not in this project's inventory" in result.reason
