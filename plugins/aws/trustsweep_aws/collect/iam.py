"""IAM (global, once per account): root account, password policy, users, groups, roles.

Four reads: the account summary, the password policy, the credential report and the paged
authorization details (every user, group, role and policy document in one listing).
"""

from __future__ import annotations

import csv
import io
import time
from typing import Any

from trustsweep.plugin import iso

from .. import iampolicy
from .base import GLOBAL, AwsCollector, error_code, tags_of

ROOT = "aws.iam.root"
PASSWORD_POLICY = "aws.iam.password-policy"
USER = "aws.iam.user"
GROUP = "aws.iam.group"
ROLE = "aws.iam.role"
REPORT = "credential_report"  # the field unread when the credential report cannot be read
TYPES = (ROOT, PASSWORD_POLICY, USER, GROUP, ROLE)
REGIONAL = False


def _when(value: str | None) -> str | None:
    """A credential-report cell as an ISO datetime, or None ("N/A", "no_information", ...)."""
    if not value or value in ("N/A", "no_information", "not_supported", "false", "true"):
        return None
    return value


def credential_report(client: Any, attempts: int = 20) -> list[dict[str, str]]:
    client.generate_credential_report()
    for _ in range(attempts):
        try:
            content = client.get_credential_report()["Content"]
            break
        except Exception as exc:
            if error_code(exc) not in ("ReportNotPresent", "ReportInProgress", "ReportExpired"):
                raise
            time.sleep(0.5)
    else:
        raise TimeoutError("the IAM credential report was not ready in time")
    text = content.decode("utf-8") if isinstance(content, bytes) else str(content)
    return list(csv.DictReader(io.StringIO(text)))


def password_policy(policy: dict[str, Any]) -> dict[str, Any]:
    """The account password policy's facts under our names (``GetAccountPasswordPolicy``)."""
    return {
        "minimum_length": int(policy.get("MinimumPasswordLength") or 0),
        "require_symbols": bool(policy.get("RequireSymbols")),
        "require_numbers": bool(policy.get("RequireNumbers")),
        "require_uppercase": bool(policy.get("RequireUppercaseCharacters")),
        "require_lowercase": bool(policy.get("RequireLowercaseCharacters")),
        "reuse_prevention": int(policy.get("PasswordReusePrevention") or 0),
        "max_age_days": policy.get("MaxPasswordAge"),
        "users_may_change": bool(policy.get("AllowUsersToChangePassword")),
    }


def _keys(row: dict[str, str]) -> list[dict[str, Any]]:
    keys = []
    for slot in ("1", "2"):
        active = row.get(f"access_key_{slot}_active") == "true"
        rotated = _when(row.get(f"access_key_{slot}_last_rotated"))
        if active or rotated:
            keys.append(
                {
                    "slot": int(slot),
                    "active": active,
                    "last_rotated": rotated,
                    "last_used": _when(row.get(f"access_key_{slot}_last_used_date")),
                }
            )
    return keys


class _Policies:
    """Managed policy documents by ARN, judged once each."""

    def __init__(self, details: list[dict[str, Any]]) -> None:
        self.docs: dict[str, Any] = {}
        for policy in details:
            default = next((v for v in policy.get("PolicyVersionList", []) if v.get("IsDefaultVersion")), None)
            if default is not None:
                self.docs[policy["Arn"]] = default.get("Document")

    def judge(self, arn: str, name: str) -> dict[str, Any]:
        if arn in self.docs:
            doc = self.docs[arn]
            return {"admin": iampolicy.allows_full_admin(doc), "write": iampolicy.write_actions(doc)}
        known = iampolicy.KNOWN_AWS_MANAGED.get(name)
        if known is not None:
            return {"admin": known["admin"], "write": ["*"] if known["write"] else []}
        return {"admin": False, "write": [f"unknown policy {name}"]}


def _grants(
    policies: _Policies, attached: list[dict[str, Any]], inline: list[dict[str, Any]], source: str = ""
) -> list[dict[str, Any]]:
    out = []
    for item in attached:
        verdict = policies.judge(item["PolicyArn"], item["PolicyName"])
        out.append({"policy": item["PolicyName"], "kind": "managed", "via": source, **verdict})
    for item in inline:
        doc = item.get("PolicyDocument")
        out.append(
            {
                "policy": item["PolicyName"],
                "kind": "inline",
                "via": source,
                "admin": iampolicy.allows_full_admin(doc),
                "write": iampolicy.write_actions(doc),
            }
        )
    return out


def _summary(grants: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "admin_via": [f"{g['via'] + ':' if g['via'] else ''}{g['policy']}" for g in grants if g["admin"]],
        "write_actions": sorted({a for g in grants for a in g["write"]})[:20],
        "write_via": [f"{g['via'] + ':' if g['via'] else ''}{g['policy']}" for g in grants if g["write"]],
    }


def collect(ctx: AwsCollector) -> None:
    iam = ctx.client("iam")
    summary = iam.get_account_summary()["SummaryMap"]
    report_error = ""  # why the credential report could not be read: unread on the root user and every user
    try:
        rows = credential_report(iam)
    except Exception as exc:  # users, groups and policies are still worth reading
        rows = []
        report_error = ctx.describe(exc)
    root_row = next((r for r in rows if r.get("user") == "<root_account>"), {})
    root_keys = _keys(root_row)
    root = ctx.add(
        ROOT,
        f"arn:{ctx.partition}:iam::{ctx.account}:root",
        "root",
        region=GLOBAL,
        mfa_enabled=bool(summary.get("AccountMFAEnabled")),
        access_keys_present=bool(summary.get("AccountAccessKeysPresent")) or any(k["active"] for k in root_keys),
        password_last_used=_when(root_row.get("password_last_used")),
        access_keys=root_keys,
        credential_report=bool(root_row),
    )

    try:
        policy = iam.get_account_password_policy()["PasswordPolicy"]
    except Exception as exc:
        if error_code(exc) != "NoSuchEntity":
            raise
        policy = None
    ctx.add(
        PASSWORD_POLICY,
        f"arn:{ctx.partition}:iam::{ctx.account}:account-password-policy",
        "password policy",
        region=GLOBAL,
        exists=policy is not None,
        **password_policy(policy or {}),
    )

    users: list[dict[str, Any]] = []
    groups: list[dict[str, Any]] = []
    roles: list[dict[str, Any]] = []
    managed: list[dict[str, Any]] = []
    for page in iam.get_paginator("get_account_authorization_details").paginate():
        users.extend(page.get("UserDetailList") or [])
        groups.extend(page.get("GroupDetailList") or [])
        roles.extend(page.get("RoleDetailList") or [])
        managed.extend(page.get("Policies") or [])
    policies = _Policies(managed)
    group_grants = {
        g["GroupName"]: _grants(
            policies, g.get("AttachedManagedPolicies") or [], g.get("GroupPolicyList") or [], "group/" + g["GroupName"]
        )
        for g in groups
    }
    for group in groups:
        ctx.add(GROUP, group["Arn"], group["GroupName"], region=GLOBAL, **_summary(group_grants[group["GroupName"]]))

    by_user = {r["user"]: r for r in rows}
    readers = []
    production = bool(ctx.unit.target.attrs.get("production"))
    for user in users:
        row = by_user.get(user["UserName"], {})
        own = _grants(policies, user.get("AttachedManagedPolicies") or [], user.get("UserPolicyList") or [])
        inherited = [g for name in user.get("GroupList") or [] for g in group_grants.get(name, [])]
        readers.append(
            ctx.add(
                USER,
                user["Arn"],
                user["UserName"],
                region=GLOBAL,
                created=iso(user.get("CreateDate")),
                console=row.get("password_enabled") == "true",
                password_last_used=_when(row.get("password_last_used")),
                mfa=row.get("mfa_active") == "true",
                access_keys=_keys(row),
                in_report=bool(row),
                groups=list(user.get("GroupList") or []),
                attached_policies=[p["PolicyName"] for p in user.get("AttachedManagedPolicies") or []],
                inline_policies=[p["PolicyName"] for p in user.get("UserPolicyList") or []],
                tags=tags_of(user.get("Tags")),
                production=production,
                **_summary(own + inherited),
            )
        )
    if report_error:  # the facts from the credential report are unread on each resource that needs them
        for resource in [root, *readers]:
            ctx.unread(resource, REPORT, report_error)

    for role in roles:
        grants = _grants(policies, role.get("AttachedManagedPolicies") or [], role.get("RolePolicyList") or [])
        ctx.add(
            ROLE,
            role["Arn"],
            role["RoleName"],
            region=GLOBAL,
            path=role.get("Path", "/"),
            service_linked=str(role.get("Path", "")).startswith("/aws-service-role/"),
            trust=iampolicy.trust_principals(role.get("AssumeRolePolicyDocument")),
            tags=tags_of(role.get("Tags")),
            production=production,
            **_summary(grants),
        )
