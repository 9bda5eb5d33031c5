"""ACM (per region): issued certificates and when they expire."""

from __future__ import annotations

from trustsweep.plugin import iso

from .base import AwsCollector, paginate

CERTIFICATE = "aws.acm.certificate"
TYPES = (CERTIFICATE,)
REGIONAL = True
# ListCertificates returns only RSA-1024/2048 certificates unless asked for every key type
KEY_TYPES = ["RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"]


def collect(ctx: AwsCollector) -> None:
    acm = ctx.client("acm")
    for summary in paginate(acm, "list_certificates", "CertificateSummaryList", Includes={"keyTypes": KEY_TYPES}):
        not_after = summary.get("NotAfter")
        status = summary.get("Status")
        in_use = summary.get("InUse")
        if not_after is None or status is None:  # older endpoints: one describe per certificate
            cert = acm.describe_certificate(CertificateArn=summary["CertificateArn"])["Certificate"]
            not_after, status, in_use = cert.get("NotAfter"), cert.get("Status"), bool(cert.get("InUseBy"))
        ctx.add(
            CERTIFICATE,
            summary["CertificateArn"],
            summary.get("DomainName", ""),
            status=status or "",
            not_after=iso(not_after),
            in_use=in_use,
        )
