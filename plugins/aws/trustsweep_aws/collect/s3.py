"""S3 (global listing, once per account): the account's public access block and every bucket's
encryption, policy (TLS-only), public access block, access logging and Object Lock.

The bucket policy itself is not kept: only the facts the checks need.
"""

from __future__ import annotations

from typing import Any

from trustsweep.plugin import iso

from .. import iampolicy
from .base import GLOBAL, AwsCollector, error_code

BUCKET = "aws.s3.bucket"
ACCOUNT = "aws.s3.account-settings"
TYPES = (BUCKET, ACCOUNT)
REGIONAL = False

# error codes that mean "not configured", not "could not read"
_ABSENT = {
    "encryption": "ServerSideEncryptionConfigurationNotFoundError",
    "policy": "NoSuchBucketPolicy",
    "public_access_block": "NoSuchPublicAccessBlockConfiguration",
    "object_lock": "ObjectLockConfigurationNotFoundError",
}
#: Block Public Access switches: API field → property
BLOCK_KEYS = {
    "BlockPublicAcls": "block_public_acls",
    "IgnorePublicAcls": "ignore_public_acls",
    "BlockPublicPolicy": "block_public_policy",
    "RestrictPublicBuckets": "restrict_public_buckets",
}


def public_access_block(config: dict[str, Any] | None) -> dict[str, bool]:
    """A PublicAccessBlockConfiguration as ``{block_public_acls: ..., ...}`` (empty when none is set)."""
    return {prop: bool(config[api]) for api, prop in BLOCK_KEYS.items() if config and api in config}


class _Gone(Exception):
    """The bucket was deleted after it was listed."""


def _read(ctx: AwsCollector, unread: dict[str, Any], field: str, call: Any, **kwargs: Any) -> Any:
    """``call(**kwargs)``; None when the setting is absent, or when it could not be read (``field`` unread)."""
    try:
        return call(**kwargs)
    except Exception as exc:
        code = error_code(exc)
        if code == "NoSuchBucket":
            raise _Gone(ctx.describe(exc)) from None
        if code == _ABSENT.get(field):
            return None
        ctx.unread(unread, field, exc)  # this bucket's field is unread; its other fields still count
        return None


def _bucket(ctx: AwsCollector, item: dict[str, Any]) -> None:
    try:
        _read_bucket(ctx, item)
    except _Gone as gone:
        ctx.vanished(
            BUCKET,
            f"arn:{ctx.partition}:s3:::{item['Name']}",
            item["Name"],
            str(gone),
            region=item.get("BucketRegion") or GLOBAL,
        )


def _read_bucket(ctx: AwsCollector, item: dict[str, Any]) -> None:
    name = item["Name"]
    region = item.get("BucketRegion")
    props: dict[str, Any] = {}
    if not region:
        located = _read(ctx, props, "location", ctx.client("s3").get_bucket_location, Bucket=name)
        region = (located or {}).get("LocationConstraint") or "us-east-1"
        if region == "EU":
            region = "eu-west-1"
    s3 = ctx.client("s3", region)
    enc = _read(ctx, props, "encryption", s3.get_bucket_encryption, Bucket=name)
    rules = ((enc or {}).get("ServerSideEncryptionConfiguration") or {}).get("Rules") or []
    algorithms = [r.get("ApplyServerSideEncryptionByDefault", {}).get("SSEAlgorithm") for r in rules]
    policy = _read(ctx, props, "policy", s3.get_bucket_policy, Bucket=name)
    pab = _read(ctx, props, "public_access_block", s3.get_public_access_block, Bucket=name)
    logging = _read(ctx, props, "logging", s3.get_bucket_logging, Bucket=name)
    lock = _read(ctx, props, "object_lock", s3.get_object_lock_configuration, Bucket=name)
    lock_cfg = (lock or {}).get("ObjectLockConfiguration") or {}
    retention = (lock_cfg.get("Rule") or {}).get("DefaultRetention") or {}
    ctx.add(
        BUCKET,
        f"arn:{ctx.partition}:s3:::{name}",
        name,
        region=region,
        created=iso(item.get("CreationDate")),
        encryption=[a for a in algorithms if a],
        has_policy=policy is not None,
        tls_only=iampolicy.denies_insecure_transport((policy or {}).get("Policy")),
        public_access_block=public_access_block((pab or {}).get("PublicAccessBlockConfiguration")),
        logging_target=((logging or {}).get("LoggingEnabled") or {}).get("TargetBucket"),
        object_lock=lock_cfg.get("ObjectLockEnabled") == "Enabled",
        object_lock_mode=retention.get("Mode", ""),
        object_lock_days=retention.get("Days") or (retention.get("Years") or 0) * 365 or None,
        **props,
    )


def collect(ctx: AwsCollector) -> None:
    control = ctx.client("s3control")
    account: dict[str, Any] = {}
    try:
        block = control.get_public_access_block(AccountId=ctx.account)["PublicAccessBlockConfiguration"]
    except Exception as exc:
        if error_code(exc) != "NoSuchPublicAccessBlockConfiguration":
            ctx.unread(account, "public_access_block", exc)
        block = {}
    ctx.add(
        ACCOUNT,
        f"arn:{ctx.partition}:s3::{ctx.account}:account",
        "S3 account settings",
        region=GLOBAL,
        public_access_block=public_access_block(block),
        **account,
    )
    buckets = ctx.client("s3").list_buckets().get("Buckets") or []
    ctx.map(lambda item: _bucket(ctx, item), buckets)
