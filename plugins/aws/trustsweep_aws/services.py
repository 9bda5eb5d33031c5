"""The collection plan: which collector reads which service, globally or per region, and the
resource types each produces (a failed unit turns checks on those types into errors)."""

from __future__ import annotations

from dataclasses import dataclass

# resource type names are repeated here (not imported) so planning imports no collector code


@dataclass(frozen=True, slots=True)
class Service:
    name: str
    module: str
    types: tuple[str, ...]
    regional: bool


SERVICES: tuple[Service, ...] = (
    Service("iam", "iam", ("aws.iam.root", "aws.iam.password-policy", "aws.iam.user", "aws.iam.group", "aws.iam.role"), False),
    Service("s3", "s3", ("aws.s3.bucket", "aws.s3.account-settings"), False),
    Service("cloudfront", "cloudfront", ("aws.cloudfront.distribution",), False),
    Service("cloudtrail", "cloudtrail", ("aws.cloudtrail.trail", "aws.cloudtrail.account"), False),
    Service("ec2", "ec2", ("aws.ec2.region-settings", "aws.ec2.volume", "aws.ec2.security-group", "aws.ec2.vpc"), True),
    Service("rds", "rds", ("aws.rds.instance",), True),
    Service("kms", "kms", ("aws.kms.key",), True),
    Service("elbv2", "elbv2", ("aws.elbv2.listener",), True),
    Service("acm", "acm", ("aws.acm.certificate",), True),
    Service("logs", "logs", ("aws.logs.log-group",), True),
    Service("config", "configservice", ("aws.config.region",), True),
    Service("guardduty", "guardduty", ("aws.guardduty.region",), True),
    Service("securityhub", "securityhub", ("aws.securityhub.region",), True),
    Service("inspector2", "inspector2", ("aws.inspector2.region",), True),
    Service("ecr", "ecr", ("aws.ecr.repository",), True),
    Service("accessanalyzer", "accessanalyzer", ("aws.accessanalyzer.region",), True),
    Service("backup", "backup", ("aws.backup.region",), True),
)


def collector_path(service: Service) -> str:
    return f"trustsweep_aws.collectors.{service.module}:collect"
