"""The conditional-request cache: each GET's ``ETag`` and body, on disk, keyed without the token.

A repeated sweep sends ``If-None-Match``; GitHub answers ``304 Not Modified`` (which does not count
against the primary rate limit) and the body is read from here. One SQLite file (``etags.sqlite``)
holds zlib-compressed bodies keyed by the SHA-256 of the endpoint and the path with its query, so no
credential is ever part of a key or a value. Entries unused for :data:`KEEP_DAYS` are dropped. A cache
that cannot be read or written costs requests, never the sweep.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
import zlib
from pathlib import Path
from typing import Any

#: Days an entry is kept after its last use.
KEEP_DAYS = 35
_SCHEMA = "CREATE TABLE IF NOT EXISTS etags (key TEXT PRIMARY KEY, etag TEXT, link TEXT, body BLOB, used INTEGER)"


def default_dir() -> Path:
    """``<user cache dir>/trustsweep/github`` (``platformdirs``)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("trustsweep")) / "github"


def _today() -> int:
    return int(time.time() // 86400)


class EtagCache:
    """Thread-safe; opened on first use, closed by :meth:`close`."""

    def __init__(self, root: Path) -> None:
        self.path = Path(root) / "etags.sqlite"
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._broken = False

    def _open(self) -> sqlite3.Connection | None:
        if self._db is None and not self._broken:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute(_SCHEMA)
                db.execute("DELETE FROM etags WHERE used < ?", (_today() - KEEP_DAYS,))
                self._db = db
            except (sqlite3.Error, OSError):
                self._broken = True
        return self._db

    @staticmethod
    def _key(url: str) -> str:
        return hashlib.sha256(url.encode()).hexdigest()

    def get(self, url: str) -> tuple[str, Any, str] | None:
        """``(etag, body, link header)`` stored for ``url``, or None."""
        key = self._key(url)
        with self._lock:
            db = self._open()
            try:
                row = (
                    db.execute("SELECT etag, body, link, used FROM etags WHERE key = ?", (key,)).fetchone()
                    if db
                    else None
                )
                if row is None:
                    return None
                if row[3] < _today():
                    db.execute("UPDATE etags SET used = ? WHERE key = ?", (_today(), key))
                return row[0], json.loads(zlib.decompress(row[1])), row[2]
            except (sqlite3.Error, ValueError, zlib.error):
                return None

    def put(self, url: str, etag: str, body: Any, link: str = "") -> None:
        data = zlib.compress(json.dumps(body, separators=(",", ":")).encode(), 6)
        with self._lock:
            db = self._open()
            try:
                if db is not None:
                    db.execute(
                        "INSERT OR REPLACE INTO etags VALUES (?, ?, ?, ?, ?)",
                        (self._key(url), etag, link, data, _today()),
                    )
            except sqlite3.Error:
                pass  # a cache that cannot be written costs a full read next time, nothing else

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
