"""Inspector (v2, per region): whether scanning is enabled and the open CRITICAL/HIGH findings."""

from __future__ import annotations

from trustsweep.plugin import iso

from .base import AwsCollector

REGION = "aws.inspector2.region"
TYPES = (REGION,)
REGIONAL = True
MAX_FINDINGS = 500


def collect(ctx: AwsCollector) -> None:
    ins = ctx.client("inspector2")
    status = ins.batch_get_account_status(accountIds=[ctx.account])
    state = ""
    resources: dict[str, str] = {}
    for account in status.get("accounts") or []:
        if account.get("accountId") == ctx.account:
            state = (account.get("state") or {}).get("status", "")
            resources = {
                k: (v.get("status") or "")
                for k, v in (account.get("resourceState") or {}).items()
                if isinstance(v, dict)
            }
    findings = []
    if state in ("ENABLED", "ENABLING", "SUSPENDING", "DISABLING"):
        criteria = {
            "findingStatus": [{"comparison": "EQUALS", "value": "ACTIVE"}],
            "severity": [{"comparison": "EQUALS", "value": "CRITICAL"}, {"comparison": "EQUALS", "value": "HIGH"}],
        }
        for page in ins.get_paginator("list_findings").paginate(filterCriteria=criteria):
            for f in page.get("findings") or []:
                findings.append(
                    {
                        "arn": f.get("findingArn", ""),
                        "severity": f.get("severity", ""),
                        "first_observed": iso(f.get("firstObservedAt")),
                        "title": f.get("title", "")[:200],
                        "status": f.get("status", ""),
                    }
                )
            if len(findings) >= MAX_FINDINGS:
                break
    ctx.add(
        REGION,
        ctx.arn("inspector2", "account", ctx.region),
        f"Inspector {ctx.region}",
        status=state,
        resource_status=resources,
        findings=findings[:MAX_FINDINGS],
    )
