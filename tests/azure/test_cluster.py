"""The Azure demo estate on a real Dask cluster (``dask scheduler`` + two ``dask worker`` processes):
the same per-check counts as threads, and the fake sees each Resource Graph batch query and the
tenant's directory read once, though the batch's subscriptions are evaluated on either worker."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from azure_helpers import FAST, sweep

from trustsweep.collect import make_executor
from trustsweep.sweep import Sweep, run_sweep
from trustsweep.testing.dask_cluster import Cluster
from trustsweep.testing.module_state import grown, held
from trustsweep_azure.emulator import FakeAzure, demo_estate
from trustsweep_azure.provider import GRAPH_SERVICES


@pytest.fixture(scope="module")
def cluster(azure_fake: FakeAzure, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A scheduler and workers ``a`` and ``b``, pointed at the session's fake Azure."""
    c = Cluster(tmp_path_factory.mktemp("azure-cluster"), env=azure_fake.env(), allowed_failures=1)
    try:
        for name in ("a", "b"):
            c.add_worker(name)
        c.wait_for(2)
        yield c
    finally:
        c.close()


def per_check(s: Sweep) -> Counter[tuple[str, str]]:
    return Counter((r.check_id, r.status.value) for r in s.results)


def test_the_demo_estate_on_two_workers_matches_threads(fake: FakeAzure, azure_registry, cluster: Cluster) -> None:
    threads = sweep(fake, azure_registry, demo_estate(), graph_batch=2)
    assert not threads.collection_errors
    fake.reset()
    dask = sweep_on(cluster, azure_registry)
    assert not dask.collection_errors, dask.collection_errors
    assert per_check(dask) == per_check(threads)
    assert {"pass", "fail"} <= {status for _, status in per_check(dask)}
    counts = fake.graph_query_counts()
    assert len(counts) == len(GRAPH_SERVICES) and set(counts.values()) == {1}, counts  # one batch of both
    assert fake.count(r"GET /v1.0/users") == 1  # one tenant, read once
    assert Counter(r.target for r in dask.resources if r.type == "azure.entra.directory") == {
        t.id: 1 for t in dask.targets
    }
    assert dask.stats["requests"] == threads.stats["requests"]


def held_on_workers(cluster: Cluster) -> dict[str, dict[tuple[str, str], int]]:
    """Per worker: what the Azure plugin holds in module globals (:mod:`trustsweep.testing.module_state`)."""
    from distributed import Client

    with Client(cluster.address, timeout=60) as client:
        return client.run(held, "trustsweep_azure")


def sweep_on(cluster: Cluster, registry_mapping) -> Sweep:
    registry, mapping = registry_mapping
    with make_executor(cluster.address) as pool:
        return run_sweep(
            registry,
            mapping,
            providers=["azure"],
            executor=pool,
            provider_options={"azure": {**FAST, "graph_batch": 2}},
        )


def test_workers_keep_nothing_between_sweeps(fake: FakeAzure, azure_registry, cluster: Cluster) -> None:
    """A second sweep on the same workers queries Resource Graph again and leaves nothing more in
    the plugin's module globals (before, each worker kept every batch's rows and directory)."""
    fake.reset(demo_estate())
    snapshots = []
    for _ in range(2):
        fake.reset()
        s = sweep_on(cluster, azure_registry)
        assert not s.collection_errors
        assert set(fake.graph_query_counts().values()) == {1} and len(fake.graph_query_counts()) == len(GRAPH_SERVICES)
        snapshots.append(held_on_workers(cluster))
    first, second = snapshots
    assert len(first) == 2 and all(first.values())  # both workers ran the plugin
    for worker, before in first.items():
        assert not grown(before, second[worker]), worker
