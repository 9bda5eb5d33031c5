"""Cloud Storage buckets (``storage.googleapis.com/Bucket``) as properties."""

from __future__ import annotations

from typing import Any

from .convert import days, labels


def bucket(data: dict[str, Any]) -> dict[str, Any]:
    """What the checks read of a bucket (see docs/gcp.md, "what each resource type holds")."""
    iam = data.get("iamConfiguration") or {}
    uniform = iam.get("uniformBucketLevelAccess") or iam.get("bucketPolicyOnly") or {}
    retention = data.get("retentionPolicy") or {}
    return {
        "uniform_access": uniform.get("enabled") is True,
        "public_access_prevention": str(iam.get("publicAccessPrevention") or "unspecified"),
        "retention_days": days(retention.get("retentionPeriod")),
        "locked": retention.get("isLocked") is True,
        "cmk": str((data.get("encryption") or {}).get("defaultKmsKeyName") or ""),
        "versioning": (data.get("versioning") or {}).get("enabled") is True,
        "logging_bucket": str((data.get("logging") or {}).get("logBucket") or ""),
        "storage_class": str(data.get("storageClass") or ""),
        "labels": labels(data.get("labels")),
    }
