"""CloudWatch Logs (per region): every log group's retention."""

from __future__ import annotations

from .base import AwsCollector, paginate

LOG_GROUP = "aws.logs.log-group"
TYPES = (LOG_GROUP,)
REGIONAL = True


def collect(ctx: AwsCollector) -> None:
    for group in paginate(ctx.client("logs"), "describe_log_groups", "logGroups"):
        arn = group.get("arn", "").removesuffix(":*") or ctx.arn(
            "logs", f"log-group:{group['logGroupName']}", ctx.region
        )
        ctx.add(
            LOG_GROUP,
            arn,
            group["logGroupName"],
            retention_days=group.get("retentionInDays"),
            kms_key=group.get("kmsKeyId", ""),
        )
