"""The wire details the fake shares by both APIs: Google's error bodies, page tokens, the SCC filter
subset, and the names of the operations requests call."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from typing import Any

STATUS = {
    400: "INVALID_ARGUMENT",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}
MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 100


def now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def error(code: int, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "status": STATUS.get(code, "UNKNOWN")}}


def parse_filter(text: str) -> list[tuple[str, str]]:
    """The subset of the SCC filter grammar the plugin uses: ``a="x" AND b="y"``."""
    text = text.strip()
    if not text:
        return []
    clauses = []
    for part in re.split(r"\s+AND\s+", text):
        m = re.fullmatch(r'\s*([A-Za-z_.]+)\s*=\s*"([^"]*)"\s*', part)
        if not m:
            raise ValueError(f"filter clause {part!r} is not supported by this fake")
        clauses.append((m.group(1), m.group(2)))
    return clauses


def paginate(
    items: list[Any], query: dict[str, list[str]], fingerprint: str
) -> tuple[list[Any], str, dict[str, Any] | None]:
    size = int((query.get("pageSize") or ["0"])[0] or 0) or DEFAULT_PAGE_SIZE
    size = min(size, MAX_PAGE_SIZE)
    digest = hashlib.sha256(fingerprint.encode()).hexdigest()[:12]
    token = (query.get("pageToken") or [""])[0]
    start = 0
    if token:
        try:
            offset, _, tag = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
            start = int(offset)
        except Exception:
            tag = ""
        if tag != digest:
            return [], "", error(400, "invalid page token")
    end = start + size
    nxt = base64.urlsafe_b64encode(f"{end}:{digest}".encode()).decode() if end < len(items) else ""
    return items[start:end], nxt, None


_OPERATIONS = (
    (r"/v1/[^/]+/[^/]+/assets", "ListAssets"),
    (r"/v1/.+/findings", "ListFindings"),
    (r"/v1/[^/]+/[^/]+:exportAssets", "ExportAssets"),
    (r"/v1/.+/findings/[^/]+", "UpdateFinding"),
)


def operation_of(path: str) -> str:
    """The API operation a request names (``ListAssets``), or its path when the fake does not know it."""
    for pattern, name in _OPERATIONS:
        if re.fullmatch(pattern, path):
            return name
    return path
