"""A small read-only client of the GitHub REST API v3 (standard library only).

- ``GET`` only, with ``Accept: application/vnd.github+json`` and ``X-GitHub-Api-Version``;
- paging by the ``Link`` header (:meth:`GitHubSession.paged`);
- primary rate limit (``X-RateLimit-Remaining: 0`` until ``X-RateLimit-Reset``) and secondary limits
  (``403``/``429`` with ``Retry-After``) waited out with a message on stderr; a wait longer than
  ``max_wait`` raises :class:`RateLimited` (the unit fails with that reason);
- ``5xx``, timeouts and dropped connections retried with exponential backoff;
- every attempt paced by the token's shared request budget (:func:`trustsweep.budget.pace`);
- conditional requests: ``If-None-Match`` from the :class:`~trustsweep_github.cache.EtagCache`.

The token is sent in the ``Authorization`` header only; no message, exception or cache entry holds it.
"""

from __future__ import annotations

import http.client
import json
import re
import ssl
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

from trustsweep.budget import SHARED, pace
from trustsweep.plugin import count_request

from .cache import EtagCache

API_VERSION = "2022-11-28"
DEFAULT_ENDPOINT = "https://api.github.com"
_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')
_STALE = -1  # _send's status for a reused connection found closed


class GitHubError(Exception):
    """A request GitHub refused or could not answer: ``status`` and a one-line reason (no secret)."""

    def __init__(self, status: int, method: str, path: str, message: str) -> None:
        self.status = status
        self.path = path
        super().__init__(
            f"GitHub {status} on {method} {path}: {message}" if status else f"GitHub {method} {path}: {message}"
        )


class NotFound(GitHubError):
    """404: the thing does not exist (or the token may not see it)."""


class Forbidden(GitHubError):
    """403 without a rate limit: the token lacks a permission."""


class BadCredentials(GitHubError):
    """401: the token is revoked, expired or wrong."""


class RateLimited(GitHubError):
    """A rate-limit wait longer than the configured maximum."""


def _say(text: str) -> None:
    print(f"github: {text}", file=sys.stderr, flush=True)


class GitHubSession:
    """GETs against one endpoint with one token; safe to share between threads (a pool of connections)."""

    def __init__(
        self,
        endpoint: str = DEFAULT_ENDPOINT,
        token: str = "",
        *,
        ca_bundle: str | None = None,
        cache: EtagCache | None = None,
        max_wait: float = 900.0,
        retries: int = 4,
        backoff: float = 1.0,
        timeout: float = 30.0,
        say: Callable[[str], None] = _say,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        parts = urlsplit(endpoint.rstrip("/"))
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ValueError(f"not an API endpoint: {endpoint!r} (expected https://HOST or https://HOST/api/v3)")
        self.scheme, self.host, self.port = parts.scheme, parts.hostname, parts.port
        self.base_path = parts.path
        self.endpoint = endpoint.rstrip("/")
        self._token = token
        self._ssl = ssl.create_default_context(cafile=ca_bundle) if parts.scheme == "https" else None
        self.cache = cache
        self.max_wait, self.retries, self.backoff, self.timeout = max_wait, retries, backoff, timeout
        self.say, self.sleep = say, sleep
        self._idle: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()
        self._paused_until = 0.0  # primary limit exhausted: no request before this (epoch seconds)
        self.stats = {"requests": 0, "not_modified": 0, "retries": 0, "waits": 0}

    # -- connections: a pool shared by every thread (kept alive, TLS set up once per connection) --

    def _acquire(self) -> tuple[http.client.HTTPConnection, bool]:
        """A connection, and whether it was used before (the server may have closed it meanwhile)."""
        with self._lock:
            if self._idle:
                return self._idle.pop(), True
        if self._ssl is not None:
            return http.client.HTTPSConnection(self.host, self.port, timeout=self.timeout, context=self._ssl), False
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout), False

    def _release(self, conn: http.client.HTTPConnection) -> None:
        with self._lock:
            self._idle.append(conn)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()
        if self.cache is not None:
            self.cache.close()

    # -- requests ------------------------------------------------------------------------------

    def url(self, path: str, params: Mapping[str, Any] | None = None) -> str:
        """The full path with query (absolute URLs from ``Link`` headers are reduced to it)."""
        if path.startswith(("https://", "http://")):
            parts = urlsplit(path)
            return parts.path + (f"?{parts.query}" if parts.query else "")
        query = urlencode({k: v for k, v in (params or {}).items() if v is not None})
        return f"{self.base_path}{path}" + (f"?{query}" if query else "")

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """The decoded JSON body of ``GET path``; errors as :class:`GitHubError` subclasses."""
        return self._get(self.url(path, params))[0]

    def paged(self, path: str, params: Mapping[str, Any] | None = None, key: str | None = None) -> Iterator[Any]:
        """Every item of a list, page after page by ``Link: rel="next"``; ``key`` for wrapped lists."""
        url: str | None = self.url(path, {"per_page": 100, **(params or {})})
        while url:
            body, link = self._get(url)
            yield from (body.get(key, []) if key else body)
            match = _NEXT.search(link or "")
            url = self.url(match.group(1)) if match else None

    def _get(self, url: str) -> tuple[Any, str]:
        cached = self.cache.get(self.endpoint + url) if self.cache is not None else None
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": "trustsweep-github",
        }
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        if cached:
            headers["If-None-Match"] = cached[0]
        attempt, waited = 0, 0.0
        while True:
            waited += self._respect_pause(url, waited)
            status, reply, body = self._send(url, headers, attempt)
            if status == _STALE:  # a kept-alive connection the server had closed: at once, on a new one
                continue
            if status is None:  # timeout or dropped connection: retried
                attempt += 1
                continue
            if status < 400:
                self._note_remaining(reply)  # (a refusal is waited out below, once)
            if status == 304 and cached:
                with self._lock:
                    self.stats["not_modified"] += 1
                return cached[1], cached[2]
            if 200 <= status < 300:
                try:
                    data = json.loads(body) if body else None
                except ValueError:
                    raise GitHubError(status, "GET", _short(url), "the answer is not JSON") from None
                etag = reply.get("etag")
                if self.cache is not None and etag:
                    self.cache.put(self.endpoint + url, etag, data, reply.get("link", ""))
                return data, reply.get("link", "")
            wait = self._rate_limit_wait(status, reply, body)
            if wait is not None:
                waited += self._wait(wait, url, "secondary" if "retry-after" in reply else "primary", waited)
                continue
            if status >= 500 and attempt < self.retries:
                attempt += 1
                self._backoff(attempt, url, f"{status}")
                continue
            raise self._error(status, url, body)

    def _send(self, url: str, headers: dict[str, str], attempt: int) -> tuple[int | None, dict[str, str], bytes]:
        pace("token", SHARED)  # the token's hourly limit, shared by every unit and worker
        count_request()
        with self._lock:
            self.stats["requests"] += 1
        conn, reused = self._acquire()
        try:
            conn.request("GET", url, headers=headers)
            response = conn.getresponse()
            body = response.read()
        except (TimeoutError, OSError, http.client.HTTPException) as exc:
            conn.close()
            if reused and isinstance(exc, (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)):
                return _STALE, {}, b""
            if attempt >= self.retries:
                raise GitHubError(
                    0, "GET", _short(url), f"no answer after {attempt + 1} attempts ({type(exc).__name__})"
                ) from None
            self._backoff(attempt + 1, url, type(exc).__name__)
            return None, {}, b""
        reply = {k.lower(): v for k, v in response.getheaders()}
        if reply.get("connection", "").lower() == "close" or response.will_close:
            conn.close()
        else:
            self._release(conn)
        return response.status, reply, body

    # -- rate limits and retries ---------------------------------------------------------------

    def _note_remaining(self, reply: Mapping[str, str]) -> None:
        """After a response saying no request is left, pause every thread until the reset."""
        if reply.get("x-ratelimit-remaining") == "0" and reply.get("x-ratelimit-reset", "").isdigit():
            with self._lock:
                self._paused_until = max(self._paused_until, float(reply["x-ratelimit-reset"]))

    def _respect_pause(self, url: str, waited: float) -> float:
        """Sleep out a pause set by an exhausted quota; the seconds slept."""
        until = self._paused_until
        if until - time.time() <= 0:
            return 0.0
        slept = self._wait(until - time.time(), url, "primary", waited)
        with self._lock:
            if self._paused_until == until:
                self._paused_until = 0.0
        return slept

    def _rate_limit_wait(self, status: int, reply: Mapping[str, str], body: bytes) -> float | None:
        """Seconds to wait when ``status`` is a rate-limit refusal, else None."""
        if status not in (403, 429):
            return None
        if reply.get("retry-after", "").strip().isdigit():
            return float(reply["retry-after"])
        if reply.get("x-ratelimit-remaining") == "0" and reply.get("x-ratelimit-reset", "").isdigit():
            return max(0.0, float(reply["x-ratelimit-reset"]) - time.time()) + 1.0
        if status == 429 or b"rate limit" in body.lower():
            return 60.0  # a secondary limit without Retry-After: GitHub asks for at least a minute
        return None

    def _wait(self, seconds: float, url: str, kind: str, waited: float = 0.0) -> float:
        """Sleep ``seconds`` with a message; RateLimited when this request would wait over ``max_wait`` in all."""
        if waited + seconds > self.max_wait:
            raise RateLimited(
                0,
                "GET",
                _short(url),
                f"{kind} rate limit: the reset is {seconds:.0f} s away"
                f"{f' after {waited:.0f} s of waiting' if waited else ''}, "
                f"longer than max_wait_seconds={self.max_wait:.0f}; "
                "sweep again later",
            )
        with self._lock:
            self.stats["waits"] += 1
        until = time.strftime("%H:%M:%S", time.gmtime(time.time() + seconds))
        self.say(f"{kind} rate limit reached; waiting {seconds:.0f} s (until {until} UTC)")
        self.sleep(max(0.0, seconds))
        return seconds

    def _backoff(self, attempt: int, url: str, why: str) -> None:
        with self._lock:
            self.stats["retries"] += 1
        self.sleep(self.backoff * 2 ** (attempt - 1))

    def _error(self, status: int, url: str, body: bytes) -> GitHubError:
        try:
            message = str(json.loads(body).get("message", ""))[:200]
        except (ValueError, AttributeError):
            message = ""
        path = _short(url)
        if status == 401:
            return BadCredentials(
                401,
                "GET",
                path,
                f"{message or 'Bad credentials'}: the token (GITHUB_TOKEN or GH_TOKEN) is revoked, expired or wrong",
            )
        if status == 404:
            return NotFound(404, "GET", path, message or "Not Found")
        if status == 403:
            return Forbidden(403, "GET", path, message or "Forbidden")
        return GitHubError(status, "GET", path, message or "error")


def _short(url: str) -> str:
    """The path without its query (what messages name)."""
    return url.split("?", 1)[0]


def session_for(options: Mapping[str, Any], token: str) -> GitHubSession:
    """The session a provider or unit option set describes (endpoint, CA bundle, cache, limits)."""
    import os
    from pathlib import Path

    cache = None
    if options.get("cache", True) and not options.get("no_cache"):
        cache = EtagCache(Path(options["cache_dir"]) if options.get("cache_dir") else _default_cache())
    return GitHubSession(
        str(options.get("endpoint") or DEFAULT_ENDPOINT),
        token,
        ca_bundle=options.get("ca_bundle") or os.environ.get("TRUSTSWEEP_GITHUB_CA_BUNDLE") or None,
        cache=cache,
        max_wait=float(options.get("max_wait_seconds", 900)),
        backoff=float(options.get("retry_base_seconds", 1.0)),
        timeout=float(options.get("timeout_seconds", 30.0)),
    )


def _default_cache() -> Any:
    from .cache import default_dir

    return default_dir()
