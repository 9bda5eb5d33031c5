"""Collectors: one Cloud Asset Inventory read per project (RESOURCE + IAM_POLICY), its org-policy
chain (ORG_POLICY), and its active Security Command Center findings.

Each function takes a :class:`~trustsweep.model.WorkUnit` and returns a
:class:`~trustsweep.model.Collected`; a failure raises and the engine turns it into error results
for the unit's resource types. Pages are the API maximum; every page is retried on 429, 5xx and
read timeouts (see :func:`trustsweep_gcp.clients.retry_policy`).
"""

from __future__ import annotations

import re
import threading
from typing import Any

from trustsweep.model import Collected, Resource, WorkUnit

from . import types as T
from .clients import Connection, asset_client, retry_policy, scc_client

PROVIDER = "gcp"
ASSET_PAGE_SIZE = 1000  # ListAssets maximum
FINDINGS_PAGE_SIZE = 1000  # ListFindings maximum
DOMAIN_CONSTRAINT = "constraints/iam.allowedPolicyMemberDomains"
_CONTENT = {"RESOURCE": 1, "IAM_POLICY": 2, "ORG_POLICY": 4}

_node_policies_cache: dict[tuple[str, Connection, str], dict[str, list[dict[str, Any]]]] = {}
_node_lock = threading.Lock()
_node_key_locks: dict[tuple[str, Connection, str], threading.Lock] = {}


def _to_dict(message: Any) -> dict[str, Any]:
    from google.protobuf import json_format

    return json_format.MessageToDict(type(message).pb(message))


def list_assets(conn: Connection, parent: str, content: str, asset_types: tuple[str, ...] = (),
                page_size: int = ASSET_PAGE_SIZE) -> tuple[list[dict[str, Any]], int]:
    """Every asset under ``parent`` as REST-shaped dicts, and the number of HTTP requests made."""
    client, counter = asset_client(conn)
    before = counter.count
    request = {"parent": parent, "content_type": _CONTENT[content], "page_size": page_size,
               "asset_types": list(asset_types)}
    try:
        pager = client.list_assets(request=request, retry=retry_policy(conn), timeout=conn.request_timeout)
        assets = [_to_dict(a) for a in pager]
    finally:
        requests = counter.count - before
    return assets, requests


def region_of(data: dict[str, Any]) -> str:
    for key in ("region", "location", "zone", "gceZone"):
        value = data.get(key)
        if isinstance(value, str) and value:
            return value.rsplit("/", 1)[-1].lower()
    return "global"


def _short_name(name: str) -> str:
    return name.rstrip("/").rsplit("/", 1)[-1]


def collect_assets(unit: WorkUnit) -> Collected:
    """The project's assets of every type the checks read, each with its IAM policy when it has one."""
    conn = Connection.from_options(unit.options)
    parent = f"projects/{unit.target.id}"
    size = int(unit.options.get("page_size", ASSET_PAGE_SIZE))
    resources, n1 = list_assets(conn, parent, "RESOURCE", T.ASSET_TYPES, size)
    policies, n2 = list_assets(conn, parent, "IAM_POLICY", T.IAM_POLICY_TYPES, size)
    by_name: dict[str, dict[str, Any]] = {}
    for asset in resources:
        by_name[asset["name"]] = {"asset": asset, "data": (asset.get("resource") or {}).get("data") or {}}
    for asset in policies:
        entry = by_name.setdefault(asset["name"], {"asset": asset, "data": {}})
        entry["iam_policy"] = asset.get("iamPolicy") or {}
    out = []
    for name, entry in by_name.items():
        asset, data = entry["asset"], entry["data"]
        props: dict[str, Any] = {"data": data, "ancestors": asset.get("ancestors", [])}
        if "iam_policy" in entry:
            props["iam_policy"] = entry["iam_policy"]
        out.append(Resource(PROVIDER, unit.target.id, region_of(data), asset["assetType"], name,
                            name=str(data.get("name") or _short_name(name)).rsplit("/", 1)[-1], properties=props))
    return Collected(unit, resources=out, requests=n1 + n2)


def _node_policies(conn: Connection, top: str, sweep: str) -> tuple[dict[str, list[dict[str, Any]]], int]:
    """Org policies set on every organization and folder under ``top``, read once per sweep and process."""
    key = (sweep, conn, top)
    with _node_lock:
        if len(_node_key_locks) > 256:
            _node_key_locks.clear()
        lock = _node_key_locks.setdefault(key, threading.Lock())
    with lock:  # one thread reads; the others wait for its answer
        cached = _node_policies_cache.get(key)
        if cached is not None:
            return cached, 0
        assets, n = list_assets(conn, top, "ORG_POLICY", (T.ORGANIZATION, T.FOLDER))
        found = {a["name"].split(".googleapis.com/", 1)[-1]: a.get("orgPolicy") or [] for a in assets}
        with _node_lock:
            if len(_node_policies_cache) > 256:
                _node_policies_cache.clear()
            _node_policies_cache[key] = found
    return found, n


def collect_org_policies(unit: WorkUnit) -> Collected:
    """The project's org-policy chain: policies set on it and on each ancestor folder and organization."""
    conn = Connection.from_options(unit.options)
    project = unit.target.id
    requests = 0
    ancestors = list(unit.target.attrs.get("ancestors") or [])
    own, n = list_assets(conn, f"projects/{project}", "ORG_POLICY", (T.PROJECT,))
    requests += n
    if not ancestors and own:
        ancestors = own[0].get("ancestors") or []
    if not ancestors:
        found, n = list_assets(conn, f"projects/{project}", "RESOURCE", (T.PROJECT,))
        requests += n
        ancestors = found[0].get("ancestors", []) if found else [f"projects/{project}"]
    above = [a for a in ancestors if not a.startswith("projects/")]
    nodes: dict[str, list[dict[str, Any]]] = {}
    if above:
        nodes, n = _node_policies(conn, above[-1], str(unit.options.get("sweep_id", "")))
        requests += n
    chain = [{"node": node, "policies": nodes.get(node, [])} for node in reversed(above)]
    chain.append({"node": ancestors[0] if ancestors else f"projects/{project}",
                  "policies": own[0].get("orgPolicy", []) if own else []})
    resource = Resource(PROVIDER, project, "global", T.ORG_POLICY,
                        f"//cloudresourcemanager.googleapis.com/projects/{project}/effectiveOrgPolicies",
                        name=f"{project} org policies", properties={"chain": chain, "ancestors": ancestors})
    return Collected(unit, resources=[resource], requests=requests)


def collect_findings(unit: WorkUnit) -> Collected:
    """The project's active Security Command Center findings (CRITICAL and HIGH kept in full)."""
    conn = Connection.from_options(unit.options)
    client, counter = scc_client(conn)
    before = counter.count
    project = unit.target.id
    kept: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    try:
        pager = client.list_findings(
            request={"parent": f"projects/{project}/sources/-", "filter": 'state="ACTIVE"',
                     "page_size": int(unit.options.get("findings_page_size", FINDINGS_PAGE_SIZE))},
            retry=retry_policy(conn), timeout=conn.request_timeout)
        for result in pager:
            finding = result.finding
            severity = finding.severity.name
            counts[severity] = counts.get(severity, 0) + 1
            if severity in ("CRITICAL", "HIGH"):
                created = finding.create_time or finding.event_time
                kept.append({"name": finding.name, "category": finding.category, "severity": severity,
                             "resource": finding.resource_name, "mute": finding.mute.name,
                             "created": created.isoformat() if created else ""})
    finally:
        requests = counter.count - before
    resource = Resource(PROVIDER, project, "global", T.SCC_FINDINGS,
                        f"//securitycenter.googleapis.com/projects/{project}/sources/-/findings",
                        name=f"{project} active findings", properties={"findings": kept, "counts": counts})
    return Collected(unit, resources=[resource], requests=requests)


def discover_projects(conn: Connection, scope: str) -> tuple[list[dict[str, Any]], int]:
    """Active projects under ``organizations/N`` or ``folders/N`` (id, number, ancestors, labels)."""
    if not re.fullmatch(r"(organizations|folders)/\d+", scope):
        from trustsweep.errors import UserError

        raise UserError(f"--gcp-scope {scope!r}: expected organizations/NUMBER or folders/NUMBER")
    assets, n = list_assets(conn, scope, "RESOURCE", (T.PROJECT,))
    out = []
    for asset in assets:
        data = (asset.get("resource") or {}).get("data") or {}
        if data.get("lifecycleState", "ACTIVE") != "ACTIVE" or not data.get("projectId"):
            continue
        out.append({"id": data["projectId"], "number": str(data.get("projectNumber", "")),
                    "ancestors": asset.get("ancestors", []), "labels": data.get("labels") or {}})
    return sorted(out, key=lambda p: p["id"]), n
