"""A real Dask cluster for tests and benchmarks: ``dask scheduler`` and ``dask worker`` subprocesses
on free ports.

Every process runs in its own session so a test can kill a worker (nanny included) like a lost
machine; :meth:`Cluster.close` kills whatever is left, always. ``pythonpath`` adds the modules the
workers must import (a test's own plugin); ``allowed_failures`` is Dask's retry budget for a task
whose workers die.
"""

from __future__ import annotations

import contextlib
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

    def __init__(
        self,
        workdir: Path,
        env: dict[str, str] | None = None,
        *,
        pythonpath: str = "",
        allowed_failures: int = 3,
        tls: bool = False,
    ) -> None:
        self.workdir = workdir
        self.env = {
            **os.environ,
            "PYTHONPATH": pythonpath or os.environ.get("PYTHONPATH", ""),
            "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": str(allowed_failures),
            **(env or {}),
        }
        #: with ``tls``: the CA, certificate and key files every process (and the client) uses
        self.tls_files = make_tls_files(workdir) if tls else None
        self.address = f"{'tls' if tls else 'tcp'}://127.0.0.1:{free_port()}"
        self.procs: list[subprocess.Popen[bytes]] = []
        self.workers: dict[str, subprocess.Popen[bytes]] = {}
        self._spawn(
            "scheduler",
            [
                DASK,
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                self.address.rsplit(":", 1)[1],
                "--no-dashboard",
                *self._tls(),
                *(["--protocol", "tls"] if tls else []),
            ],
            self.env,
        )

    def _tls(self) -> list[str]:
        if self.tls_files is None:
            return []
        ca, cert, key = self.tls_files
        return ["--tls-ca-file", str(ca), "--tls-cert", str(cert), "--tls-key", str(key)]

    def security(self) -> object:
        """The client's ``distributed.Security`` (None without TLS)."""
        if self.tls_files is None:
            return None
        from distributed.security import Security

        ca, cert, key = self.tls_files
        return Security(
            tls_ca_file=str(ca), tls_client_cert=str(cert), tls_client_key=str(key), require_encryption=True
        )

    def _spawn(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = open(self.workdir / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(
            argv, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=self.workdir, start_new_session=True
        )
        log.close()
        self.procs.append(proc)
        return proc

    def add_worker(self, name: str, env: dict[str, str] | None = None, pythonpath: str = "", nthreads: int = 1) -> None:
        """Start ``dask worker`` (with a nanny) named ``name``; wait with :meth:`wait_for`."""
        merged = {**self.env, **(env or {})}
        if pythonpath:
            merged["PYTHONPATH"] = os.pathsep.join(p for p in (pythonpath, merged["PYTHONPATH"]) if p)
        self.workers[name] = self._spawn(
            name,
            [
                DASK,
                "worker",
                self.address,
                "--name",
                name,
                "--nthreads",
                str(nthreads),
                "--no-dashboard",
                "--local-directory",
                str(self.workdir / name),
                "--death-timeout",
                "30",
                *self._tls(),
            ],
            merged,
        )

    def wait_for(self, n: int) -> None:
        """Wait until ``n`` workers are connected."""
        from distributed import Client

        with Client(self.address, timeout=START_TIMEOUT, security=self.security()) as client:
            client.wait_for_workers(n, timeout=START_TIMEOUT)

    def kill_worker(self, name: str) -> None:
        """SIGKILL a worker and its nanny: gone without a goodbye, like a lost machine."""
        proc = self.workers.pop(name)
        _kill(proc)

    def worker_pids(self) -> list[int]:
        """Process ids of the worker processes (children of the nannies), for measuring them."""
        from distributed import Client

        with Client(self.address, timeout=START_TIMEOUT, security=self.security()) as client:
            return sorted(client.run(os.getpid).values())

    def close(self) -> None:
        for proc in reversed(self.procs):
            _kill(proc)
        self.procs.clear()


def make_tls_files(directory: Path) -> tuple[Path, Path, Path]:
    """A throwaway CA and one certificate it signs for 127.0.0.1/localhost: (ca, cert, key) PEM files."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)

    def build(subject: str, issuer: str, public: object, signer: object, ca: bool) -> x509.Certificate:
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(public)
            .serial_number(x509.random_serial_number())  # type: ignore[arg-type]
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if not ca:
            builder = builder.add_extension(
                x509.SubjectAlternativeName(
                    [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
                ),
                critical=False,
            )
        return builder.sign(signer, hashes.SHA256())  # type: ignore[arg-type]

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_cert = build("trustsweep test CA", "trustsweep test CA", ca_key.public_key(), ca_key, True)
    cert = build("127.0.0.1", "trustsweep test CA", key.public_key(), ca_key, False)
    pem = serialization.Encoding.PEM
    paths = directory / "tls-ca.pem", directory / "tls-cert.pem", directory / "tls-key.pem"
    paths[0].write_bytes(ca_cert.public_bytes(pem))
    paths[1].write_bytes(cert.public_bytes(pem))
    paths[2].write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    paths[2].chmod(0o600)
    return paths


def _kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
