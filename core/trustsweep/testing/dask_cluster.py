"""A real Dask cluster for tests and benchmarks: ``dask scheduler`` and ``dask worker`` subprocesses
on free ports.

Every process runs in its own session so a test can kill a worker (nanny included) like a lost
machine; :meth:`Cluster.close` kills whatever is left, always. ``pythonpath`` adds the modules the
workers must import (a test's own plugin); ``allowed_failures`` is Dask's retry budget for a task
whose workers die.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

DASK = str(Path(sys.executable).with_name("dask"))
#: Seconds a process gets to come up.
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """One scheduler; workers added and killed at will."""

    def __init__(self, workdir: Path, env: dict[str, str] | None = None, *, pythonpath: str = "",
                 allowed_failures: int = 3) -> None:
        self.workdir = workdir
        self.env = {**os.environ, "PYTHONPATH": pythonpath or os.environ.get("PYTHONPATH", ""),
                    "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": str(allowed_failures), **(env or {})}
        self.address = f"tcp://127.0.0.1:{free_port()}"
        self.procs: list[subprocess.Popen[bytes]] = []
        self.workers: dict[str, subprocess.Popen[bytes]] = {}
        self._spawn("scheduler", [DASK, "scheduler", "--host", "127.0.0.1", "--port", self.address.rsplit(":", 1)[1],
                                  "--no-dashboard"], self.env)

    def _spawn(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = open(self.workdir / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=self.workdir,
                                start_new_session=True)
        log.close()
        self.procs.append(proc)
        return proc

    def add_worker(self, name: str, env: dict[str, str] | None = None, pythonpath: str = "", nthreads: int = 1) -> None:
        """Start ``dask worker`` (with a nanny) named ``name``; wait with :meth:`wait_for`."""
        merged = {**self.env, **(env or {})}
        if pythonpath:
            merged["PYTHONPATH"] = os.pathsep.join(p for p in (pythonpath, merged["PYTHONPATH"]) if p)
        self.workers[name] = self._spawn(name, [
            DASK, "worker", self.address, "--name", name, "--nthreads", str(nthreads), "--no-dashboard",
            "--local-directory", str(self.workdir / name), "--death-timeout", "30"], merged)

    def wait_for(self, n: int) -> None:
        """Wait until ``n`` workers are connected."""
        from distributed import Client

        with Client(self.address, timeout=START_TIMEOUT) as client:
            client.wait_for_workers(n, timeout=START_TIMEOUT)

    def kill_worker(self, name: str) -> None:
        """SIGKILL a worker and its nanny: gone without a goodbye, like a lost machine."""
        proc = self.workers.pop(name)
        _kill(proc)

    def worker_pids(self) -> list[int]:
        """Process ids of the worker processes (children of the nannies), for measuring them."""
        from distributed import Client

        with Client(self.address, timeout=START_TIMEOUT) as client:
            return sorted(client.run(os.getpid).values())

    def close(self) -> None:
        for proc in reversed(self.procs):
            _kill(proc)
        self.procs.clear()


def _kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 10
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
