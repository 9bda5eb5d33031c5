"""A fake GitHub REST API v3 over HTTPS (``trustme`` CA) serving a :class:`GitHubEstate`.

It answers the GETs the plugin sends, in GitHub's shapes, with ``Link`` paging, ``ETag`` /
``If-None-Match`` (``304``), ``X-RateLimit-*`` headers and an optional primary quota, and refuses a
wrong or revoked token with ``401``. Any other verb is logged as a write and refused.
:meth:`FakeGitHub.inject` answers matching requests with faults (``500``, ``502``, ``timeout``,
``429:N`` / ``403s:N`` secondary limits with ``Retry-After: N``, ``limit:N`` an exhausted primary
limit resetting in N seconds, ``drop`` a hang-up without an answer).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from trustsweep.testing.https import HttpsFake

from . import shapes
from .estate import GitHubEstate


@dataclass
class _Fault:
    pattern: re.Pattern[str]
    kinds: list[str]
    persistent: bool


class FakeGitHub(HttpsFake):
    """The fake on 127.0.0.1; ``page_size`` caps ``per_page``; ``quota`` = (requests, window seconds)."""

    thread_name = "fake-github"

    @property
    def handler(self) -> type[BaseHTTPRequestHandler]:  # type: ignore[override]
        return _Handler  # defined below

    def __init__(
        self,
        estate: GitHubEstate,
        workdir: Path,
        *,
        page_size: int = 100,
        timeout_delay: float = 2.0,
        quota: tuple[int, float] | None = None,
    ) -> None:
        self.estate = estate
        self.workdir = Path(workdir)
        self.page_size = page_size
        self.timeout_delay = timeout_delay
        self.quota = quota
        self.log: list[str] = []  # "GET /path?query" of every request
        self.arrivals: list[float] = []  # time.monotonic() of every request, in arrival order
        self.operations: list[str] = []  # "GET operation" of every request
        self.write_log: list[str] = []
        self.not_modified = 0
        self.headers_seen: set[tuple[str, str]] = set()  # (Accept, X-GitHub-Api-Version) of every GET
        self._used = 0
        self._window_start = time.time()
        self._faults: list[_Fault] = []
        self._lock = threading.Lock()
        self.ca_bundle = self.workdir / "github-ca.pem"

    def env(self) -> dict[str, str]:
        """Variables pointing the plugin at this fake (endpoint, CA bundle, the estate's token)."""
        return {
            "TRUSTSWEEP_GITHUB_ENDPOINT": self.url,
            "TRUSTSWEEP_GITHUB_CA_BUNDLE": str(self.ca_bundle),
            "GITHUB_TOKEN": self.estate.token,
        }

    # -- test controls ---------------------------------------------------------------------------

    def inject(self, pattern: str, *kinds: str, persistent: bool = False) -> None:
        """Answer the next requests matching ``pattern`` (regex on ``"GET /path?query"``) with ``kinds``."""
        with self._lock:
            self._faults.append(_Fault(re.compile(pattern, re.I), list(kinds), persistent))

    def reset(self, estate: GitHubEstate | None = None) -> None:
        with self._lock:
            self._faults.clear()
            self.log.clear()
            self.arrivals.clear()
            self.operations.clear()
            self.write_log.clear()
            self.not_modified = 0
            self.headers_seen.clear()
            self.quota = None
            self._used = 0
            self._window_start = time.time()
            if estate is not None:
                self.estate = estate

    def count(self, pattern: str = "") -> int:
        rx = re.compile(pattern, re.I)
        with self._lock:
            return sum(1 for line in self.log if rx.search(line))

    def requests(self) -> list[str]:
        with self._lock:
            return list(self.operations)

    @property
    def used(self) -> int:
        """Requests counted against the primary rate limit in the current window (a 304 is free)."""
        with self._lock:
            return self._used

    def writes(self) -> list[str]:
        with self._lock:
            return list(self.write_log)

    # -- the handler's side ----------------------------------------------------------------------

    def _admit(self, line: str, operation: str) -> str | None:
        with self._lock:
            self.log.append(line)
            self.arrivals.append(time.monotonic())
            self.operations.append(operation)
            for fault in self._faults:
                if fault.kinds and fault.pattern.search(line):
                    return fault.kinds[0] if fault.persistent and len(fault.kinds) == 1 else fault.kinds.pop(0)
        return None

    def _rate(self, count: bool) -> dict[str, str]:
        """Spend one request of the quota (unless ``count`` is false, as for a 304) and say what is left."""
        with self._lock:
            limit, window = self.quota or (1_000_000, 3600.0)
            now = time.time()
            if now - self._window_start >= window:
                self._window_start, self._used = now, 0
            if count and self._used < limit:
                self._used += 1
            return {
                "X-RateLimit-Limit": str(limit),
                "X-RateLimit-Remaining": str(limit - self._used),
                "X-RateLimit-Used": str(self._used),
                "X-RateLimit-Resource": "core",
                "X-RateLimit-Reset": str(math.ceil(self._window_start + window)),
            }

    def _exhausted(self) -> bool:
        with self._lock:
            return (
                self.quota is not None
                and self._used >= self.quota[0]
                and time.time() - self._window_start < self.quota[1]
            )


class _Handler(BaseHTTPRequestHandler):
    owner: FakeGitHub
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # no Nagle + delayed-ACK stall between headers and body

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _refuse_write(self) -> None:
        with self.owner._lock:
            self.owner.write_log.append(f"{self.command} {urlsplit(self.path).path}")
        self._send(405, {"message": "the fake GitHub is read-only"})

    do_POST = do_PUT = do_PATCH = do_DELETE = _refuse_write

    def do_GET(self) -> None:
        fake = self.owner
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        route, params = shapes.route(parts.path)
        fault = fake._admit(f"GET {self.path}", f"GET {route or 'unknown'}")
        with fake._lock:
            fake.headers_seen.add((self.headers.get("Accept", ""), self.headers.get("X-GitHub-Api-Version", "")))
        if fault and self._fault(fault):
            return
        if self.headers.get("Authorization") != f"Bearer {fake.estate.token}" or fake.estate.revoked:
            self._send(401, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"})
            return
        if fake._exhausted():
            self._send(403, {"message": "API rate limit exceeded for user ID 1."}, fake._rate(False))
            return
        handler: Callable[..., Any] | None = getattr(shapes, route, None) if route else None
        body = handler(fake.estate, query, **params) if handler else None
        if body is None:
            self._send(404, {"message": "Not Found"}, fake._rate(True))
            return
        if isinstance(body, shapes.Status):
            self._send(body.code, {"message": body.message}, fake._rate(True))
            return
        headers: dict[str, str] = {}
        if isinstance(body, list) and route in shapes.PAGED:
            body, link = self._page(body, query, parts.path)
            if link:
                headers["Link"] = link
        etag = 'W/"' + hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:32] + '"'
        headers["ETag"] = etag
        if self.headers.get("If-None-Match") == etag:
            with fake._lock:
                fake.not_modified += 1
            self._send(304, None, {**headers, **fake._rate(False)})
            return
        self._send(200, body, {**headers, **fake._rate(True)})

    def _page(self, items: list[Any], query: dict[str, str], path: str) -> tuple[list[Any], str]:
        size = max(1, min(int(query.get("per_page", 30)), 100, self.owner.page_size))
        page = max(1, int(query.get("page", 1)))
        last = max(1, -(-len(items) // size))
        links = []
        if page < last:
            links.append(f'<{self.owner.url}{path}?{urlencode({**query, "page": page + 1})}>; rel="next"')
            links.append(f'<{self.owner.url}{path}?{urlencode({**query, "page": last})}>; rel="last"')
        return items[(page - 1) * size : page * size], ", ".join(links)

    def _fault(self, kind: str) -> bool:
        """Answer with the injected fault; False when the fault lets the request through."""
        name, _, arg = kind.partition(":")
        seconds = arg or "1"
        if name in ("timeout", "drop"):  # drop: hang up without an answer (a kept-alive connection closed)
            if name == "timeout":
                time.sleep(self.owner.timeout_delay)
            self.close_connection = True
            return True
        if name in ("500", "502", "503"):
            self._send(int(name), {"message": "Server Error"})
        elif name == "429":
            self._send(429, {"message": "You have exceeded a secondary rate limit."}, {"Retry-After": seconds})
        elif name == "403s":
            self._send(403, {"message": "You have exceeded a secondary rate limit."}, {"Retry-After": seconds})
        elif name == "limit":
            self._send(
                403,
                {"message": "API rate limit exceeded for user ID 1."},
                {
                    "X-RateLimit-Limit": "5000",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Used": "5000",
                    "X-RateLimit-Reset": str(int(time.time() + float(seconds))),
                },
            )
        elif name == "403":
            self._send(403, {"message": "Resource not accessible by personal access token"})
        elif name == "404":
            self._send(404, {"message": "Not Found"})
        else:
            return False
        return True
