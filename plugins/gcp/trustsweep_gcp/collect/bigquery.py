"""BigQuery datasets (``bigquery.googleapis.com/Dataset``) as properties."""

from __future__ import annotations

from typing import Any

from .convert import labels

# access-list entry fields → the member prefix IAM uses for them
_MEMBER_FIELDS = (
    ("specialGroup", ""),
    ("iamMember", ""),
    ("userByEmail", "user:"),
    ("groupByEmail", "group:"),
    ("domain", "domain:"),
)


def _member(entry: dict[str, Any]) -> str:
    for field, prefix in _MEMBER_FIELDS:
        if entry.get(field):
            return prefix + str(entry[field])
    for field in ("view", "routine", "dataset"):
        if entry.get(field):
            return f"{field}:{entry[field]}"
    return ""


def dataset(data: dict[str, Any]) -> dict[str, Any]:
    """What the checks read of a dataset; ``access`` is its legacy access list as ``{role, member}``."""
    expiry = data.get("defaultTableExpirationMs")
    return {
        "dataset_id": str((data.get("datasetReference") or {}).get("datasetId") or ""),
        "access": [{"role": str(e.get("role") or ""), "member": _member(e)} for e in data.get("access") or []],
        "cmk": str((data.get("defaultEncryptionConfiguration") or {}).get("kmsKeyName") or ""),
        "default_table_expiration_days": float(expiry) / 86_400_000 if expiry else None,
        "labels": labels(data.get("labels")),
    }
