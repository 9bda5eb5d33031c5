"""Network exposure: NSG admin ports, storage public access and firewall, SQL firewall."""

from __future__ import annotations

from typing import Any

from trustsweep.plugin import CheckContext, Outcome, Resource, check, failed, passed, unread

from .. import types as T

ANYWHERE = {"*", "internet", "0.0.0.0/0", "0.0.0.0", "any", "::/0", "<nw>/0", "/0"}
ADMIN_PORTS = (22, 3389)


def _ports(rule: dict[str, Any]) -> list[tuple[int, int]]:
    out = []
    for item in rule.get("destination_ports") or []:
        text = str(item).strip()
        if text in ("*", ""):
            out.append((0, 65535))
        elif "-" in text:
            low, _, high = text.partition("-")
            out.append((int(low), int(high)))
        else:
            out.append((int(text), int(text)))
    return out


def open_rules(rules: list[dict[str, Any]]) -> list[str]:
    """Inbound Allow rules from anywhere to 22, 3389 or every port (rules as the collector gives them)."""
    found = []
    for rule in rules:
        if str(rule.get("direction", "")).lower() != "inbound" or str(rule.get("access", "")).lower() != "allow":
            continue
        if str(rule.get("protocol") or "*").lower() == "icmp":
            continue
        if not {str(s).lower() for s in rule.get("source_prefixes") or []} & ANYWHERE:
            continue
        ranges = _ports(rule)
        if any(lo <= 0 and hi >= 65535 for lo, hi in ranges) or any(
            lo <= p <= hi for lo, hi in ranges for p in ADMIN_PORTS
        ):
            found.append(str(rule.get("name")))
    return found


@check(
    "azure.network.nsg_no_open_admin_ports",
    title="No NSG rule allows the Internet to SSH, RDP or all ports",
    types=T.NSG,
    severity="high",
    rationale="Administrative ports open to the Internet are brute-forced within minutes.",
    remediation="Restrict the source to known ranges or use Bastion / just-in-time access.",
)
def network_nsg_no_open_admin_ports(resource: Resource, ctx: CheckContext) -> Outcome:
    found = open_rules(resource.properties.get("security_rules") or [])
    if found:
        return failed("rules allow the Internet to SSH, RDP or every port", rules=found)
    return passed("no rule allows the Internet to SSH, RDP or every port")


@check(
    "azure.storage.no_public_blob",
    title="Storage accounts disallow anonymous blob access",
    types=T.STORAGE_ACCOUNT,
    severity="high",
    rationale="Anonymous containers leak data.",
    remediation="Set allowBlobPublicAccess to false.",
)
def storage_no_public_blob(resource: Resource, ctx: CheckContext) -> Outcome:
    value = resource.properties.get("public_blob_access")
    if value is False:
        return passed("anonymous blob access is disallowed")
    return failed(
        "anonymous blob access is " + ("allowed" if value else "not explicitly disallowed"), public_blob_access=value
    )


@check(
    "azure.storage.default_network_deny",
    title="Storage account firewalls deny by default",
    types=T.STORAGE_ACCOUNT,
    severity="medium",
    rationale="An open firewall exposes the account to every network.",
    remediation="Set networkAcls.defaultAction to Deny and allow the networks that need access.",
)
def storage_default_network_deny(resource: Resource, ctx: CheckContext) -> Outcome:
    action = resource.properties.get("network_default_action")
    if str(action).lower() == "deny":
        return passed("the storage firewall denies by default")
    return failed(f"the storage firewall's default action is {action}", network_default_action=action)


@check(
    "azure.sql.no_open_firewall",
    title="No SQL firewall rule admits 0.0.0.0–255.255.255.255",
    types=T.SQL_SERVER,
    severity="high",
    rationale="A rule admitting every address exposes the database to the Internet.",
    remediation="Delete the rule; allow only the addresses that need access.",
)
def sql_no_open_firewall(resource: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(resource, "firewall_rules")) is not None:
        return bad
    rules = resource.properties.get("firewall_rules") or []
    wide = [r.get("name") for r in rules if r.get("start_ip") == "0.0.0.0" and r.get("end_ip") == "255.255.255.255"]
    if wide:
        return failed("a firewall rule admits every IPv4 address", rules=wide)
    return passed("no firewall rule admits every IPv4 address", rules=len(rules))
