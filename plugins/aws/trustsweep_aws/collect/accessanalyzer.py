"""IAM Access Analyzer (per region): active analyzers."""

from __future__ import annotations

from .base import AwsCollector, paginate

REGION = "aws.accessanalyzer.region"
TYPES = (REGION,)
REGIONAL = True


def collect(ctx: AwsCollector) -> None:
    analyzers = paginate(ctx.client("accessanalyzer"), "list_analyzers", "analyzers")
    ctx.add(
        REGION,
        ctx.arn("access-analyzer", "analyzers", ctx.region),
        f"Access Analyzer {ctx.region}",
        analyzers=[
            {"name": a.get("name", ""), "type": a.get("type", ""), "status": a.get("status", "")} for a in analyzers
        ],
    )
