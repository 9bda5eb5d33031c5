"""AWS Config (per region): whether a recorder exists, records all resources and is recording."""

from __future__ import annotations

from .base import AwsCollector

REGION = "aws.config.region"
TYPES = (REGION,)
REGIONAL = True


def collect(ctx: AwsCollector) -> None:
    config = ctx.client("config")
    recorders = config.describe_configuration_recorders().get("ConfigurationRecorders") or []
    statuses = {
        s["name"]: s for s in config.describe_configuration_recorder_status().get("ConfigurationRecordersStatus") or []
    }
    found = []
    for rec in recorders:
        group = rec.get("recordingGroup") or {}
        status = statuses.get(rec["name"], {})
        found.append(
            {
                "name": rec["name"],
                "recording": bool(status.get("recording")),
                "all_supported": bool(group.get("allSupported", False)),
                "last_status": status.get("lastStatus", ""),
            }
        )
    ctx.add(
        REGION, ctx.arn("config", "configuration-recorder", ctx.region), f"AWS Config {ctx.region}", recorders=found
    )
