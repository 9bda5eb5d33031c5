"""S3 (global listing, once per account): the account's public access block and every bucket's
encryption, policy (TLS-only), public access block, access logging and Object Lock.

The bucket policy itself is not kept: only the facts the checks need.
"""

from __future__ import annotations

from typing import Any

from trustsweep.unread import vanished

from .. import iampolicy
from .base import GLOBAL, Ctx, collector, describe_error, error_code, iso

BUCKET = "aws.s3.bucket"
ACCOUNT = "aws.s3.account-settings"
TYPES = (BUCKET, ACCOUNT)

# error codes that mean "not configured", not "could not read"
_ABSENT = {
    "encryption": "ServerSideEncryptionConfigurationNotFoundError",
    "policy": "NoSuchBucketPolicy",
    "public_access_block": "NoSuchPublicAccessBlockConfiguration",
    "object_lock": "ObjectLockConfigurationNotFoundError",
}


class _Gone(Exception):
    """The bucket was deleted after it was listed."""


def _read(bucket: dict[str, Any], errors: dict[str, str], field: str, call: Any, **kwargs: Any) -> Any:
    try:
        return call(**kwargs)
    except Exception as exc:
        code = error_code(exc)
        if code == "NoSuchBucket":
            raise _Gone(describe_error(exc)) from None
        if code == _ABSENT.get(field):
            return None
        errors[field] = describe_error(exc)  # this bucket's field is unread; its other fields still count
        return None


def _bucket(ctx: Ctx, item: dict[str, Any]) -> None:
    try:
        _read_bucket(ctx, item)
    except _Gone as gone:
        ctx.add(BUCKET, f"arn:{ctx.partition}:s3:::{item['Name']}", item["Name"],
                region=item.get("BucketRegion") or GLOBAL, **vanished({}, str(gone)))


def _read_bucket(ctx: Ctx, item: dict[str, Any]) -> None:
    name = item["Name"]
    region = item.get("BucketRegion")
    errors: dict[str, str] = {}
    if not region:
        located = _read(item, errors, "location", ctx.client("s3").get_bucket_location, Bucket=name)
        region = (located or {}).get("LocationConstraint") or "us-east-1"
        if region == "EU":
            region = "eu-west-1"
    s3 = ctx.client("s3", region)
    enc = _read(item, errors, "encryption", s3.get_bucket_encryption, Bucket=name)
    rules = ((enc or {}).get("ServerSideEncryptionConfiguration") or {}).get("Rules") or []
    algorithms = [r.get("ApplyServerSideEncryptionByDefault", {}).get("SSEAlgorithm") for r in rules]
    policy = _read(item, errors, "policy", s3.get_bucket_policy, Bucket=name)
    pab = _read(item, errors, "public_access_block", s3.get_public_access_block, Bucket=name)
    logging = _read(item, errors, "logging", s3.get_bucket_logging, Bucket=name)
    lock = _read(item, errors, "object_lock", s3.get_object_lock_configuration, Bucket=name)
    lock_cfg = (lock or {}).get("ObjectLockConfiguration") or {}
    ctx.add(BUCKET, f"arn:{ctx.partition}:s3:::{name}", name, region=region,
            created=iso(item.get("CreationDate")),
            encryption=[a for a in algorithms if a],
            has_policy=policy is not None,
            tls_only=iampolicy.denies_insecure_transport((policy or {}).get("Policy")),
            public_access_block=(pab or {}).get("PublicAccessBlockConfiguration") or {},
            logging_target=((logging or {}).get("LoggingEnabled") or {}).get("TargetBucket"),
            object_lock=lock_cfg.get("ObjectLockEnabled") == "Enabled",
            object_lock_rule=lock_cfg.get("Rule") or {},
            unread=errors)


@collector
def collect(ctx: Ctx) -> None:
    control = ctx.client("s3control")
    errors: dict[str, str] = {}
    try:
        block = control.get_public_access_block(AccountId=ctx.account)["PublicAccessBlockConfiguration"]
    except Exception as exc:
        if error_code(exc) != "NoSuchPublicAccessBlockConfiguration":
            errors["public_access_block"] = describe_error(exc)
        block = {}
    ctx.add(ACCOUNT, f"arn:{ctx.partition}:s3::{ctx.account}:account", "S3 account settings", region=GLOBAL,
            public_access_block=block, unread=errors)
    buckets = ctx.client("s3").list_buckets().get("Buckets") or []
    ctx.map(lambda item: _bucket(ctx, item), buckets)
