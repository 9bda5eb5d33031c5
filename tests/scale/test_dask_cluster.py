"""A sweep on a real Dask cluster (``dask scheduler`` + ``dask worker`` subprocesses).

Same verdicts as threads; other versions on a worker refused; a killed worker loses nothing;
killing every worker never hangs; secrets never in task payloads; the sweep id in every key.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from scale_plugin import HERE, SECRET, digest, payloads, slow_registry, task_keys

from trustsweep.collect import make_executor
from trustsweep.errors import UserError
from trustsweep.evaluate import COLLECTION_UNIT_TYPE
from trustsweep.redact import redactor
from trustsweep.sweep import Sweep, run_sweep
from trustsweep.testing import saved_resources
from trustsweep.testing.dask_cluster import Cluster
from trustsweep.testing.synthetic import PROVIDER, synthetic_sweep


def per_check(sweep: Sweep) -> Counter[tuple[str, str]]:
    """Per check: how many pass / fail / error / … results."""
    return Counter((r.check_id, r.status.value) for r in sweep.results)


def on_threads(tmp: Path, **options: Any) -> Sweep:
    """The same sweep on the threads executor (the reference)."""
    (tmp / "threads").mkdir()
    return synthetic_sweep(tmp / "threads", resources_per_unit=12, targets=3, **options)


def sweep_on(
    address: str,
    tmp: Path,
    *,
    progress: Any = None,
    unit_timeout: float | None = None,
    save_inventory: Path | None = None,
    **options: Any,
) -> Sweep:
    registry = slow_registry(tmp)
    opts = {"resources_per_unit": 12, "targets": 3, **options}
    with make_executor(address) as pool:
        return run_sweep(
            registry,
            registry.mapping(),
            providers=[PROVIDER],
            provider_options={PROVIDER: opts},
            executor=pool,
            progress=progress,
            unit_timeout=unit_timeout,
            save_inventory=save_inventory,
        )


class OnUnit:
    """A Progress that calls ``action(n)`` after the n-th finished unit."""

    def __init__(self, action: Any) -> None:
        self.action, self.done = action, 0

    def planned(self, provider: str, units: int) -> None:
        pass

    def message(self, text: str) -> None:
        pass

    def unit_done(self, collected: Any) -> None:
        self.done += 1
        self.action(self.done)


def test_the_cluster_gives_the_same_counts_as_threads(cluster: Cluster, tmp_path: Path) -> None:
    threads = on_threads(tmp_path, fail_units=["acct-1/north-1"])
    dask = sweep_on(cluster.address, tmp_path, fail_units=["acct-1/north-1"])
    assert per_check(dask) == per_check(threads)
    assert {"pass", "fail", "error"} <= {s for _, s in per_check(dask)}
    assert [e.reason for e in dask.collection_errors] == [e.reason for e in threads.collection_errors]
    assert len(dask.resources) == len(threads.resources) == dask.stats["resources"] == 3 * 2 * 12 - 12


def test_a_worker_of_another_version_is_refused_with_one_line(cluster: Cluster, tmp_path: Path) -> None:
    shim = tmp_path / "shim"
    meta = shim / "trustsweep-0.0.1.dist-info"
    meta.mkdir(parents=True)
    (meta / "METADATA").write_text("Metadata-Version: 2.1\nName: trustsweep\nVersion: 0.0.1\n")
    cluster.add_worker("old", pythonpath=str(shim))
    try:
        cluster.wait_for(3)
        with pytest.raises(UserError, match=r"old.* has trustsweep 0\.0\.1"), make_executor(cluster.address):
            pass
        cli = subprocess.run(
            [
                str(Path(sys.executable).with_name("trustsweep")),
                "sweep",
                "--provider",
                "aws",
                "--executor",
                cluster.address,
                "--no-store",
                "--quiet",
                "--out",
                str(tmp_path / "o"),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert cli.returncode == 2, cli.stderr
        lines = cli.stderr.strip().splitlines()
        assert len(lines) == 1 and "trustsweep 0.0.1" in lines[0] and "docs/scale.md" in lines[0]
    finally:
        cluster.kill_worker("old")
    with make_executor(cluster.address):  # the remaining workers agree again
        pass


def test_a_worker_killed_mid_sweep_loses_nothing(own_cluster: Cluster, tmp_path: Path) -> None:
    threads = on_threads(tmp_path)
    killer = OnUnit(lambda n: own_cluster.kill_worker("a") if n == 1 else None)
    dask = in_time(lambda: sweep_on(own_cluster.address, tmp_path, progress=killer, delay=0.3, unit_timeout=10))
    assert "a" not in own_cluster.workers  # it was killed while units were in flight
    assert dask.collection_errors == []
    assert per_check(dask) == per_check(threads)


def in_time(run: Any, seconds: float = 90) -> Sweep:
    """``run()`` in a thread; a sweep still running after ``seconds`` fails the test (it hangs)."""
    out: list[Sweep] = []
    sweeping = threading.Thread(target=lambda: out.append(run()), daemon=True)
    sweeping.start()
    sweeping.join(timeout=seconds)
    assert not sweeping.is_alive(), "the sweep hangs"
    return out[0]


def test_a_unit_that_kills_every_worker_it_runs_on_becomes_an_error(own_cluster: Cluster, tmp_path: Path) -> None:
    dask = in_time(lambda: sweep_on(own_cluster.address, tmp_path, poison=["acct-2"], unit_timeout=10))
    lost = {(e.target, e.region): e.reason for e in dask.collection_errors}
    assert {("acct-2", "north-1"), ("acct-2", "south-1")} <= set(lost)
    # past the retry budget (1 here) a unit becomes an error naming why: the workers that died running it,
    # or the deadline; a unit that shared the dying worker may go the same way, none is lost
    assert all("KilledWorker" in why or "unit timeout" in why for why in lost.values())
    finished = {(r.target, r.region) for r in dask.resources}
    assert len(finished) + len(lost) == 6 and not finished & set(lost), lost
    assert dask.exit_code == 3
    on_units = [r.status.value for r in dask.results if r.resource_type == COLLECTION_UNIT_TYPE]
    assert on_units and set(on_units) == {"error"}


def test_killing_both_workers_ends_in_errors_not_a_hang(own_cluster: Cluster, tmp_path: Path) -> None:
    def kill_all(n: int) -> None:
        if n == 1:
            own_cluster.kill_worker("a")
            own_cluster.kill_worker("b")

    dask = in_time(
        lambda: sweep_on(own_cluster.address, tmp_path, progress=OnUnit(kill_all), delay=0.5, unit_timeout=3, targets=8)
    )
    assert dask.exit_code == 3
    lost = [e for e in dask.collection_errors]
    finished = {(r.target, r.region) for r in dask.resources}
    # a task is a target (its 2 units): 1 or 2 targets finished before the kill, the rest are errors
    assert len(lost) + len(finished) == 16 and len(lost) >= 12
    # units submitted after the kill wait for a worker until their deadline; one running on "a" and
    # moved to "b" before that died too has used its retry budget (Dask's KilledWorker)
    assert all("unit timeout" in e.reason or "KilledWorker" in e.reason for e in lost), [e.reason for e in lost]
    assert any("unit timeout" in e.reason for e in lost)
    on_units = [r.status.value for r in dask.results if r.resource_type == COLLECTION_UNIT_TYPE]
    assert on_units and set(on_units) == {"error"}


def test_secrets_stay_off_the_wire_and_workers_resolve_them(cluster: Cluster, tmp_path: Path) -> None:
    seen: list[list[bytes]] = []

    def snapshot(n: int) -> None:
        from distributed import Client

        with Client(cluster.address, timeout=30) as client:
            seen.append(client.run_on_scheduler(payloads, "trustsweep-synthetic-"))

    saved = tmp_path / "inventory"  # written by the workers (a path they share with the client here)
    dask = sweep_on(
        cluster.address, tmp_path, progress=OnUnit(snapshot), secret=SECRET, delay=0.2, save_inventory=saved
    )
    specs = [p for snap in seen for p in snap]
    assert specs and any(b"acct-" in p for p in specs)  # the units themselves were looked at
    assert not any(SECRET.encode() in p for p in specs)
    assert not any(redactor().salt in p for p in specs)  # nor this installation's redaction salt
    assert dask.collection_errors == []
    assert {r.properties.get("token_digest") for r in saved_resources(saved)} == {digest(SECRET)}
    assert all(not r.properties for r in dask.resources)  # the client got facts, never the raw inventory


def test_two_concurrent_sweeps_never_share_a_task_key(cluster: Cluster, tmp_path: Path) -> None:
    keys: list[str] = []
    sweeps: dict[str, Sweep] = {}

    def snapshot(n: int) -> None:
        from distributed import Client

        with Client(cluster.address, timeout=30) as client:
            keys.extend(client.run_on_scheduler(task_keys))

    def run(name: str) -> None:
        (tmp_path / name).mkdir()
        sweeps[name] = sweep_on(cluster.address, tmp_path / name, progress=OnUnit(snapshot), delay=0.2)

    threads = [threading.Thread(target=run, args=(n,)) for n in ("one", "two")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    one, two = sweeps["one"], sweeps["two"]
    assert one.id != two.id and per_check(one) == per_check(two)
    ours = {k for k in keys if k.startswith("trustsweep-")}
    assert ours and all(one.id in k or two.id in k for k in ours)
    assert {k for k in ours if one.id in k}.isdisjoint({k for k in ours if two.id in k})


def test_a_sweep_over_tls_to_the_scheduler(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "tls").mkdir()
    tls = Cluster(tmp_path / "tls", pythonpath=str(HERE), tls=True)
    try:
        tls.add_worker("a")
        tls.wait_for(1)
        assert tls.tls_files is not None and tls.address.startswith("tls://")
        with (
            pytest.raises(UserError, match="TLS to the Dask scheduler needs TRUSTSWEEP_DASK_TLS_CA"),
            make_executor(tls.address),
        ):
            pass  # no certificate: refused in one line
        ca, cert, key = tls.tls_files
        monkeypatch.setenv("TRUSTSWEEP_DASK_TLS_CA", str(ca))
        monkeypatch.setenv("TRUSTSWEEP_DASK_TLS_CERT", str(cert))
        monkeypatch.setenv("TRUSTSWEEP_DASK_TLS_KEY", str(key))
        assert per_check(sweep_on(tls.address, tmp_path)) == per_check(on_threads(tmp_path))
    finally:
        tls.close()
