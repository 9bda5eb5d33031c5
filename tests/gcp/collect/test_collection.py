"""Collection over the wire: paging, integer contentType, retries of 429/503/timeouts, error paths."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from trustsweep.errors import UserError
from trustsweep.model import Status
from trustsweep.testing import saved_resources
from trustsweep_gcp import types as T
from trustsweep_gcp.emulator import FakeGcp, seed_northwind
from trustsweep_gcp.emulator import estate as E

PROJECT, NUMBER = "paging-proj", "901"


def _queries(fake: FakeGcp, path_part: str = "/assets") -> list[dict[str, list[str]]]:
    return [parse_qs(urlsplit(line).query) for line in fake.state.log if path_part in urlsplit(line).path]


def _seed_buckets(fake: FakeGcp, count: int) -> None:
    fake.add_project(PROJECT, NUMBER, iam_policy=E.policy(("roles/viewer", ["group:all@corp.example"])))
    for i in range(count):
        fake.add_asset(E.bucket(PROJECT, f"bucket-{i:04d}", number=NUMBER), PROJECT)


def test_pages_follow_next_page_token_with_integer_content_type(gcp_fake: FakeGcp, run_gcp) -> None:
    _seed_buckets(gcp_fake, 2500)
    s = run_gcp(targets=[PROJECT])
    buckets = [r for r in s.resources if r.type == T.BUCKET]
    assert len(buckets) == 2500 and len({b.id for b in buckets}) == 2500
    resource_pages = [
        q
        for q in _queries(gcp_fake, f"/v1/projects/{PROJECT}/assets")
        if q["contentType"] == ["1"] and len(q["assetTypes"]) == len(T.ASSET_TYPES)
    ]
    assert len(resource_pages) == 3  # 2,501 assets at the maximum page size of 1,000
    assert all(q["pageSize"] == ["1000"] for q in resource_pages)
    assert "pageToken" not in resource_pages[0] and all("pageToken" in q for q in resource_pages[1:])
    assert {q["contentType"][0] for q in _queries(gcp_fake)} <= {"1", "2", "4"}  # integers, never names
    assert any(q["contentType"] == ["2"] for q in _queries(gcp_fake))
    assert s.stats["requests"] == gcp_fake.request_count  # every HTTP request is counted
    assert s.exit_code in (0, 1)


@pytest.mark.parametrize("status", [429, 503])
def test_throttling_and_unavailability_are_retried(gcp_fake: FakeGcp, run_gcp, status: int) -> None:
    _seed_buckets(gcp_fake, 1500)
    fault = gcp_fake.fail("pageToken=", status, times=2)  # the second page fails twice, then succeeds
    s = run_gcp(targets=[PROJECT])
    assert fault.hits == 2
    assert not s.collection_errors
    assert len([r for r in s.resources if r.type == T.BUCKET]) == 1500
    assert s.stats["requests"] == gcp_fake.request_count


def test_read_timeouts_are_retried(gcp_fake: FakeGcp, run_gcp, tmp_path: Path) -> None:
    _seed_buckets(gcp_fake, 3)
    fault = gcp_fake.delay("contentType=2", 1.5, times=1)
    s = run_gcp(targets=[PROJECT], read_timeout_seconds=0.5, inventory=tmp_path)
    assert fault.hits == 1
    assert not s.collection_errors
    project = next(r for r in saved_resources(tmp_path) if r.type == T.PROJECT)
    assert project.properties["iam_bindings"][0]["role"] == "roles/viewer"


def test_an_unretrievable_page_gives_error_results_never_passes(gcp_fake: FakeGcp, run_gcp) -> None:
    _seed_buckets(gcp_fake, 1200)
    gcp_fake.fail("pageToken=", 403, times=None)  # permission denied is not retried
    s = run_gcp(targets=[PROJECT])
    assert s.exit_code == 3
    [error] = [e for e in s.collection_errors if e.service == "cloudasset"]
    assert "403" in error.reason or "Forbidden" in error.reason or "PermissionDenied" in error.reason
    asset_results = [r for r in s.results if set(s.checks[r.check_id].resource_types) & set(T.ASSET_TYPES)]
    assert asset_results and all(r.status is Status.ERROR for r in asset_results)
    # the other units of the project still ran
    assert any(r.check_id == "gcp.scc.findings_remediated" and r.status is Status.PASS for r in s.results)


def test_retries_give_up_after_the_deadline(gcp_fake: FakeGcp, run_gcp) -> None:
    _seed_buckets(gcp_fake, 2)
    gcp_fake.fail("/findings", 503, times=None)
    s = run_gcp(targets=[PROJECT], retry_deadline=0.5)
    [error] = s.collection_errors
    assert error.service == "securitycenter" and error.resource_types == (T.SCC_FINDINGS,)
    scc = [r for r in s.results if r.check_id == "gcp.scc.findings_remediated"]
    assert [r.status for r in scc] == [Status.ERROR]
    assert gcp_fake.state.requests[f"/v1/projects/{PROJECT}/sources/-/findings"] > 2
    assert s.exit_code == 3


def test_findings_page_with_integer_enums(gcp_fake: FakeGcp, run_gcp, tmp_path: Path) -> None:
    _seed_buckets(gcp_fake, 1)
    for i in range(25):
        gcp_fake.add_finding(PROJECT, E.finding(PROJECT, f"f{i}", "HIGH" if i % 5 else "CRITICAL", "X", days_open=i))
    s = run_gcp(targets=[PROJECT], findings_page_size=10, inventory=tmp_path)
    queries = _queries(gcp_fake, "/findings")
    assert len(queries) == 3 and all(q["$alt"] == ["json;enum-encoding=int"] for q in queries)
    assert all(q["filter"] == ['state="ACTIVE"'] for q in queries)
    [scc] = [r for r in saved_resources(tmp_path) if r.type == T.SCC_FINDINGS]
    assert scc.properties["counts"] == {"HIGH": 20, "CRITICAL": 5}
    [result] = [r for r in s.results if r.check_id == "gcp.scc.findings_remediated"]
    # CRITICAL open 10, 15, 20 days are past 7; no HIGH is past 30
    assert result.status is Status.FAIL and len(result.evidence["overdue"]) == 3


def test_scope_discovers_active_projects_only(gcp_fake: FakeGcp, run_gcp) -> None:
    org, folder = "organizations/12", "folders/34"
    gcp_fake.add_node(org, [])
    gcp_fake.add_node(folder, [org])
    gcp_fake.add_project("in-folder", "1001", ancestors=[folder, org])
    gcp_fake.add_project("at-org", "1002", ancestors=[org])
    gcp_fake.add_project("being-deleted", "1003", ancestors=[folder, org], state="DELETE_REQUESTED")
    gcp_fake.add_project("elsewhere", "1004", ancestors=["organizations/99"])
    s = run_gcp(scope=org)
    assert sorted(t.id for t in s.targets) == ["at-org", "in-folder"]
    assert {t.attrs["ancestors"][0] for t in s.targets} == {"projects/1001", "projects/1002"}
    s = run_gcp(scope=folder)
    assert [t.id for t in s.targets] == ["in-folder"]
    # org policies above the projects are read once per sweep, not once per project
    assert (
        sum(
            1
            for q in _queries(gcp_fake)
            if q["contentType"] == ["4"] and "assetTypes" in q and T.ORGANIZATION in q["assetTypes"]
        )
        == 2
    )


def test_org_policy_chain_is_read_without_a_scope(gcp_fake: FakeGcp, run_gcp) -> None:
    gcp_fake.add_node("organizations/5", [], org_policy=[E.domain_policy()])
    gcp_fake.add_project("lone", "55", ancestors=["organizations/5"])
    s = run_gcp(targets=["lone"])
    [result] = [r for r in s.results if r.check_id == "gcp.orgpolicy.domain_restricted_sharing"]
    assert result.status is Status.PASS and "organizations/5" in result.reason


def test_bad_scope_is_a_user_error(gcp_fake: FakeGcp, run_gcp) -> None:
    with pytest.raises(UserError, match="organizations/NUMBER"):
        run_gcp(scope="orgs/12")


def test_no_target_and_no_scope_is_a_user_error(gcp_fake: FakeGcp, run_gcp) -> None:
    with pytest.raises(UserError, match="--gcp-scope"):
        run_gcp()


def _child_has_parent_clients(queue) -> None:
    from trustsweep_gcp import session

    queue.put(getattr(session._local, "clients", None) is not None)


def test_forked_workers_do_not_inherit_clients(gcp_fake: FakeGcp) -> None:
    """A process-pool worker forked after discovery must open its own connections."""
    import multiprocessing as mp

    from trustsweep_gcp.session import Connection, asset_client

    asset_client(Connection(endpoint=gcp_fake.endpoint))  # the parent holds a client (and a pooled socket)
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_child_has_parent_clients, args=(queue,))
    child.start()
    child.join(30)
    assert queue.get(timeout=5) is False


def test_sweep_with_process_pool(gcp_fake: FakeGcp, gcp_registry) -> None:
    from ..conftest import sweep_in_processes

    seed_northwind(gcp_fake)
    s = sweep_in_processes(gcp_fake, gcp_registry, scope="organizations/4471")
    assert not s.collection_errors
    assert len(s.targets) == 3 and s.exit_code == 1


def test_scope_with_targets_keeps_only_those(gcp_fake: FakeGcp, run_gcp) -> None:
    seed_northwind(gcp_fake)
    s = run_gcp(scope="organizations/4471", targets=["nw-sandbox"])
    assert [t.id for t in s.targets] == ["nw-sandbox"]
    with pytest.raises(UserError, match="not-there"):
        run_gcp(scope="organizations/4471", targets=["not-there"])
