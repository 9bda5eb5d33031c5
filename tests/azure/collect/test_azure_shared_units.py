"""Resource Graph batches and the Entra directory as shared units: each query runs once per sweep
(counted at the fake), each row lands in its own subscription's inventory, a failure errors every
member and no other subscription, and nothing is kept in module globals between sweeps."""

from __future__ import annotations

from collections import Counter

from azure_estates import GRAPH, SUBS, small_estate
from azure_helpers import sweep

from trustsweep.model import Status, Target
from trustsweep.testing.module_state import grown, held
from trustsweep_azure.provider import ARM_SERVICES, GRAPH_SERVICES, AzureProvider

GRAPH_CHECKS = ("azure.storage.secure_transfer", "azure.iam.owner_count", "azure.defender.plans_enabled")


def per_target(s, type_: str) -> Counter[str]:
    return Counter(r.target for r in s.resources if r.type == type_)


def test_the_plan_shares_graph_tables_per_batch_and_the_directory_per_tenant() -> None:
    provider = AzureProvider({"graph_batch": 2})
    targets = [Target("azure", sub, attrs={"tenant_id": "t-a" if i < 2 else "t-b"}) for i, sub in enumerate(SUBS)]
    assert [u.service for u in provider.work(targets[0], [])] == list(ARM_SERVICES)
    shared = provider.shared_work(targets, ["WestEurope"])
    graph = [u for u in shared if u.service.startswith("graph.")]
    assert [(u.service, [m.id for m in u.members]) for u in graph] == [
        (service, batch) for batch in (SUBS[:2], SUBS[2:]) for service in GRAPH_SERVICES
    ]
    entra = [(u.options["tenant"], [m.id for m in u.members]) for u in shared if u.service == "entra"]
    assert entra == [("t-a", SUBS[:2]), ("t-b", SUBS[2:])]
    assert len(shared) == len(graph) + len(entra)
    assert {u.region for u in shared} == {"global"} and all(u.options["regions"] == ["westeurope"] for u in shared)


def test_each_batch_query_runs_once_per_sweep_and_table(fake, azure_registry) -> None:
    estate = small_estate(subs=3, storage=3, servers=1)
    baseline = sweep(fake, azure_registry, estate, graph_batch=1)
    for _ in range(2):  # a second sweep queries again: nothing is kept from the first
        fake.reset()
        s = sweep(fake, azure_registry, graph_batch=2, page_size=2)
        counts = fake.graph_query_counts()
        assert set(counts.values()) == {1}, counts  # every (query, batch) once
        assert sorted({scope for _, scope in counts}) == [tuple(SUBS[:2]), (SUBS[2],)]
        assert len(counts) == 2 * len(GRAPH_SERVICES)
        assert fake.count(GRAPH) > len(counts)  # $skipToken pages: 6 storage rows at 2 a page in the first batch
        assert per_target(s, "azure.storage.account") == {sub: 3 for sub in SUBS}
        assert per_target(s, "azure.authorization.subscription_access") == {sub: 1 for sub in SUBS}
        assert per_target(s, "azure.defender.plans") == {sub: 1 for sub in SUBS}
        assert per_target(s, "azure.backup.protected_items") == {sub: 1 for sub in SUBS}
        assert Counter((r.check_id, r.target, r.status) for r in s.results) == Counter(
            (r.check_id, r.target, r.status) for r in baseline.results
        )
        assert s.stats["requests"] == fake.count() - fake.count(r"GET /subscriptions$")  # all but the listing


def test_a_failed_batch_errors_every_members_graph_checks(fake, azure_registry) -> None:
    fake.reset(small_estate(subs=2, storage=2, servers=1))
    fake.inject(GRAPH, "503", persistent=True)
    s = sweep(fake, azure_registry, graph_batch=2)
    assert s.exit_code == 3
    assert fake.count(GRAPH) == len(GRAPH_SERVICES) * 4  # one query per table for both, four attempts each
    failed = [e for e in s.collection_errors if e.service.startswith("graph.")]
    assert {(e.service, e.target) for e in failed} == {(g, sub) for g in GRAPH_SERVICES for sub in SUBS[:2]}
    assert all("gave up after 4 attempts" in e.reason for e in failed)
    for sub in SUBS[:2]:
        statuses = {r.check_id: r.status for r in s.results if r.target == sub}
        assert all(statuses[c] is Status.ERROR for c in GRAPH_CHECKS), statuses
        assert statuses["azure.sql.min_tls"] is Status.PASS  # Resource Manager units are the subscription's own


def test_a_failed_query_errors_its_batch_only(fake, azure_registry) -> None:
    estate = small_estate(subs=3, storage=2, servers=0)
    baseline = sweep(fake, azure_registry, estate, graph_batch=2)
    fake.reset()
    fake.inject(GRAPH, "403")  # the first query to arrive fails for good (403 is not retried)
    s = sweep(fake, azure_registry, graph_batch=2)
    [service] = {e.service for e in s.collection_errors}
    failed = sorted(e.target for e in s.collection_errors)
    assert failed in (SUBS[:2], SUBS[2:]), failed  # every member of one batch, no one else
    _, types = GRAPH_SERVICES[service]
    on_types = {c.id for c in azure_registry[0].checks_for("azure") if set(c.resource_types) & set(types)}
    assert on_types
    for r in s.results:
        if r.target in failed and r.check_id in on_types:
            assert r.status is Status.ERROR, r
    others = [sub for sub in SUBS if sub not in failed]

    def of_others(sw):
        return Counter((r.check_id, r.target, r.status) for r in sw.results if r.target in others)

    assert of_others(s) == of_others(baseline)
    assert fake.count(GRAPH) == 2 * len(GRAPH_SERVICES)  # each query once: the refused one is not retried
    assert set(fake.graph_query_counts().values()) == {1}


def test_the_directory_is_read_once_per_tenant(fake, azure_registry) -> None:
    estate = small_estate(subs=3, storage=1, servers=0)
    estate.subscriptions[SUBS[2]]["tenantId"] = "tenant-b"
    fake.reset(estate)
    s = sweep(fake, azure_registry, graph_batch=3)
    assert fake.count(r"GET /v1.0/users") == 2 and fake.count(r"GET /v1.0/identity/conditionalAccess") == 2
    directories = {r.target: r.id.rsplit("/", 1)[-1] for r in s.resources if r.type == "azure.entra.directory"}
    assert directories == {SUBS[0]: estate.tenant_id, SUBS[1]: estate.tenant_id, SUBS[2]: "tenant-b"}
    assert len(per_target(s, "azure.entra.directory")) == 3 and set(
        per_target(s, "azure.entra.directory").values()
    ) == {1}


def test_a_failed_directory_read_errors_every_subscription_of_the_tenant(fake, azure_registry) -> None:
    fake.reset(small_estate(subs=2, storage=1, servers=0))
    fake.inject(r"GET /v1.0/users", "500", persistent=True)
    s = sweep(fake, azure_registry, max_attempts=2)
    assert fake.count(r"GET /v1.0/users") == 2  # one read for the tenant, two attempts
    assert sorted(e.target for e in s.collection_errors if e.service == "entra") == SUBS[:2]
    for sub in SUBS[:2]:
        statuses = {r.check_id: r.status for r in s.results if r.target == sub}
        assert statuses["azure.iam.no_privileged_guests"] is Status.ERROR
        assert statuses["azure.iam.owner_count"] is Status.FAIL  # one owner; the Graph batch is fine


def test_nothing_stays_in_module_globals_after_a_sweep(fake, azure_registry) -> None:
    estate = small_estate(subs=3, storage=2, servers=1)
    sweep(fake, azure_registry, estate, graph_batch=2)  # imports every collector module
    before = held("trustsweep_azure")
    assert before  # the plugin's modules are there to look at
    for _ in range(2):
        fake.reset()
        s = sweep(fake, azure_registry, graph_batch=2)
        assert not s.collection_errors
        assert not grown(before, held("trustsweep_azure"))
