"""The ``orgpolicy`` unit: each project's org-policy chain (organization → folders → project).

ORG_POLICY at a project lists only the policies set *on* it, so the organization's and folders'
policies are read too. The unit is a shared unit (:meth:`..provider.GcpProvider.shared_work`): its
members are the projects under one top ancestor (or every project whose ancestry is unknown until
read), so those policies are read once per top ancestor per sweep and held only while the unit
runs. Policies are kept as snake_case dicts (:func:`org_policy`).
"""

from __future__ import annotations

from typing import Any

from trustsweep.plugin import Target

from .. import types as T
from .base import GcpCollector

TYPES = (T.ORG_POLICY,)


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


def _above(ancestors: list[str]) -> list[str]:
    """The organization and folders of an ancestry (nearest first), without the project."""
    return [a for a in ancestors if not a.startswith("projects/")]


def _own(ctx: GcpCollector, member: Target) -> tuple[list[str], dict[str, Any] | None]:
    """A project's ancestry (from discovery, else read) and its own ORG_POLICY asset."""
    project = member.id
    ancestors = list(member.attrs.get("ancestors") or [])
    own = ctx.list_assets(f"projects/{project}", "ORG_POLICY", (T.PROJECT,))
    if not ancestors and own:
        ancestors = own[0].get("ancestors") or []
    if not ancestors:
        found = ctx.list_assets(f"projects/{project}", "RESOURCE", (T.PROJECT,))
        ancestors = found[0].get("ancestors", []) if found else [f"projects/{project}"]
    return ancestors, (own[0] if own else None)


def collect(ctx: GcpCollector) -> None:
    """One resource per member project: the chain of nodes from the organization down, each with its policies.

    A failed read of one project's own policies errors that project; a failed read at a top
    ancestor errors the projects under it.
    """

    def read(member: Target) -> tuple[list[str], dict[str, Any] | None] | BaseException:
        try:
            return _own(ctx, member)
        except Exception as exc:
            return exc

    members = list(ctx.members)
    owns = ctx.map(read, members)
    nodes: dict[str, dict[str, list[dict[str, Any]]] | BaseException] = {}
    for got in owns:
        if not isinstance(got, BaseException) and _above(got[0]):
            top = _above(got[0])[-1]
            if top not in nodes:
                try:
                    assets = ctx.list_assets(top, "ORG_POLICY", (T.ORGANIZATION, T.FOLDER))
                    nodes[top] = {a["name"].split(".googleapis.com/", 1)[-1]: _policies(a) for a in assets}
                except Exception as exc:
                    nodes[top] = exc
    for member, got in zip(members, owns, strict=True):
        if isinstance(got, BaseException):
            ctx.fail(TYPES, got, target=member.id)
            continue
        ancestors, own = got
        above = _above(ancestors)
        policies = nodes.get(above[-1], {}) if above else {}
        if isinstance(policies, BaseException):
            ctx.fail(TYPES, policies, target=member.id)
            continue
        chain = [{"node": node, "policies": policies.get(node, [])} for node in reversed(above)]
        chain.append({"node": ancestors[0] if ancestors else f"projects/{member.id}", "policies": _policies(own)})
        ctx.add(
            T.ORG_POLICY,
            f"//cloudresourcemanager.googleapis.com/projects/{member.id}/effectiveOrgPolicies",
            f"{member.id} org policies",
            target=member.id,
            chain=chain,
            ancestors=ancestors,
        )
