"""One failure, one resource: a permission error on one project of a scope errors that project's
results only; the other projects get real verdicts."""

from __future__ import annotations

from trustsweep.model import Status
from trustsweep_gcp.emulator import FakeGcp
from trustsweep_gcp.emulator import estate as E

ORG = "organizations/7310"


def test_permission_error_on_one_project_errors_that_project_only(gcp_fake: FakeGcp, run_gcp) -> None:
    gcp_fake.add_node(ORG, [])
    for pid, number in (("p-a", "731"), ("p-b", "732"), ("p-c", "733")):
        gcp_fake.add_project(pid, number, ancestors=[ORG])
        gcp_fake.add_asset(E.bucket(pid, f"{pid}-data", number=number), pid)
    gcp_fake.fail("projects/p-b/", 403, times=None)
    s = run_gcp(scope=ORG)
    by_target: dict[str, set[Status]] = {}
    for result in s.results:
        by_target.setdefault(result.target, set()).add(result.status)
    assert by_target["p-b"] == {Status.ERROR}
    for pid in ("p-a", "p-c"):
        assert Status.ERROR not in by_target[pid] and by_target[pid] & {Status.PASS, Status.FAIL}, pid
    assert {e.target for e in s.collection_errors} == {"p-b"}
    assert all(
        "403" in e.reason or "PermissionDenied" in e.reason or "Forbidden" in e.reason for e in s.collection_errors
    )
    assert s.exit_code == 3
