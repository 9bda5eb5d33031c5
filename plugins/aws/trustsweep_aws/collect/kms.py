"""KMS (per region): customer-managed keys and whether their rotation is on."""

from __future__ import annotations

from typing import Any

from trustsweep.plugin import iso

from .base import AwsCollector, error_code, paginate

KEY = "aws.kms.key"
TYPES = (KEY,)
REGIONAL = True


def _key(ctx: AwsCollector, kms: Any, item: dict[str, Any]) -> None:
    try:
        meta = kms.describe_key(KeyId=item["KeyId"])["KeyMetadata"]
    except Exception as exc:  # one key, not the region's keys
        arn = item.get("KeyArn") or ctx.arn("kms", f"key/{item['KeyId']}", ctx.region)
        if error_code(exc) == "NotFoundException":
            ctx.vanished(KEY, arn, item["KeyId"], exc)
        else:
            ctx.unreadable(KEY, arn, item["KeyId"], exc)
        return
    if meta.get("KeyManager") != "CUSTOMER":
        return  # AWS-managed keys rotate automatically
    state = meta.get("KeyState", "")
    symmetric = meta.get("KeySpec", "SYMMETRIC_DEFAULT") == "SYMMETRIC_DEFAULT"
    key = ctx.add(
        KEY,
        meta["Arn"],
        meta.get("Description") or meta["KeyId"],
        state=state,
        symmetric=symmetric,
        origin=meta.get("Origin", ""),
        rotation_enabled=None,
        created=iso(meta.get("CreationDate")),
    )
    if state == "Enabled" and symmetric and meta.get("Origin") == "AWS_KMS":
        try:
            status = kms.get_key_rotation_status(KeyId=item["KeyId"])
            key.properties["rotation_enabled"] = bool(status.get("KeyRotationEnabled"))
        except Exception as exc:
            ctx.unread(key, "rotation", exc)


def collect(ctx: AwsCollector) -> None:
    kms = ctx.client("kms")
    ctx.map(lambda item: _key(ctx, kms, item), paginate(kms, "list_keys", "Keys"))
