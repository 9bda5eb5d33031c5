"""Network exposure: firewall rules, Cloud SQL reachability, bucket access controls."""

from __future__ import annotations

from trustsweep.model import Outcome, Resource, failed, not_applicable, passed
from trustsweep.provider import CheckContext

from .. import types as T
from ._util import data

_ANYWHERE = ("0.0.0.0/0", "::/0")
_ADMIN_PORTS = (22, 3389)


def _covers(ports: list[str], port: int) -> bool:
    for item in ports:
        low, _, high = str(item).partition("-")
        if int(low) <= port <= int(high or low):
            return True
    return False


def firewall_no_open_admin_ports(resource: Resource, ctx: CheckContext) -> Outcome:
    """No enabled ingress rule allows 0.0.0.0/0 (or ::/0) to port 22, 3389 or all ports."""
    d = data(resource)
    if d.get("direction", "INGRESS") != "INGRESS" or d.get("disabled"):
        return not_applicable("egress or disabled rule")
    if not set(d.get("sourceRanges") or []) & set(_ANYWHERE):
        return passed("rule is not open to the internet")
    exposed: list[str] = []
    for allowed in d.get("allowed") or []:
        proto = str(allowed.get("IPProtocol") or allowed.get("ipProtocol") or "").lower()
        ports = allowed.get("ports") or []
        if proto == "all" or (proto in ("tcp", "udp", "sctp") and not ports):
            exposed.append(f"{proto} all ports")
        elif proto in ("tcp", "6"):
            exposed.extend(f"tcp/{p}" for p in _ADMIN_PORTS if _covers(ports, p))
        elif proto == "udp" and _covers(ports, 3389):
            exposed.append("udp/3389")
    if exposed:
        return failed(f"open to the internet on {', '.join(exposed)}", exposed=exposed,
                      sourceRanges=d.get("sourceRanges"))
    return passed("open to the internet only on non-administrative ports")


def sql_no_public_access(resource: Resource, ctx: CheckContext) -> Outcome:
    """Cloud SQL has no public IP, or its public IP admits no 0.0.0.0/0 authorised network."""
    ip = (data(resource).get("settings") or {}).get("ipConfiguration") or {}
    if ip.get("ipv4Enabled") is False:
        return passed("no public IP")
    open_nets = [n.get("value") for n in ip.get("authorizedNetworks") or [] if n.get("value") in _ANYWHERE]
    if open_nets:
        return failed("public IP open to 0.0.0.0/0", authorizedNetworks=open_nets)
    return passed("public IP restricted to specific authorised networks",
                  authorizedNetworks=[n.get("value") for n in ip.get("authorizedNetworks") or []])


def bucket_uniform_access(resource: Resource, ctx: CheckContext) -> Outcome:
    """Buckets use uniform bucket-level access (no per-object ACLs)."""
    config = data(resource).get("iamConfiguration") or {}
    ubla = config.get("uniformBucketLevelAccess") or config.get("bucketPolicyOnly") or {}
    if ubla.get("enabled") is True:
        return passed("uniform bucket-level access enabled")
    return failed("uniform bucket-level access disabled: object ACLs can grant access")


def _org_enforces(ctx: CheckContext, constraint: str) -> str:
    """The node whose boolean org policy enforces ``constraint`` for this project, or ''."""
    enforced_at = ""
    for chain in ctx.resources(T.ORG_POLICY):
        for node in chain.properties.get("chain") or []:
            for policy in node.get("policies") or []:
                if policy.get("constraint") != constraint:
                    continue
                if policy.get("restoreDefault") is not None:
                    enforced_at = ""
                elif "booleanPolicy" in policy:
                    enforced_at = node["node"] if policy["booleanPolicy"].get("enforced") else ""
    return enforced_at


def bucket_public_access_prevention(resource: Resource, ctx: CheckContext) -> Outcome:
    """Buckets enforce public access prevention, themselves or through the inherited org policy."""
    value = (data(resource).get("iamConfiguration") or {}).get("publicAccessPrevention") or "unspecified"
    if value == "enforced":
        return passed("public access prevention enforced")
    if value in ("inherited", "unspecified"):
        node = _org_enforces(ctx, "constraints/storage.publicAccessPrevention")
        if node:
            return passed(f"public access prevention {value}, enforced by org policy on {node}")
        return failed(f"public access prevention is {value} and no org policy enforces it",
                      publicAccessPrevention=value)
    return failed(f"public access prevention is {value}", publicAccessPrevention=value)
