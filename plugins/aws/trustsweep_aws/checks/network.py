"""Network exposure: security groups, public databases, S3 public access."""

from __future__ import annotations

from typing import Any

from trustsweep.plugin import CheckContext, Outcome, Resource, check, failed, passed, setting, unread

#: the four Block Public Access switches, as the collectors name them
BLOCK_KEYS = ("block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets")


def _covers(rule: dict[str, Any], port: int) -> bool:
    if rule.get("protocol") == "-1":
        return True
    if rule.get("protocol") not in ("tcp", "6"):
        return False
    low, high = rule.get("from"), rule.get("to")
    return low is not None and high is not None and int(low) <= port <= int(high)


@check(
    "aws.ec2.security_group_ingress",
    title="No security group is open to the internet on 22, 3389 or all ports",
    types="aws.ec2.security-group",
    severity="high",
    rationale="Admin ports open to the world are attacked within minutes.",
    remediation="Restrict ingress to known ranges or use SSM Session Manager.",
    settings={
        "admin_ports": setting(
            "list[int]", (22, 3389), "TCP ports that must not be open to the internet", min=1, max=65535
        )
    },
)
def ec2_security_group_ingress(r: Resource, ctx: CheckContext) -> Outcome:
    ports = ctx.setting("admin_ports")
    bad = []
    for rule in r.properties.get("open_ingress") or []:
        everything = rule.get("protocol") == "-1" or (
            rule.get("from") in (0, None) and rule.get("to") in (65535, None) and rule.get("protocol") in ("tcp", "6")
        )
        hits = [p for p in ports if _covers(rule, p)]
        if everything or hits:
            bad.append({**rule, "ports": "all" if everything else hits})
    if bad:
        return failed("open to the internet on " + ", ".join(f"{b['ports']} from {b['cidr']}" for b in bad), rules=bad)
    return passed("no admin or all-port ingress from the internet")


@check(
    "aws.rds.not_public",
    title="No RDS instance is publicly accessible",
    types="aws.rds.instance",
    severity="high",
    rationale="Databases belong on private networks.",
    remediation="Set PubliclyAccessible to false.",
)
def rds_not_public(r: Resource, ctx: CheckContext) -> Outcome:
    if r.properties.get("publicly_accessible"):
        return failed("publicly accessible")
    return passed("not publicly accessible")


def _missing(config: dict[str, Any]) -> list[str]:
    return [k for k in BLOCK_KEYS if not config.get(k)]


@check(
    "aws.s3.account_public_access_block",
    title="S3 public access is blocked at account level",
    types="aws.s3.account-settings",
    severity="high",
    rationale="One switch prevents any bucket from becoming public.",
    remediation="Turn on all four account-level Block Public Access settings.",
)
def s3_account_public_access_block(r: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(r, "public_access_block")) is not None:
        return bad
    missing = _missing(r.properties.get("public_access_block") or {})
    if missing:
        return failed("account-level S3 public access block incomplete", missing=missing)
    return passed("account-level S3 public access block on")


@check(
    "aws.s3.bucket_public_access_block",
    title="S3 public access is blocked on every bucket",
    types="aws.s3.bucket",
    severity="medium",
    rationale="Defence in depth if the account setting changes.",
    remediation="Turn on all four bucket-level Block Public Access settings.",
)
def s3_bucket_public_access_block(r: Resource, ctx: CheckContext) -> Outcome:
    if (bad := unread(r, "public_access_block")) is not None:
        return bad
    missing = _missing(r.properties.get("public_access_block") or {})
    if missing:
        return failed("bucket public access block incomplete", missing=missing)
    return passed("bucket public access block on")
