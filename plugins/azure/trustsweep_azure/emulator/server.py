"""The fake's server: an HTTPS server on 127.0.0.1 (a ``trustme`` CA), its request log, injected
faults and Resource Graph's per-user quota."""

from __future__ import annotations

import math
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from trustsweep.testing.https import HttpsFake

from .estate import AzureEstate
from .handler import Handler
from .records import GRAPH_PATH


def is_write(line: str) -> bool:
    """Whether a served ``"METHOD /path"`` would change state: anything but a GET and the Resource
    Graph query (a read-only POST)."""
    method, _, path = line.partition(" ")
    return not (method == "GET" or (method == "POST" and path.lower() == GRAPH_PATH))


@dataclass
class _Fault:
    pattern: re.Pattern[str]
    kinds: list[str]
    persistent: bool


class FakeAzure(HttpsFake):
    """The fake Resource Manager, Resource Graph and Microsoft Graph, on 127.0.0.1 over HTTPS.

    ``arm_page_size`` items per ``nextLink`` page of ARM collections and Microsoft Graph;
    ``timeout_delay`` is how long an injected ``timeout`` holds the response; ``latency`` is added to
    every response (to model a real network in benchmarks).
    """

    handler = Handler
    thread_name = "fake-azure"

    def __init__(
        self,
        estate: AzureEstate,
        workdir: Path,
        *,
        arm_page_size: int = 100,
        timeout_delay: float = 3.0,
        latency: float = 0.0,
    ) -> None:
        self.estate = estate
        self.latency = latency
        self.graph_quota: tuple[int, float] | None = None  # (queries, window seconds), like Graph's per-user quota
        self.throttled = 0  # Resource Graph queries refused by the quota
        self._graph_times: list[float] = []
        self.workdir = Path(workdir)
        self.arm_page_size = arm_page_size
        self.timeout_delay = timeout_delay
        self.requests: list[str] = []
        self.graph_queries: list[tuple[str, tuple[str, ...]]] = []  # Resource Graph first pages: (KQL, scope)
        self._faults: list[_Fault] = []
        self._lock = threading.Lock()
        self.ca_bundle: Path = self.workdir / "azure-ca.pem"

    def env(self) -> dict[str, str]:
        """The variables that point the trustsweep Azure plugin at this fake."""
        return {"TRUSTSWEEP_AZURE_ENDPOINT": self.url, "TRUSTSWEEP_AZURE_CA_BUNDLE": str(self.ca_bundle)}

    # -- test controls -------------------------------------------------------------------------

    def inject(self, pattern: str, *kinds: str, persistent: bool = False) -> None:
        """Answer the next requests matching ``pattern`` (regex on ``"METHOD /path"``) with faults.

        ``kinds`` are consumed in order (``429``, ``429:N``, ``429q:N``, ``500``, ``503``, ``403``, ``timeout``); with
        ``persistent`` the last kind repeats for ever.
        """
        with self._lock:
            self._faults.append(_Fault(re.compile(pattern, re.I), list(kinds), persistent))

    def reset(self, estate: AzureEstate | None = None) -> None:
        """Forget faults, quota and the request log; optionally serve another estate."""
        with self._lock:
            self._faults.clear()
            self.requests.clear()
            self.graph_queries.clear()
            self.graph_quota = None
            self.throttled = 0
            self._graph_times.clear()
            if estate is not None:
                self.estate = estate

    def served(self) -> list[str]:
        """Every request served so far, as ``"METHOD /path"``."""
        with self._lock:
            return list(self.requests)

    def writes(self) -> list[str]:
        """The requests served so far that would change state (:func:`is_write`)."""
        return [line for line in self.served() if is_write(line)]

    def graph_query_counts(self) -> Counter[tuple[str, tuple[str, ...]]]:
        """How many times each Resource Graph query was started (first pages, not ``$skipToken``
        pages nor refused ones), by (KQL, sorted subscription or management-group scope)."""
        with self._lock:
            return Counter(self.graph_queries)

    def _graph_query(self, query: str, scope: list[str], first_page: bool) -> None:
        if first_page:
            with self._lock:
                self.graph_queries.append((query, tuple(sorted(s.lower() for s in scope))))

    def count(self, pattern: str = "") -> int:
        rx = re.compile(pattern, re.I)
        with self._lock:
            return sum(1 for r in self.requests if rx.search(r))

    def _quota(self) -> tuple[bool, dict[str, str]]:
        """Admit a Resource Graph query under ``graph_quota``; the quota headers to send."""
        if self.graph_quota is None:
            return True, {"x-ms-user-quota-remaining": "14", "x-ms-user-quota-resets-after": "00:00:05"}
        limit, window = self.graph_quota
        with self._lock:
            now = time.monotonic()
            self._graph_times[:] = [t for t in self._graph_times if now - t < window]
            admitted = len(self._graph_times) < limit
            if admitted:
                self._graph_times.append(now)
            else:
                self.throttled += 1
            resets = window - (now - self._graph_times[0]) if self._graph_times else 0.0
            remaining = limit - len(self._graph_times)
        return admitted, {
            "x-ms-user-quota-remaining": str(remaining),
            "x-ms-user-quota-resets-after": time.strftime("%H:%M:%S", time.gmtime(math.ceil(resets))),
        }

    def _fault_for(self, line: str) -> str | None:
        with self._lock:
            self.requests.append(line)
            for fault in self._faults:
                if fault.kinds and fault.pattern.search(line):
                    if fault.persistent and len(fault.kinds) == 1:
                        return fault.kinds[0]
                    return fault.kinds.pop(0)
        return None
