"""Store URLs: ``sqlite:///relative/path``, ``sqlite:////absolute/path``, ``postgresql://...``.

``?mode=ro`` after a SQLite path opens it read-only (an auditor's copy; writes are refused).

With no URL the default store is ``evidence.sqlite`` in the user data directory (platformdirs),
created on first use. Passwords in URLs never reach messages: see :meth:`StoreURL.redacted`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ..errors import UserError

SQLITE_PREFIX = "sqlite:///"
POSTGRES_SCHEMES = ("postgresql", "postgres")


@dataclass(frozen=True, slots=True)
class StoreURL:
    kind: str  # "sqlite" or "postgresql"
    raw: str
    path: Path | None = None
    is_default: bool = False
    readonly: bool = False  # sqlite:///PATH?mode=ro — e.g. an auditor's copy of the file

    def redacted(self) -> str:
        """The URL without its password (safe for messages, logs and evidence)."""
        if self.kind != "postgresql":
            return self.raw
        parts = urlsplit(self.raw)
        if parts.password is None:
            return self.raw
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
        user = parts.username or ""
        return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def default_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("trustsweep")) / "evidence.sqlite"


def parse_url(url: str | None) -> StoreURL:
    """Parse a store URL; anything unsupported is a UserError (exit 2)."""
    if url is None or url == "":
        path = default_path()
        return StoreURL("sqlite", SQLITE_PREFIX + str(path), path, is_default=True)
    if url.startswith(SQLITE_PREFIX):
        rest, _, query = url[len(SQLITE_PREFIX):].partition("?")
        if not rest or rest.endswith("/"):
            raise UserError(f"store URL {url!r} names no file (sqlite:///relative/path or sqlite:////absolute/path)")
        if query not in ("", "mode=ro"):
            raise UserError(f"store URL {url!r}: the only SQLite option is ?mode=ro (read-only)")
        return StoreURL("sqlite", url, Path(rest), readonly=query == "mode=ro")
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme in POSTGRES_SCHEMES:
        return StoreURL("postgresql", url)
    shown = StoreURL("postgresql", url).redacted() if scheme else url
    raise UserError(f"unsupported store URL {shown!r} (use sqlite:///PATH or postgresql://...)")
