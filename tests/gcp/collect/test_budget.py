"""The consumer project's shared request budget over the wire: every HTTP attempt, 429 retries
included, is paced under its API's shared scope before it is sent."""

from __future__ import annotations

from collections import Counter

from trustsweep.budget import SHARED
from trustsweep.testing.pacing import recording
from trustsweep_gcp.emulator import FakeGcp
from trustsweep_gcp.emulator import estate as E

PROJECTS = (("budget-a", "911"), ("budget-b", "912"))


def test_every_attempt_is_paced_under_its_api_for_every_project(gcp_fake: FakeGcp, run_gcp) -> None:
    for project, number in PROJECTS:
        gcp_fake.add_project(project, number)
        gcp_fake.add_asset(E.bucket(project, f"{project}-data", number=number), project)
    fault = gcp_fake.fail("/assets", 429, times=2)
    with recording() as pacer:
        s = run_gcp(targets=[p for p, _ in PROJECTS])
    assert fault.hits == 2 and not s.collection_errors
    assert len(pacer.paced) == s.stats["requests"] == gcp_fake.request_count
    scopes = Counter((provider, kind, key) for provider, kind, key in pacer.paced)
    assert set(scopes) == {("gcp", SHARED, "cloudasset"), ("gcp", SHARED, "securitycenter")}  # not per project
    assert set(pacer.rates.values()) == {1.667}  # the default budget reached every unit
