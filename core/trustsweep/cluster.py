"""Sweeping on a Dask cluster: connect, check versions, submit units under keys of their own.

Imported only when ``--executor`` names a Dask scheduler (``tcp://`` or ``tls://``) or
``dask-local``; ``distributed`` is the optional ``dask`` extra. See ``docs/scale.md`` for the
deployment recipe.

- :func:`connect` refuses a cluster whose workers run another trustsweep (or plugin) version
  than this client: one :class:`~trustsweep.errors.UserError` line, exit 2.
- :class:`DaskExecutor` submits each unit under a key holding the sweep id (two sweeps sharing
  a scheduler never share a key) and says how many units the cluster runs at once, so the
  engine keeps a bounded window in flight instead of submitting every unit at once.
"""

from __future__ import annotations

import importlib.metadata
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from typing import Any

from .errors import UserError

#: The distributions whose versions must match between client and workers (plugins are added).
CORE_DISTRIBUTIONS = ("trustsweep",)
#: Seconds to wait for the scheduler, and for a first worker to join it.
CONNECT_TIMEOUT = 10.0


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise UserError("a Dask executor needs the 'dask' extra: pip install 'trustsweep[dask]'") from None
    return distributed


def installed_versions(names: Sequence[str]) -> dict[str, str]:
    """The installed version of each distribution (``"missing"`` when it is not installed)."""
    out: dict[str, str] = {}
    for name in names:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "missing"
    return out


def version_mismatches(local: Mapping[str, str], remote: Mapping[str, Mapping[str, str]]) -> list[str]:
    """One phrase per worker whose versions differ from ``local`` (sorted; empty when all agree)."""
    out = []
    for worker, versions in sorted(remote.items()):
        wrong = [
            f"{name} {versions.get(name, 'missing')}"
            for name, want in local.items()
            if versions.get(name, "missing") != want
        ]
        if wrong:
            out.append(f"{worker} has {', '.join(wrong)}")
    return out


def check_versions(client: Any, distributions: Sequence[str] = CORE_DISTRIBUTIONS) -> None:
    """Refuse workers whose trustsweep (or plugin) versions differ from this client's."""
    names = list(dict.fromkeys([*CORE_DISTRIBUTIONS, *distributions]))
    local = installed_versions(names)
    remote = client.run(installed_versions, names)
    names_of = {addr: w.get("name") for addr, w in _workers(client).items()}
    remote = {f"worker {names_of[a]} ({a})" if names_of.get(a) not in (None, a) else a: v for a, v in remote.items()}
    wrong = version_mismatches(local, remote)
    if wrong:
        want = ", ".join(f"{n} {v}" for n, v in local.items())
        raise UserError(
            f"Dask workers run other versions than this client ({want}): {'; '.join(wrong)}; "
            "install the same versions everywhere (docs/scale.md)"
        )


def _workers(client: Any) -> dict[str, dict[str, Any]]:
    try:
        info = client.scheduler_info(n_workers=-1)
    except TypeError:  # distributed before 2025.4 lists every worker
        info = client.scheduler_info()
    return dict(info.get("workers", {}))


def security_from_env() -> Any:
    """A ``distributed.Security`` from ``TRUSTSWEEP_DASK_TLS_{CA,CERT,KEY}`` (None when unset)."""
    ca, cert, key = (os.environ.get(f"TRUSTSWEEP_DASK_TLS_{n}") for n in ("CA", "CERT", "KEY"))
    if not (ca or cert or key):
        return None
    if not (ca and cert and key):
        raise UserError("TLS to the Dask scheduler needs TRUSTSWEEP_DASK_TLS_CA, _CERT and _KEY together")
    from distributed.security import Security

    return Security(tls_ca_file=ca, tls_client_cert=cert, tls_client_key=key, require_encryption=True)


class DaskExecutor(Executor):
    """A ``concurrent.futures`` executor on a Dask client, with keys the caller chooses.

    ``remote``: units cross the network, so the engine keeps ``secret_*`` attrs and the redaction
    salt off them (False for ``dask-local``: processes of this machine, started with its environment).
    """

    keyed = True  #: :meth:`submit` takes a ``key``

    def __init__(self, client: Any, *, remote: bool = True) -> None:
        self.client = client
        self.remote = remote
        self._cf = client.get_executor(pure=False)

    def submit(self, fn: Callable[..., Any], *args: Any, key: str | None = None, **kwargs: Any) -> Future[Any]:
        """Run ``fn(*args)`` on a worker under ``key`` (a fresh one when None)."""
        if key is None:
            return self._cf.submit(fn, *args, **kwargs)
        future = self.client.submit(fn, *args, key=key, pure=False, **kwargs)
        return self._cf._wrap_future(future)  # the concurrent.futures wrapper ClientExecutor uses

    def submit_raw(self, fn: Callable[..., Any], *args: Any, key: str) -> Any:
        """Run ``fn(*args)`` under ``key`` and return the Dask future itself (to pass to other tasks:
        Dask hands its result worker-to-worker, the client never receives it)."""
        return self.client.submit(fn, *args, key=key, pure=False)

    def share(self, value: Any, key: str) -> Any:
        """A future standing for ``value`` in task arguments: sent to the scheduler once, copied between
        workers as they need it, and rebuilt by Dask if every worker holding it dies (unlike scattered data)."""
        return self.client.submit(_same, value, key=key, pure=False)

    def capacity(self) -> int:
        """Units the cluster runs at once: the worker threads (at least 1)."""
        return max(1, sum(self.client.nthreads().values()))

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._cf.shutdown(wait=wait)


def _same(value: Any) -> Any:
    return value


@contextmanager
def connect(spec: str, workers: int, distributions: Sequence[str] = CORE_DISTRIBUTIONS) -> Iterator[DaskExecutor]:
    """A :class:`DaskExecutor` on the scheduler at ``spec`` (or a local 2-process cluster for
    ``dask-local``), its workers' versions checked against this client's."""
    distributed = _import_distributed()
    if spec == "dask-local":
        with (
            distributed.LocalCluster(
                n_workers=2, threads_per_worker=max(1, workers // 2), processes=True, dashboard_address=None
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            yield DaskExecutor(client, remote=False)
        return
    security = security_from_env()
    if spec.startswith("tls://") and security is None:
        raise UserError(
            f"{spec}: TLS to the Dask scheduler needs TRUSTSWEEP_DASK_TLS_CA, _CERT and _KEY (docs/scale.md)"
        )
    try:
        client = distributed.Client(spec, timeout=CONNECT_TIMEOUT, security=security)
    except (OSError, TimeoutError) as exc:
        raise UserError(f"cannot reach Dask scheduler {spec}: {exc}") from None
    with client:
        try:
            client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        except TimeoutError:
            raise UserError(f"Dask scheduler {spec} has no worker (waited {CONNECT_TIMEOUT:g} s)") from None
        check_versions(client, distributions)
        yield DaskExecutor(client)
