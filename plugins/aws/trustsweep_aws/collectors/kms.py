"""KMS (per region): customer-managed keys and whether their rotation is on."""

from __future__ import annotations

from typing import Any

from trustsweep.unread import WHOLE, mark, vanished

from .base import Ctx, collector, describe_error, error_code, iso, paginate

KEY = "aws.kms.key"
TYPES = (KEY,)


def _key(ctx: Ctx, kms: Any, item: dict[str, Any]) -> None:
    try:
        meta = kms.describe_key(KeyId=item["KeyId"])["KeyMetadata"]
    except Exception as exc:  # one key, not the region's keys
        props: dict[str, Any] = {}
        if error_code(exc) == "NotFoundException":
            vanished(props, describe_error(exc))
        else:
            mark(props, WHOLE, describe_error(exc))
        ctx.add(KEY, item.get("KeyArn") or ctx.arn("kms", f"key/{item['KeyId']}", ctx.region), item["KeyId"], **props)
        return
    if meta.get("KeyManager") != "CUSTOMER":
        return  # AWS-managed keys rotate automatically
    state = meta.get("KeyState", "")
    symmetric = meta.get("KeySpec", "SYMMETRIC_DEFAULT") == "SYMMETRIC_DEFAULT"
    rotation: bool | None = None
    errors: dict[str, str] = {}
    if state == "Enabled" and symmetric and meta.get("Origin") == "AWS_KMS":
        try:
            rotation = bool(kms.get_key_rotation_status(KeyId=item["KeyId"]).get("KeyRotationEnabled"))
        except Exception as exc:
            errors["rotation"] = describe_error(exc)
    ctx.add(KEY, meta["Arn"], meta.get("Description") or meta["KeyId"],
            state=state, symmetric=symmetric, origin=meta.get("Origin", ""),
            rotation_enabled=rotation, created=iso(meta.get("CreationDate")), unread=errors)


@collector
def collect(ctx: Ctx) -> None:
    kms = ctx.client("kms")
    ctx.map(lambda item: _key(ctx, kms, item), paginate(kms, "list_keys", "Keys"))
