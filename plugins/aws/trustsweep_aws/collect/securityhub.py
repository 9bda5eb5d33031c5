"""Security Hub (per region): whether the account is subscribed."""

from __future__ import annotations

from trustsweep.plugin import iso

from .base import AwsCollector, error_code

REGION = "aws.securityhub.region"
TYPES = (REGION,)
REGIONAL = True


def collect(ctx: AwsCollector) -> None:
    try:
        hub = ctx.client("securityhub").describe_hub()
    except Exception as exc:
        # InvalidAccessException "not subscribed" is the answer "off"; anything else is an error
        if error_code(exc) != "InvalidAccessException" or "not subscribed" not in str(exc):
            raise
        hub = None
    ctx.add(
        REGION,
        ctx.arn("securityhub", "hub/default", ctx.region),
        f"Security Hub {ctx.region}",
        enabled=hub is not None,
        subscribed_at=iso((hub or {}).get("SubscribedAt")),
    )
