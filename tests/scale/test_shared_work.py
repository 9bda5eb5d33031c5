"""Shared units: one unit collecting for several targets, run once per sweep, on threads and on a cluster.

The slow synthetic provider (``scale_plugin``) plans, with ``shared``, a 'directory' unit per pair of
targets that adds one resource under each member; ``shared_fail`` makes a pair's unit raise.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from scale_plugin import DIRECTORY, slow_registry

from trustsweep.collect import make_executor
from trustsweep.evaluate import COLLECTION_UNIT_TYPE
from trustsweep.sweep import Sweep, run_sweep
from trustsweep.testing.dask_cluster import Cluster
from trustsweep.testing.synthetic import PROVIDER

TARGETS = 3  # pairs (acct-0, acct-1) and (acct-2,)


def sweep(tmp: Path, executor: Any, **options: Any) -> Sweep:
    registry = slow_registry(tmp)
    opts = {"resources_per_unit": 4, "targets": TARGETS, "shared": True, "shared_log": str(tmp / "log"), **options}
    return run_sweep(
        registry, registry.mapping(), providers=[PROVIDER], provider_options={PROVIDER: opts}, executor=executor
    )


def on_threads(tmp: Path, **options: Any) -> Sweep:
    with ThreadPoolExecutor(4) as pool:
        return sweep(tmp, pool, **options)


def runs(tmp: Path) -> list[str]:
    return (tmp / "log").read_text(encoding="utf-8").splitlines()


def per_check(s: Sweep) -> Counter[tuple[str, str, str]]:
    return Counter((r.check_id, r.target, r.status.value) for r in s.results)


def test_each_member_gets_its_own_resources_and_the_unit_runs_once(tmp_path: Path) -> None:
    s = on_threads(tmp_path)
    assert sorted(runs(tmp_path)) == ["acct-0 acct-1", "acct-2"]  # once per sweep, not once per member
    directories = {r.target: r.id for r in s.resources if r.id.endswith(":directory")}
    assert directories == {f"acct-{i}": f"syn:acct-{i}:directory" for i in range(TARGETS)}
    judged = {(r.target, r.status.value) for r in s.results if r.resource_id.endswith(":directory")}
    assert judged == {(f"acct-{i}", "pass") for i in range(TARGETS)}
    assert s.stats["units"] == 2 * TARGETS + 2 and s.stats["requests"] == 2 * TARGETS + 2  # counted once each
    assert not s.collection_errors


def test_a_failed_shared_unit_is_an_error_for_every_member_and_no_other(tmp_path: Path) -> None:
    s = on_threads(tmp_path, shared_fail=["acct-1"])
    failed = sorted((e.target, e.service) for e in s.collection_errors)
    assert failed == [("acct-0", "directory"), ("acct-1", "directory")]
    errors = {r.target for r in s.results if r.resource_type == COLLECTION_UNIT_TYPE}
    assert errors == {"acct-0", "acct-1"} and s.exit_code == 3
    assert any(r.target == "acct-2" and r.id.endswith(":directory") for r in s.resources)


def test_a_cluster_runs_each_shared_unit_once_with_the_same_results(cluster: Cluster, tmp_path: Path) -> None:
    (tmp_path / "threads").mkdir()
    (tmp_path / "dask").mkdir()
    threads = on_threads(tmp_path / "threads", shared_fail=["acct-2"])
    with make_executor(cluster.address) as pool:
        dask = sweep(tmp_path / "dask", pool, shared_fail=["acct-2"])
    assert per_check(dask) == per_check(threads)
    assert sorted(runs(tmp_path / "dask")) == ["acct-0 acct-1", "acct-2"]  # each once, on some worker
    assert sorted((e.target, e.service) for e in dask.collection_errors) == [("acct-2", "directory")]
    assert dask.stats["requests"] == threads.stats["requests"]
    assert {r.type for r in dask.resources} >= {DIRECTORY} and all(not r.properties for r in dask.resources)
