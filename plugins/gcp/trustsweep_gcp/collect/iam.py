"""Projects, IAM policies and service-account keys as properties."""

from __future__ import annotations

from typing import Any

from trustsweep.plugin import iso

from .convert import labels, texts

# AuditLogConfig.LogType: export files (and older clients) send the number
_LOG_TYPES = {1: "ADMIN_READ", 2: "DATA_WRITE", 3: "DATA_READ"}


def project(data: dict[str, Any]) -> dict[str, Any]:
    """A project (``cloudresourcemanager.googleapis.com/Project``): its ids, state and labels."""
    return {
        "project_id": str(data.get("projectId") or ""),
        "project_number": str(data.get("projectNumber") or ""),
        "lifecycle_state": str(data.get("lifecycleState") or ""),
        "labels": labels(data.get("labels")),
    }


def _log_type(value: Any) -> str:
    return _LOG_TYPES.get(value, str(value)) if isinstance(value, int) else str(value or "")


def iam_policy(policy: dict[str, Any]) -> dict[str, Any]:
    """An IAM policy: ``iam_bindings`` ({role, members}) and, on a project, ``audit_configs``."""
    out: dict[str, Any] = {
        "iam_bindings": [
            {"role": str(b.get("role") or ""), "members": texts(b.get("members"))} for b in policy.get("bindings") or []
        ]
    }
    if "auditConfigs" in policy:
        out["audit_configs"] = [
            {
                "service": str(c.get("service") or ""),
                "log_types": [_log_type(lc.get("logType")) for lc in c.get("auditLogConfigs") or []],
                "exempted_members": sorted(
                    {m for lc in c.get("auditLogConfigs") or [] for m in texts(lc.get("exemptedMembers"))}
                ),
            }
            for c in policy.get("auditConfigs") or []
        ]
    return out


def sa_key(data: dict[str, Any]) -> dict[str, Any]:
    """A service-account key (``iam.googleapis.com/ServiceAccountKey``): never its key material."""
    name = str(data.get("name") or "")
    account = name.split("/serviceAccounts/", 1)[-1].split("/keys/", 1)[0] if "/serviceAccounts/" in name else ""
    return {
        "service_account": account,
        "key_type": str(data.get("keyType") or "USER_MANAGED"),
        "key_origin": str(data.get("keyOrigin") or ""),
        "disabled": data.get("disabled") is True,
        "created": iso(data.get("validAfterTime")),
        "expires": iso(data.get("validBeforeTime")),
    }
