"""Edge cases of the checks' logic on hand-built resources (the checks are pure functions)."""

from __future__ import annotations

import datetime as dt

import pytest

from trustsweep.model import Resource, Status
from trustsweep.provider import CheckContext, TargetInventory
from trustsweep.settings import resolve_all
from trustsweep_gcp import types as T
from trustsweep_gcp.checks import access, detection, network
from trustsweep_gcp.plugin import CHECKS

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)
DOMAIN = "constraints/iam.allowedPolicyMemberDomains"


def _ctx(*resources: Resource, config: dict | None = None, check_id: str = "gcp.x") -> CheckContext:
    settings, problems = resolve_all(CHECKS, config or {})
    assert not problems
    return CheckContext(inventory=TargetInventory("gcp", "p", resources), config=settings, now=NOW,
                        check_id=check_id)


def _chain(*nodes: tuple[str, list[dict]]) -> Resource:
    return Resource("gcp", "p", "global", T.ORG_POLICY, "//x/effectiveOrgPolicies",
                    properties={"chain": [{"node": n, "policies": p} for n, p in nodes]})


RESTRICT = {"constraint": DOMAIN, "listPolicy": {"allowedValues": ["C0abc"]}}
OPEN = {"constraint": DOMAIN, "listPolicy": {"allValues": "ALLOW"}}
RESTORE = {"constraint": DOMAIN, "restoreDefault": {}}
MERGE = {"constraint": DOMAIN, "listPolicy": {"allowedValues": ["C0def"], "inheritFromParent": True}}


@pytest.mark.parametrize(("nodes", "expected"), [
    ([("organizations/1", [RESTRICT]), ("projects/2", [])], Status.PASS),
    ([("organizations/1", [RESTRICT]), ("folders/3", [RESTORE]), ("projects/2", [])], Status.FAIL),
    ([("organizations/1", [RESTRICT]), ("projects/2", [OPEN])], Status.FAIL),
    ([("organizations/1", [OPEN]), ("projects/2", [RESTRICT])], Status.PASS),
    ([("organizations/1", [OPEN]), ("projects/2", [MERGE])], Status.FAIL),
    ([("organizations/1", []), ("projects/2", [MERGE])], Status.PASS),
    ([("organizations/1", [{"constraint": "constraints/compute.vmExternalIpAccess",
                             "listPolicy": {"allValues": "DENY"}}])], Status.FAIL),
])
def test_domain_restriction_follows_inheritance(nodes, expected) -> None:
    resource = _chain(*nodes)
    assert access.domain_restricted_sharing(resource, _ctx(resource)).status is expected


@pytest.mark.parametrize(("allowed", "expected"), [
    ([{"IPProtocol": "tcp", "ports": ["21-23"]}], Status.FAIL),
    ([{"IPProtocol": "tcp", "ports": ["23-3388"]}], Status.PASS),
    ([{"IPProtocol": "udp"}], Status.FAIL),
    ([{"IPProtocol": "icmp"}], Status.PASS),
    ([{"IPProtocol": "tcp", "ports": ["80", "443", "3389"]}], Status.FAIL),
])
def test_firewall_port_ranges(allowed, expected) -> None:
    fw = Resource("gcp", "p", "global", T.FIREWALL, "fw", properties={"data": {
        "direction": "INGRESS", "sourceRanges": ["0.0.0.0/0"], "allowed": allowed}})
    assert network.firewall_no_open_admin_ports(fw, _ctx(fw)).status is expected


def test_finding_windows_are_configurable() -> None:
    findings = Resource("gcp", "p", "global", T.SCC_FINDINGS, "f", properties={"findings": [
        {"severity": "HIGH", "category": "X", "resource": "r", "created": "2026-05-10T00:00:00Z"}]})
    assert detection.findings_age(findings, _ctx(findings, check_id="gcp.scc.findings_remediated")).status is Status.PASS  # 22 days < 30
    strict = _ctx(findings, config={"gcp.scc.findings_remediated": {"high_days": 14}},
                  check_id="gcp.scc.findings_remediated")
    assert detection.findings_age(findings, strict).status is Status.FAIL


def test_service_agents_are_not_service_account_admins() -> None:
    project = Resource("gcp", "p", "global", T.PROJECT, "proj", properties={"iam_policy": {"bindings": [
        {"role": "roles/editor", "members": ["serviceAccount:123@cloudservices.gserviceaccount.com"]},
        {"role": "roles/compute.serviceAgent", "members": ["serviceAccount:service-1@compute-system.iam.gserviceaccount.com"]},
        {"role": "roles/container.admin", "members": ["serviceAccount:service-1@gcp-sa-gkehub.iam.gserviceaccount.com"]},
    ]}})
    assert access.service_accounts_no_admin(project, _ctx(project)).status is Status.PASS
    project.properties["iam_policy"]["bindings"].append(
        {"role": "roles/editor", "members": ["serviceAccount:1-compute@developer.gserviceaccount.com"]})
    assert access.service_accounts_no_admin(project, _ctx(project)).status is Status.FAIL
