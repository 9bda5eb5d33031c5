"""ECR (per region): repositories' scan-on-push and the registry's scanning rules."""

from __future__ import annotations

from .base import AwsCollector, paginate

REPOSITORY = "aws.ecr.repository"
TYPES = (REPOSITORY,)
REGIONAL = True


def collect(ctx: AwsCollector) -> None:
    ecr = ctx.client("ecr")
    repos = paginate(ecr, "describe_repositories", "repositories")
    registry_rules: list[dict[str, object]] = []
    scan_type = ""
    if repos:
        config = ecr.get_registry_scanning_configuration().get("scanningConfiguration") or {}
        scan_type = config.get("scanType", "")
        registry_rules = [
            {
                "frequency": r.get("scanFrequency", ""),
                "filters": [f.get("filter", "") for f in r.get("repositoryFilters") or []],
            }
            for r in config.get("rules") or []
        ]
    for repo in repos:
        ctx.add(
            REPOSITORY,
            repo["repositoryArn"],
            repo["repositoryName"],
            scan_on_push=bool((repo.get("imageScanningConfiguration") or {}).get("scanOnPush")),
            registry_scan_type=scan_type,
            registry_rules=registry_rules,
        )
