"""Project discovery under a scope (``--gcp-scope organizations/N|folders/N``), before any unit runs."""

from __future__ import annotations

import re
from typing import Any

from trustsweep.plugin import UserError

from .. import types as T
from ..session import Connection
from .base import list_assets

SCOPE = re.compile(r"(organizations|folders)/\d+")


def discover_projects(conn: Connection, scope: str) -> list[dict[str, Any]]:
    """Active projects under ``organizations/N`` or ``folders/N`` (id, number, ancestors, labels)."""
    if not SCOPE.fullmatch(scope):
        raise UserError(f"--gcp-scope {scope!r}: expected organizations/NUMBER or folders/NUMBER")
    out = []
    for asset in list_assets(conn, scope, "RESOURCE", (T.PROJECT,)):
        data = (asset.get("resource") or {}).get("data") or {}
        if data.get("lifecycleState", "ACTIVE") != "ACTIVE" or not data.get("projectId"):
            continue
        out.append(
            {
                "id": data["projectId"],
                "number": str(data.get("projectNumber", "")),
                "ancestors": asset.get("ancestors", []),
                "labels": data.get("labels") or {},
            }
        )
    return sorted(out, key=lambda p: p["id"])
