"""The wire path: paging, batching, retries and failures, through the real SDK over HTTPS."""

from __future__ import annotations

import re

import pytest
from azure_estates import GRAPH, SQL_LIST, SUBS, small_estate
from azure_helpers import by_name, sweep

from trustsweep.model import Status


def outcome(s) -> dict:
    return {(r.check_id, r.resource_id): r.status for r in s.results}


def test_paging_graph_skiptoken_and_arm_nextlink(fake, azure_registry) -> None:
    s = sweep(fake, azure_registry, small_estate(), page_size=2)
    accounts = [r for r in s.resources if r.type == "azure.storage.account"]
    servers = [r for r in s.resources if r.type == "azure.sql.server"]
    assert len(accounts) == 7 and len(servers) == 5
    # 7 storage rows at 2 a page: 4 Graph pages; 1 page each for the other five queries
    assert fake.count(GRAPH) == 4 + 5
    # 5 servers at 2 a page (the session fake's arm_page_size): 3 GETs following nextLink
    assert fake.count(SQL_LIST) == 3
    assert s.stats["requests"] == fake.count() - 1  # all but the subscription listing, counted by units
    assert {r.status for r in s.results if r.check_id == "azure.storage.secure_transfer"} == {Status.PASS, Status.FAIL}


def test_graph_queries_are_batched_across_subscriptions(fake, azure_registry) -> None:
    s = sweep(fake, azure_registry, small_estate(subs=3, storage=3, servers=1), graph_batch=3)
    assert sorted(t.id for t in s.targets) == SUBS
    assert fake.count(GRAPH) == 6  # one query per table (resources in three) for all three subscriptions
    assert set(fake.graph_query_counts().values()) == {1}
    per_target = {
        sub: len([r for r in s.resources if r.target == sub and r.type == "azure.storage.account"]) for sub in SUBS
    }
    assert per_target == {sub: 3 for sub in SUBS}
    fake.reset()
    unbatched = sweep(fake, azure_registry, graph_batch=1)
    assert fake.count(GRAPH) == 18
    assert outcome(unbatched) == outcome(s)


@pytest.mark.parametrize(
    "faults",
    [["429"], ["429:1"], ["429q:1"], ["503"], ["timeout"], ["429", "503", "timeout"]],
    ids=["429-no-retry-after", "429-retry-after", "429-graph-quota", "503", "timeout", "mixed"],
)
@pytest.mark.parametrize("pattern", [GRAPH, SQL_LIST], ids=["graph-post", "arm-get"])
def test_transient_faults_are_retried(fake, azure_registry, faults, pattern) -> None:
    estate = small_estate(storage=3, servers=3)
    baseline = sweep(fake, azure_registry, estate)
    base_requests = fake.count()
    fake.reset()
    fake.inject(pattern, *faults)
    s = sweep(fake, azure_registry)
    assert not s.collection_errors, s.collection_errors
    assert outcome(s) == outcome(baseline)
    assert fake.count() == base_requests + len(faults)  # ours are the only retries (azure-core's are off)
    assert s.stats["requests"] == baseline.stats["requests"] + len(faults)


def test_unrecoverable_graph_failure_errors_its_checks_only(fake, azure_registry) -> None:
    fake.reset(small_estate(storage=2, servers=1))
    fake.inject(GRAPH, "503", persistent=True)
    s = sweep(fake, azure_registry)
    assert s.exit_code == 3
    graph_checks = {
        "azure.storage.secure_transfer",
        "azure.iam.owner_count",
        "azure.defender.plans_enabled",
        "azure.backup.vm_protected",
        "azure.network.nsg_flow_logs",
    }
    statuses = {r.check_id: r.status for r in s.results}
    for check_id in graph_checks:
        assert statuses[check_id] is Status.ERROR, check_id
    assert any(r.check_id == "azure.sql.min_tls" and r.status is Status.PASS for r in s.results)
    errors = [e for e in s.collection_errors if e.service.startswith("graph.")]
    assert errors and all("gave up after 4 attempts" in e.reason for e in errors)
    assert fake.count(GRAPH) == 6 * 4  # six queries, four attempts each


def test_forbidden_is_not_retried_and_is_an_error(fake, azure_registry) -> None:
    fake.reset(small_estate(storage=1, servers=1))
    fake.inject(SQL_LIST, "403", persistent=True)
    s = sweep(fake, azure_registry)
    assert fake.count(SQL_LIST) == 1
    [error] = [e for e in s.collection_errors if e.service == "arm.sql"]
    assert "HTTP 403" in error.reason
    assert {r.status for r in s.results if r.check_id.startswith("azure.sql.")} == {Status.ERROR}


def test_directory_failure_errors_identity_checks(fake, azure_registry) -> None:
    fake.reset(small_estate(storage=1, servers=1))
    fake.inject(r"GET /v1.0/users", "500", persistent=True)
    s = sweep(fake, azure_registry)
    results = by_name(s)
    assert results[("azure.iam.no_privileged_guests", "Sub 0")].status is Status.ERROR
    assert results[("azure.iam.owner_count", "Sub 0")].status is Status.FAIL  # one owner; Graph data is fine
    assert [r.status for r in s.results if r.check_id == "azure.entra.mfa_privileged"] == [Status.ERROR]


def test_targets_and_management_group(fake, azure_registry) -> None:
    estate = small_estate(subs=3, storage=1, servers=0)
    s = sweep(fake, azure_registry, estate, targets=[SUBS[1]])
    assert [t.id for t in s.targets] == [SUBS[1]] and {r.target for r in s.resources} == {SUBS[1]}
    assert s.targets[0].name == "Sub 1"
    s = sweep(fake, azure_registry, management_group="mg-a")
    assert sorted(t.id for t in s.targets) == SUBS[:2]


def test_unknown_subscription_is_an_error_not_a_pass(fake, azure_registry) -> None:
    s = sweep(
        fake, azure_registry, small_estate(storage=1, servers=0), targets=["bbbbbbbb-0000-4000-8000-000000000000"]
    )
    assert s.exit_code == 3
    assert s.results and {r.status for r in s.results} == {Status.ERROR}
    assert "SubscriptionNotFound" in s.collection_errors[0].reason


def test_region_filter(fake, azure_registry) -> None:
    e = small_estate(storage=0, servers=0)
    e.storage_account(SUBS[0], "inwest", location="westeurope")
    e.storage_account(SUBS[0], "ineast", location="eastus")
    s = sweep(fake, azure_registry, e, regions=["eastus"])
    assert [r.name for r in s.resources if r.type == "azure.storage.account"] == ["ineast"]


def test_collection_is_read_only(fake, azure_registry) -> None:
    sweep(fake, azure_registry, small_estate(subs=2, storage=2, servers=2))
    for line in fake.requests:
        assert line.startswith("GET ") or re.fullmatch(GRAPH, line, re.I), line


def test_process_pool_gives_the_same_results(fake, azure_registry) -> None:
    """Units are picklable and workers build their own clients; each batch is queried once in all."""
    from trustsweep.collect import make_executor
    from trustsweep.sweep import run_sweep

    threads = sweep(fake, azure_registry, small_estate(subs=2, storage=2, servers=1), graph_batch=2)
    fake.reset()
    registry, mapping = azure_registry
    with make_executor("processes", 2) as pool:
        procs = run_sweep(
            registry,
            mapping,
            providers=["azure"],
            executor=pool,
            provider_options={"azure": {"retry_base_seconds": 0.01, "graph_batch": 2}},
        )
    assert not procs.collection_errors
    assert outcome(procs) == outcome(threads)
    assert fake.count(GRAPH) == 6 and set(fake.graph_query_counts().values()) == {1}  # once per table per sweep


def test_graph_quota_is_respected(fake, azure_registry) -> None:
    """Under Resource Graph's per-user quota the sweep paces itself and completes."""
    estate = small_estate(subs=2, storage=2, servers=0)
    baseline = sweep(fake, azure_registry, estate, graph_batch=1)
    fake.reset()
    fake.graph_quota = (4, 1.0)  # 4 queries a second; the sweep makes 12
    s = sweep(fake, azure_registry, graph_batch=1, max_attempts=6)
    assert not s.collection_errors, s.collection_errors
    assert outcome(s) == outcome(baseline)
    assert fake.count(GRAPH) - fake.throttled == 12
    # only queries sent before the client saw the quota run out are refused, then everyone waits: at most
    # one per executor thread (6) in each window but the last (12 queries at 4 a window: 3 windows)
    assert fake.throttled <= 6 * 2, fake.throttled
