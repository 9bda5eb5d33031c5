"""Network exposure: NSG admin ports, storage public access and firewall, SQL firewall."""

from __future__ import annotations

from typing import Any

from trustsweep.model import Outcome, Resource, failed, passed
from trustsweep.provider import CheckContext
from trustsweep.unread import unread

from ._util import as_list

ANYWHERE = {"*", "internet", "0.0.0.0/0", "0.0.0.0", "any", "::/0", "<nw>/0", "/0"}
ADMIN_PORTS = (22, 3389)


def _ports(props: dict[str, Any]) -> list[tuple[int, int]]:
    out = []
    for item in as_list(props.get("destinationPortRange")) + as_list(props.get("destinationPortRanges")):
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
    """Inbound Allow rules from anywhere to 22, 3389 or every port."""
    found = []
    for rule in rules:
        props = rule.get("properties") or rule
        if str(props.get("direction", "")).lower() != "inbound" or str(props.get("access", "")).lower() != "allow":
            continue
        if str(props.get("protocol", "*")).lower() in ("icmp",):
            continue
        sources = {str(s).lower() for s in as_list(props.get("sourceAddressPrefix")) + as_list(props.get("sourceAddressPrefixes"))}
        if not sources & ANYWHERE:
            continue
        ranges = _ports(props)
        if any(lo <= 0 and hi >= 65535 for lo, hi in ranges) or any(lo <= p <= hi for lo, hi in ranges for p in ADMIN_PORTS):
            found.append(str(rule.get("name")))
    return found


def nsg_admin_ports(resource: Resource, ctx: CheckContext) -> Outcome:
    found = open_rules(resource.properties.get("securityRules") or [])
    if found:
        return failed("rules allow the Internet to SSH, RDP or every port", rules=found)
    return passed("no rule allows the Internet to SSH, RDP or every port")


def storage_public_blob(resource: Resource, ctx: CheckContext) -> Outcome:
    value = resource.properties.get("allowBlobPublicAccess")
    if value is False:
        return passed("anonymous blob access is disallowed")
    return failed("anonymous blob access is " + ("allowed" if value else "not explicitly disallowed"),
                  allowBlobPublicAccess=value)


def storage_default_deny(resource: Resource, ctx: CheckContext) -> Outcome:
    action = (resource.properties.get("networkAcls") or {}).get("defaultAction")
    if str(action).lower() == "deny":
        return passed("the storage firewall denies by default")
    return failed(f"the storage firewall's default action is {action}", defaultAction=action)


def sql_open_firewall(resource: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(resource, "firewallRules")) is not None:
        return bad
    wide = [r.get("name") for r in resource.properties.get("firewallRules") or []
            if r.get("startIpAddress") == "0.0.0.0" and r.get("endIpAddress") == "255.255.255.255"]
    if wide:
        return failed("a firewall rule admits every IPv4 address", rules=wide)
    return passed("no firewall rule admits every IPv4 address",
                  rules=len(resource.properties.get("firewallRules") or []))
