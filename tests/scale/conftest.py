"""Fixtures of the scale tests: a real Dask cluster (scheduler and two workers as subprocesses)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from scale_plugin import HERE, WORKER_ENV

from trustsweep.testing.dask_cluster import Cluster


def start(workdir: Path, names: tuple[str, ...] = ("a", "b")) -> Cluster:
    cluster = Cluster(workdir, pythonpath=str(HERE), allowed_failures=1)
    try:
        for name in names:
            cluster.add_worker(name, env=WORKER_ENV)
        cluster.wait_for(len(names))
    except BaseException:
        cluster.close()
        raise
    return cluster


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A scheduler and workers ``a`` and ``b`` shared by the tests that kill nothing."""
    c = start(tmp_path_factory.mktemp("cluster"))
    yield c
    c.close()


@pytest.fixture
def own_cluster(tmp_path: Path) -> Iterator[Cluster]:
    """A cluster of the test's own, for tests that kill its workers."""
    (tmp_path / "own").mkdir()
    c = start(tmp_path / "own")
    yield c
    c.close()
