"""AWS Backup (per region): backup plans and what their selections cover (ARNs and tag conditions)."""

from __future__ import annotations

from typing import Any

from .base import AwsCollector, paginate

REGION = "aws.backup.region"
TYPES = (REGION,)
REGIONAL = True


def _tags(selection: dict[str, Any]) -> list[dict[str, str]]:
    out = [
        {"key": t.get("ConditionKey", ""), "value": t.get("ConditionValue", "")}
        for t in selection.get("ListOfTags") or []
        if t.get("ConditionType", "STRINGEQUALS") == "STRINGEQUALS"
    ]
    for cond in (selection.get("Conditions") or {}).get("StringEquals") or []:
        key = str(cond.get("ConditionKey", "")).removeprefix("aws:ResourceTag/")
        out.append({"key": key, "value": cond.get("ConditionValue", "")})
    return out


def collect(ctx: AwsCollector) -> None:
    backup = ctx.client("backup")
    plans = []
    for plan in paginate(backup, "list_backup_plans", "BackupPlansList"):
        selections = []
        for item in paginate(
            backup, "list_backup_selections", "BackupSelectionsList", BackupPlanId=plan["BackupPlanId"]
        ):
            sel = backup.get_backup_selection(BackupPlanId=plan["BackupPlanId"], SelectionId=item["SelectionId"])[
                "BackupSelection"
            ]
            selections.append(
                {
                    "name": sel.get("SelectionName", ""),
                    "resources": list(sel.get("Resources") or []),
                    "not_resources": list(sel.get("NotResources") or []),
                    "tags": _tags(sel),
                }
            )
        plans.append({"name": plan.get("BackupPlanName", ""), "id": plan["BackupPlanId"], "selections": selections})
    ctx.add(REGION, ctx.arn("backup", "plans", ctx.region), f"AWS Backup {ctx.region}", plans=plans)
