"""CloudFront (global, once per account): each distribution's viewer TLS settings."""

from __future__ import annotations

from .base import GLOBAL, AwsCollector

DISTRIBUTION = "aws.cloudfront.distribution"
TYPES = (DISTRIBUTION,)
REGIONAL = False


def collect(ctx: AwsCollector) -> None:
    cf = ctx.client("cloudfront")  # a global service: the home region's endpoint
    for page in cf.get_paginator("list_distributions").paginate():
        for dist in (page.get("DistributionList") or {}).get("Items") or []:
            behaviours = [
                dist.get("DefaultCacheBehavior") or {},
                *((dist.get("CacheBehaviors") or {}).get("Items") or []),
            ]
            cert = dist.get("ViewerCertificate") or {}
            origins = (dist.get("Origins") or {}).get("Items") or []
            ctx.add(
                DISTRIBUTION,
                dist["ARN"],
                dist.get("Comment") or dist.get("DomainName", dist["Id"]),
                region=GLOBAL,
                domain=dist.get("DomainName", ""),
                enabled=dist.get("Enabled", True),
                viewer_protocols=sorted({b.get("ViewerProtocolPolicy", "") for b in behaviours if b}),
                # a custom certificate wins: some endpoints also echo CloudFrontDefaultCertificate=true
                default_certificate=bool(cert.get("CloudFrontDefaultCertificate"))
                and not (cert.get("ACMCertificateArn") or cert.get("IAMCertificateId")),
                minimum_protocol_version=cert.get("MinimumProtocolVersion", ""),
                origin_protocols=sorted(
                    {(o.get("CustomOriginConfig") or {}).get("OriginProtocolPolicy", "s3") for o in origins}
                ),
                origin_ssl_protocols=sorted(
                    {
                        p
                        for o in origins
                        for p in ((o.get("CustomOriginConfig") or {}).get("OriginSslProtocols") or {}).get("Items")
                        or []
                    }
                ),
            )
