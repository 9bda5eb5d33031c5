"""GuardDuty (per region): whether a detector exists and is enabled."""

from __future__ import annotations

from .base import AwsCollector

REGION = "aws.guardduty.region"
TYPES = (REGION,)
REGIONAL = True


def collect(ctx: AwsCollector) -> None:
    gd = ctx.client("guardduty")
    detectors = []
    for detector_id in gd.list_detectors().get("DetectorIds") or []:
        detail = gd.get_detector(DetectorId=detector_id)
        detectors.append({"id": detector_id, "status": detail.get("Status", "")})
    ctx.add(REGION, ctx.arn("guardduty", "detector", ctx.region), f"GuardDuty {ctx.region}", detectors=detectors)
