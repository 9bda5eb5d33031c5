"""The org-policy unit as a shared unit: the policies of an organization (and its folders) are read
once per sweep for all the projects under it (counted at the fake), with or without a scope; a
failed read errors the projects it concerns only; nothing is kept in module globals."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from trustsweep.model import Status, Target
from trustsweep.testing.module_state import grown, held
from trustsweep_gcp import types as T
from trustsweep_gcp.emulator import FakeGcp
from trustsweep_gcp.emulator import estate as E
from trustsweep_gcp.provider import GcpProvider

ORGS = ("organizations/71", "organizations/72")
CHECK = "gcp.orgpolicy.domain_restricted_sharing"


def _seed(fake: FakeGcp) -> None:
    """Two organizations: the first enforces domain-restricted sharing (on its folder's projects
    too), the second does not; two projects under each (one in a folder of the first)."""
    fake.add_node(ORGS[0], [], org_policy=[E.domain_policy()])
    fake.add_node("folders/710", [ORGS[0]])
    fake.add_node(ORGS[1], [])
    fake.add_project("a-1", "7101", ancestors=[ORGS[0]])
    fake.add_project("a-2", "7102", ancestors=["folders/710", ORGS[0]])
    fake.add_project("b-1", "7201", ancestors=[ORGS[1]])
    fake.add_project("b-2", "7202", ancestors=[ORGS[1]])


def _node_reads(fake: FakeGcp) -> dict[str, int]:
    """ORG_POLICY reads of organizations and folders, by the node read."""
    found: dict[str, int] = {}
    for line in fake.state.log:
        parts = urlsplit(line)
        query = parse_qs(parts.query)
        if query.get("contentType") == ["4"] and T.ORGANIZATION in query.get("assetTypes", []):
            node = parts.path.split("/v1/", 1)[-1].rsplit("/assets", 1)[0]
            found[node] = found.get(node, 0) + 1
    return found


def _verdicts(s) -> dict[str, Status]:
    return {r.target: r.status for r in s.results if r.check_id == CHECK}


def test_the_plan_shares_one_unit_per_top_ancestor() -> None:
    provider = GcpProvider({"endpoint": "http://127.0.0.1:1"})
    targets = [
        Target("gcp", "a-1", attrs={"ancestors": ["projects/7101", ORGS[0]]}),
        Target("gcp", "a-2", attrs={"ancestors": ["projects/7102", "folders/710", ORGS[0]]}),
        Target("gcp", "b-1", attrs={"ancestors": ["projects/7201", ORGS[1]]}),
        Target("gcp", "lone"),
    ]
    assert [u.service for u in provider.work(targets[0], [])] == ["cloudasset", "securitycenter"]
    shared = provider.shared_work(targets, [])
    assert [(u.service, [m.id for m in u.members]) for u in shared] == [
        ("orgpolicy", ["lone"]),  # ancestry unknown until read
        ("orgpolicy", ["a-1", "a-2"]),
        ("orgpolicy", ["b-1"]),
    ]


def test_each_organizations_policies_are_read_once_per_sweep(gcp_fake: FakeGcp, run_gcp) -> None:
    _seed(gcp_fake)
    for scope in ORGS:
        gcp_fake.state.log.clear()
        s = run_gcp(scope=scope)
        assert _node_reads(gcp_fake) == {scope: 1}
    gcp_fake.state.log.clear()
    s = run_gcp(targets=["a-1", "a-2", "b-1", "b-2"])  # no scope: ancestry read per project, policies per org
    assert _node_reads(gcp_fake) == {ORGS[0]: 1, ORGS[1]: 1}
    assert _verdicts(s) == {"a-1": Status.PASS, "a-2": Status.PASS, "b-1": Status.FAIL, "b-2": Status.FAIL}
    [in_folder] = [r for r in s.results if r.check_id == CHECK and r.target == "a-2"]
    assert ORGS[0] in in_folder.reason  # inherited through folders/710


def test_a_process_pool_reads_each_organization_once(gcp_fake: FakeGcp, gcp_registry) -> None:
    """Before shared units every worker process read the policies of the organizations it touched."""
    from ..conftest import sweep_in_processes

    _seed(gcp_fake)
    s = sweep_in_processes(gcp_fake, gcp_registry, targets=["a-1", "a-2", "b-1", "b-2"])
    assert _node_reads(gcp_fake) == {ORGS[0]: 1, ORGS[1]: 1}
    assert _verdicts(s) == {"a-1": Status.PASS, "a-2": Status.PASS, "b-1": Status.FAIL, "b-2": Status.FAIL}


def test_a_failed_organization_read_errors_its_projects_only(gcp_fake: FakeGcp, run_gcp) -> None:
    _seed(gcp_fake)
    gcp_fake.fail("/v1/organizations/72/assets", 403, times=None)
    s = run_gcp(targets=["a-1", "a-2", "b-1", "b-2"])
    assert _verdicts(s) == {"a-1": Status.PASS, "a-2": Status.PASS, "b-1": Status.ERROR, "b-2": Status.ERROR}
    assert sorted(e.target for e in s.collection_errors) == ["b-1", "b-2"]
    assert all(e.service == "orgpolicy" for e in s.collection_errors)


def test_a_failed_project_read_errors_that_project_only(gcp_fake: FakeGcp, run_gcp) -> None:
    _seed(gcp_fake)
    gcp_fake.fail("/v1/projects/a-1/assets", 403, times=None)
    s = run_gcp(scope=ORGS[0])
    assert _verdicts(s) == {"a-1": Status.ERROR, "a-2": Status.PASS}
    assert {e.target for e in s.collection_errors} == {"a-1"}


def test_nothing_stays_in_module_globals_after_a_sweep(gcp_fake: FakeGcp, run_gcp) -> None:
    _seed(gcp_fake)
    run_gcp(scope=ORGS[0])  # imports every collector module
    before = held("trustsweep_gcp")
    assert before
    for scope in ORGS:
        assert not run_gcp(scope=scope).collection_errors
        assert not grown(before, held("trustsweep_gcp"))
