"""Two Dask worker processes together stay within ONE shared request budget: each gets its share."""

from __future__ import annotations

from pathlib import Path

from budget_plugin import QUOTA, paced_registry

from trustsweep.budget import share_for
from trustsweep.collect import make_executor
from trustsweep.sweep import run_sweep
from trustsweep.testing.dask_cluster import Cluster
from trustsweep.testing.pacing import busiest
from trustsweep.testing.synthetic import PROVIDER


def test_two_workers_share_one_budget(cluster: Cluster, tmp_path: Path) -> None:
    stamps = tmp_path / "stamps"
    stamps.mkdir()
    registry = paced_registry(tmp_path)
    with make_executor(cluster.address) as pool:
        share = share_for(pool)
        assert share == 0.5  # two worker processes
        sweep = run_sweep(
            registry,
            registry.mapping(),
            providers=[PROVIDER],
            provider_options={
                PROVIDER: {
                    "targets": 4,
                    "resources_per_unit": 2,
                    "requests": 15,
                    "stamps": str(stamps),  # the engine gives each unit its share (no rate_share option)
                }
            },
            executor=pool,
        )
    assert not sweep.collection_errors
    files = list(stamps.iterdir())
    assert len(files) == 8  # 4 targets × 2 regions
    assert len({f.stem.rsplit("-", 1)[1] for f in files}) == 2  # both worker processes sent
    sent = [float(line) for f in files for line in f.read_text().split()]
    assert len(sent) == 120
    rate, burst = QUOTA.rate, QUOTA.burst
    for window in (0.5, 1.0, 2.0):
        # each worker alone at the full budget would reach about twice this
        assert busiest(sent, window) <= burst + rate * window + 2, window
