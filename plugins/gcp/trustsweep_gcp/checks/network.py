"""Network exposure: firewall rules, Cloud SQL reachability, bucket access controls."""

from __future__ import annotations

from trustsweep.plugin import CheckContext, Outcome, Resource, check, failed, not_applicable, passed, unread

from .. import types as T

_ANYWHERE = ("0.0.0.0/0", "::/0")
_ADMIN_PORTS = (22, 3389)
PAP_CONSTRAINT = "constraints/storage.publicAccessPrevention"


def _covers(ports: list[str], port: int) -> bool:
    for item in ports:
        low, _, high = str(item).partition("-")
        if int(low) <= port <= int(high or low):
            return True
    return False


@check(
    "gcp.network.firewall_no_open_admin_ports",
    title="No firewall rule open to the internet on 22, 3389 or all ports",
    types=T.FIREWALL,
    severity="high",
    rationale="SSH and RDP open to the internet are brute-forced constantly.",
    remediation="Restrict source ranges; use IAP TCP forwarding for administration.",
)
def network_firewall_no_open_admin_ports(resource: Resource, ctx: CheckContext) -> Outcome:
    """No enabled ingress rule allows 0.0.0.0/0 (or ::/0) to port 22, 3389 or all ports."""
    p = resource.properties
    if p.get("direction", "INGRESS") != "INGRESS" or p.get("disabled"):
        return not_applicable("egress or disabled rule")
    sources = p.get("source_ranges") or []
    if not set(sources) & set(_ANYWHERE):
        return passed("rule is not open to the internet")
    exposed: list[str] = []
    for allowed in p.get("allowed") or []:
        proto, ports = allowed.get("protocol") or "", allowed.get("ports") or []
        if proto == "all" or (proto in ("tcp", "udp", "sctp") and not ports):
            exposed.append(f"{proto} all ports")
        elif proto in ("tcp", "6"):
            exposed.extend(f"tcp/{port}" for port in _ADMIN_PORTS if _covers(ports, port))
        elif proto == "udp" and _covers(ports, 3389):
            exposed.append("udp/3389")
    if exposed:
        return failed(f"open to the internet on {', '.join(exposed)}", exposed=exposed, source_ranges=sources)
    return passed("open to the internet only on non-administrative ports")


@check(
    "gcp.sql.no_public_access",
    title="Cloud SQL not open to 0.0.0.0/0",
    types=T.SQL_INSTANCE,
    severity="high",
    rationale="A database reachable from anywhere invites credential attacks.",
    remediation="Use private IP, or authorise specific networks only.",
)
def sql_no_public_access(resource: Resource, ctx: CheckContext) -> Outcome:
    """Cloud SQL has no public IP, or its public IP admits no 0.0.0.0/0 authorised network."""
    p = resource.properties
    if not p.get("public_ip", True):
        return passed("no public IP")
    networks = p.get("authorized_networks") or []
    open_nets = [n for n in networks if n in _ANYWHERE]
    if open_nets:
        return failed("public IP open to 0.0.0.0/0", authorized_networks=open_nets)
    return passed("public IP restricted to specific authorised networks", authorized_networks=networks)


@check(
    "gcp.storage.uniform_access",
    title="Buckets use uniform bucket-level access",
    types=T.BUCKET,
    severity="medium",
    rationale="Object ACLs bypass IAM and are hard to review.",
    remediation="Enable uniform bucket-level access.",
)
def storage_uniform_access(resource: Resource, ctx: CheckContext) -> Outcome:
    """Buckets use uniform bucket-level access (no per-object ACLs)."""
    if (bad := unread(resource, "resource")) is not None:
        return bad
    if resource.properties.get("uniform_access"):
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
                if policy.get("restore_default"):
                    enforced_at = ""
                elif "enforced" in policy:
                    enforced_at = node["node"] if policy["enforced"] else ""
    return enforced_at


@check(
    "gcp.storage.public_access_prevention",
    title="Buckets enforce public access prevention",
    types=T.BUCKET,
    severity="high",
    rationale="Public access prevention stops accidental publication of data.",
    remediation="Set publicAccessPrevention to enforced (or enforce it by org policy).",
)
def storage_public_access_prevention(resource: Resource, ctx: CheckContext) -> Outcome:
    """Buckets enforce public access prevention, themselves or through the inherited org policy."""
    if (bad := unread(resource, "resource")) is not None:
        return bad
    value = resource.properties.get("public_access_prevention") or "unspecified"
    if value == "enforced":
        return passed("public access prevention enforced")
    if value in ("inherited", "unspecified"):
        node = _org_enforces(ctx, PAP_CONSTRAINT)
        if node:
            return passed(f"public access prevention {value}, enforced by org policy on {node}")
        return failed(
            f"public access prevention is {value} and no org policy enforces it", public_access_prevention=value
        )
    return failed(f"public access prevention is {value}", public_access_prevention=value)
