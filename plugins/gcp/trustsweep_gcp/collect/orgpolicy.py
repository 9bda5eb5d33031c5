"""The ``orgpolicy`` unit: a project's org-policy chain (organization → folders → project).

ORG_POLICY at a project lists only the policies set *on* it, so the organization's and folders'
policies are read too: once per sweep and process at the top ancestor (``_node_policies_cache``),
shared by every project of the sweep. Policies are kept as snake_case dicts (:func:`org_policy`).
"""

from __future__ import annotations

import threading
from typing import Any

from .. import types as T
from ..session import Connection
from .base import GcpCollector, list_assets

_node_policies_cache: dict[tuple[str, Connection, str], dict[str, list[dict[str, Any]]]] = {}
_node_lock = threading.Lock()
_node_key_locks: dict[tuple[str, Connection, str], threading.Lock] = {}


def org_policy(policy: dict[str, Any]) -> dict[str, Any]:
    """A v1 org policy as properties: its constraint, and ``restore_default``, ``list_policy`` or ``enforced``."""
    out: dict[str, Any] = {"constraint": str(policy.get("constraint") or "")}
    if policy.get("restoreDefault") is not None:
        out["restore_default"] = True
    listed = policy.get("listPolicy")
    if listed is not None:
        out["list_policy"] = {
            "all_values": str(listed.get("allValues") or ""),
            "allowed_values": [str(v) for v in listed.get("allowedValues") or []],
            "denied_values": [str(v) for v in listed.get("deniedValues") or []],
            "inherit_from_parent": listed.get("inheritFromParent") is True,
        }
    boolean = policy.get("booleanPolicy")
    if boolean is not None:
        out["enforced"] = boolean.get("enforced") is True
    return out


def _policies(asset: dict[str, Any] | None) -> list[dict[str, Any]]:
    return [org_policy(p) for p in (asset or {}).get("orgPolicy") or []]


def _node_policies(conn: Connection, top: str, sweep: str) -> dict[str, list[dict[str, Any]]]:
    """Org policies set on every organization and folder under ``top``, read once per sweep and process."""
    key = (sweep, conn, top)
    with _node_lock:
        if len(_node_key_locks) > 256:
            _node_key_locks.clear()
        lock = _node_key_locks.setdefault(key, threading.Lock())
    with lock:  # one thread reads; the others wait for its answer
        cached = _node_policies_cache.get(key)
        if cached is not None:
            return cached
        assets = list_assets(conn, top, "ORG_POLICY", (T.ORGANIZATION, T.FOLDER))
        found = {a["name"].split(".googleapis.com/", 1)[-1]: _policies(a) for a in assets}
        with _node_lock:
            if len(_node_policies_cache) > 256:
                _node_policies_cache.clear()
            _node_policies_cache[key] = found
    return found


def collect(ctx: GcpCollector) -> None:
    """One resource per project: the chain of nodes from the organization down, each with its policies."""
    project = ctx.project
    ancestors = list(ctx.target.attrs.get("ancestors") or [])
    own = ctx.list_assets(f"projects/{project}", "ORG_POLICY", (T.PROJECT,))
    if not ancestors and own:
        ancestors = own[0].get("ancestors") or []
    if not ancestors:
        found = ctx.list_assets(f"projects/{project}", "RESOURCE", (T.PROJECT,))
        ancestors = found[0].get("ancestors", []) if found else [f"projects/{project}"]
    above = [a for a in ancestors if not a.startswith("projects/")]
    nodes = _node_policies(ctx.conn, above[-1], str(ctx.options.get("sweep_id", ""))) if above else {}
    chain = [{"node": node, "policies": nodes.get(node, [])} for node in reversed(above)]
    chain.append(
        {"node": ancestors[0] if ancestors else f"projects/{project}", "policies": _policies(own[0] if own else None)}
    )
    ctx.add(
        T.ORG_POLICY,
        f"//cloudresourcemanager.googleapis.com/projects/{project}/effectiveOrgPolicies",
        f"{project} org policies",
        chain=chain,
        ancestors=ancestors,
    )
