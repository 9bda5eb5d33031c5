"""The conditional-request cache: each GET's ``ETag`` and body, on disk, keyed without the token.

A repeated sweep sends ``If-None-Match``; GitHub answers ``304 Not Modified`` (which does not count
against the primary rate limit) and the body is read from here. Keys are the SHA-256 of the endpoint
and the path with its query, so no credential is ever part of a file name or content.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def default_dir() -> Path:
    """``<user cache dir>/trustsweep/github`` (``platformdirs``)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("trustsweep")) / "github"


class EtagCache:
    """One small JSON file per URL under ``root/xx/``; writes are atomic (rename)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, url: str) -> Path:
        key = hashlib.sha256(url.encode()).hexdigest()
        return self.root / key[:2] / f"{key}.json"

    def get(self, url: str) -> tuple[str, Any, str] | None:
        """``(etag, body, link header)`` stored for ``url``, or None."""
        try:
            entry = json.loads(self._path(url).read_text(encoding="utf-8"))
            return entry["etag"], entry["body"], entry.get("link", "")
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, url: str, etag: str, body: Any, link: str = "") -> None:
        path = self._path(url)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"etag": etag, "body": body, "link": link}, fh, separators=(",", ":"))
            os.replace(tmp, path)
        except OSError:  # a read-only or full cache costs requests, never the sweep
            pass
