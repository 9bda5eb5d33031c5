"""Network exposure: security groups, public databases, S3 public access."""

from __future__ import annotations

from trustsweep.model import Outcome, Resource, failed, passed
from trustsweep.provider import CheckContext

from .common import unread

BLOCK_KEYS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")


def _covers(rule: dict, port: int) -> bool:
    if rule.get("protocol") == "-1":
        return True
    if rule.get("protocol") not in ("tcp", "6"):
        return False
    low, high = rule.get("from"), rule.get("to")
    return low is not None and high is not None and int(low) <= port <= int(high)


def security_group_ingress(r: Resource, ctx: CheckContext) -> Outcome:
    ports = ctx.setting("admin_ports")
    bad = []
    for rule in r.properties.get("open_ingress") or []:
        everything = rule.get("protocol") == "-1" or (rule.get("from") in (0, None) and rule.get("to") in (65535, None)
                                                      and rule.get("protocol") in ("tcp", "6"))
        hits = [p for p in ports if _covers(rule, p)]
        if everything or hits:
            bad.append({**rule, "ports": "all" if everything else hits})
    if bad:
        return failed("open to the internet on " + ", ".join(f"{b['ports']} from {b['cidr']}" for b in bad), rules=bad)
    return passed("no admin or all-port ingress from the internet")


def rds_not_public(r: Resource, ctx: CheckContext) -> Outcome:
    if r.properties.get("publicly_accessible"):
        return failed("publicly accessible")
    return passed("not publicly accessible")


def _block(config: dict) -> list[str]:
    return [k for k in BLOCK_KEYS if not config.get(k)]


def account_public_access_block(r: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(r, "public_access_block")) is not None:
        return bad
    missing = _block(r.properties.get("public_access_block") or {})
    if missing:
        return failed("account-level S3 public access block incomplete", missing=missing)
    return passed("account-level S3 public access block on")


def bucket_public_access_block(r: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(r, "public_access_block")) is not None:
        return bad
    missing = _block(r.properties.get("public_access_block") or {})
    if missing:
        return failed("bucket public access block incomplete", missing=missing)
    return passed("bucket public access block on")
