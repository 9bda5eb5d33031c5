"""Store URLs: ``sqlite:///relative/path``, ``sqlite:////absolute/path``, ``postgresql://...``.

``?mode=ro`` after a SQLite path opens it read-only (an auditor's copy; writes are refused).

With no URL the default store is ``evidence.sqlite`` in the user data directory (platformdirs),
created on first use. Passwords in URLs never reach messages: see :meth:`StoreURL.redacted`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, unquote_plus, urlsplit, urlunsplit

from ..errors import UserError

SQLITE_PREFIX = "sqlite:///"
POSTGRES_SCHEMES = ("postgresql", "postgres")
SECRET_PARAMS = ("password", "sslpassword")  # libpq query parameters that hold a secret


@dataclass(frozen=True, slots=True)
class StoreURL:
    kind: str  # "sqlite" or "postgresql"
    raw: str
    path: Path | None = None
    is_default: bool = False
    readonly: bool = False  # sqlite:///PATH?mode=ro — e.g. an auditor's copy of the file

    def redacted(self) -> str:
        """The URL without its passwords (safe for messages, logs and evidence).

        A PostgreSQL URL may carry a password in its userinfo (``user:pw@host``) and in its query
        (``?password=pw``, ``?sslpassword=pw``); both become ``***``. A URL too malformed to split
        keeps only its scheme.
        """
        if self.kind != "postgresql":
            return self.raw
        try:
            parts = urlsplit(self.raw)
        except ValueError:
            return self.raw.split("://", 1)[0] + "://***"
        userinfo, at, host = parts.netloc.rpartition("@")
        netloc = f"{userinfo.split(':', 1)[0]}:***@{host}" if at and ":" in userinfo else parts.netloc
        query = "&".join(f"{key}=***" if secret else param for param, key, secret in _query_params(parts.query))
        return urlunsplit(parts._replace(netloc=netloc, query=query))

    def secrets(self) -> list[str]:
        """Every password in the URL, as written and percent-decoded, longest first."""
        if self.kind != "postgresql":
            return []
        rest = self.raw.split("://", 1)[-1]
        netloc = rest.split("/", 1)[0].split("?", 1)[0]
        found = {info.split(":", 1)[1] for info in (netloc.rpartition("@")[0], netloc.partition("@")[0]) if ":" in info}
        found |= {param.partition("=")[2] for param, _, secret in _query_params(rest.partition("?")[2]) if secret}
        found |= {unquote(s) for s in found} | {unquote_plus(s) for s in found}
        return sorted((s for s in found if s), key=len, reverse=True)

    def scrub(self, text: str) -> str:
        """``text`` with the URL replaced by :meth:`redacted` and every password by ``***``."""
        secrets = self.secrets()
        if not secrets:
            return text
        text = text.replace(self.raw, self.redacted())
        for secret in secrets:
            text = text.replace(secret, "***")
        return text


def _query_params(query: str) -> list[tuple[str, str, bool]]:
    """``(param, key, holds_a_secret)`` for each ``key=value`` of a URL query, in order."""
    out = []
    for param in query.split("&") if query else ():
        key = param.partition("=")[0]
        out.append((param, key, unquote_plus(key).strip().lower() in SECRET_PARAMS))
    return out


def default_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("trustsweep")) / "evidence.sqlite"


def parse_url(url: str | None) -> StoreURL:
    """Parse a store URL; anything unsupported is a UserError (exit 2)."""
    if url is None or url == "":
        path = default_path()
        return StoreURL("sqlite", SQLITE_PREFIX + str(path), path, is_default=True)
    if url.startswith(SQLITE_PREFIX):
        rest, _, query = url[len(SQLITE_PREFIX) :].partition("?")
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
