"""The conformance cases of the operational aws checks: logging, detection, availability."""

from __future__ import annotations

from trustsweep.testing.conformance import Case

from .cases import BACKUP, TRAIL, ago, case, res

CASES: list[Case] = [
    # logging
    case("aws.cloudtrail.multi_region_trail", "fail", trails=[]),
    case(
        "aws.cloudtrail.multi_region_trail",
        "error",
        "the bucket lives in another account",
        trails=[{**TRAIL, "bucket": "elsewhere"}],
    ),
    case(
        "aws.cloudtrail.multi_region_trail",
        "fail",
        "a bucket without Object Lock",
        trails=[TRAIL],
        others=(res("aws.s3.bucket", "logs", object_lock=False),),
    ),
    case(
        "aws.cloudtrail.multi_region_trail",
        "pass",
        trails=[TRAIL],
        others=(res("aws.s3.bucket", "logs", object_lock=True),),
    ),
    case(
        "aws.cloudtrail.multi_region_trail",
        "error",
        "the bucket's Object Lock unread",
        trails=[TRAIL],
        others=(res("aws.s3.bucket", "logs", object_lock=False, unread={"object_lock": "AccessDenied"}),),
    ),
    case("aws.logs.retention", "pass", retention_days=400),
    case("aws.logs.retention", "pass", "kept forever", retention_days=None),
    case("aws.logs.retention", "fail", retention_days=30),
    case("aws.logs.retention", "fail", "a longer minimum", retention_days=400, settings={"min_days": 500}),
    case("aws.ec2.vpc_flow_logs", "pass", flow_logs=[{"id": "fl-1", "status": "ACTIVE"}]),
    case("aws.ec2.vpc_flow_logs", "fail", flow_logs=[]),
    case("aws.config.recording", "pass", recorders=[{"name": "default", "recording": True, "all_supported": True}]),
    case("aws.config.recording", "fail", recorders=[]),
    case(
        "aws.config.recording", "fail", "stopped", recorders=[{"name": "d", "recording": False, "all_supported": True}]
    ),
    case("aws.s3.access_logging", "not_applicable", "not required", logging_target=None),
    case("aws.s3.access_logging", "pass", logging_target="logs", settings={"access_logging_buckets": ["exam*"]}),
    case("aws.s3.access_logging", "fail", logging_target=None, settings={"access_logging_buckets": ["*"]}),
    case(
        "aws.s3.access_logging",
        "error",
        logging_target=None,
        settings={"access_logging_buckets": ["*"]},
        unread={"logging": "GetBucketLogging: AccessDenied"},
    ),
    # detection
    case("aws.guardduty.enabled", "pass", detectors=[{"id": "d", "status": "ENABLED"}]),
    case("aws.guardduty.enabled", "fail", detectors=[{"id": "d", "status": "DISABLED"}]),
    case("aws.securityhub.enabled", "pass", enabled=True),
    case("aws.securityhub.enabled", "fail", enabled=False),
    case("aws.inspector2.enabled", "pass", status="ENABLED"),
    case("aws.inspector2.enabled", "fail", status="SUSPENDED"),
    case(
        "aws.inspector2.findings_sla",
        "fail",
        status="ENABLED",
        findings=[{"arn": "f", "severity": "CRITICAL", "first_observed": ago(8)}],
    ),
    case(
        "aws.inspector2.findings_sla",
        "pass",
        status="ENABLED",
        findings=[
            {"arn": "f", "severity": "CRITICAL", "first_observed": ago(6)},
            {"arn": "g", "severity": "HIGH", "first_observed": ago(29)},
        ],
    ),
    case(
        "aws.inspector2.findings_sla",
        "fail",
        "a tighter deadline",
        settings={"critical_days": 3},
        status="ENABLED",
        findings=[{"arn": "f", "severity": "CRITICAL", "first_observed": ago(6)}],
    ),
    case("aws.inspector2.findings_sla", "fail", "not enabled", status="DISABLED", findings=[]),
    case("aws.ecr.scan_on_push", "pass", scan_on_push=True),
    case(
        "aws.ecr.scan_on_push",
        "pass",
        "a registry rule",
        scan_on_push=False,
        registry_rules=[{"frequency": "CONTINUOUS_SCAN", "filters": ["*"]}],
    ),
    case(
        "aws.ecr.scan_on_push", "fail", scan_on_push=False, registry_rules=[{"frequency": "MANUAL", "filters": ["*"]}]
    ),
    # availability
    case("aws.rds.backup_retention", "pass", backup_retention_days=7),
    case("aws.rds.backup_retention", "fail", backup_retention_days=1),
    case("aws.rds.deletion_protection", "pass", deletion_protection=True),
    case("aws.rds.deletion_protection", "fail", deletion_protection=False),
    case("aws.rds.multi_az_production", "pass", tags={"environment": "production"}, multi_az=True),
    case(
        "aws.rds.multi_az_production",
        "fail",
        "tag key and value in any case",
        tags={"Environment": "Prod"},
        multi_az=False,
    ),
    case("aws.rds.multi_az_production", "not_applicable", tags={"tier": "prod"}, multi_az=False),
    case(
        "aws.rds.multi_az_production",
        "fail",
        "another production tag key",
        settings={"production_tag_keys": ["tier"]},
        tags={"tier": "prod"},
        multi_az=False,
    ),
    case("aws.backup.production_coverage", "pass", tags={"environment": "prod", "backup": "daily"}, others=(BACKUP,)),
    case(
        "aws.backup.production_coverage",
        "fail",
        type="aws.ec2.volume",
        tags={"environment": "production"},
        others=(BACKUP,),
    ),
    case(
        "aws.backup.production_coverage",
        "error",
        "AWS Backup not collected",
        type="aws.ec2.volume",
        tags={"environment": "production"},
    ),
    case("aws.backup.production_coverage", "not_applicable", type="aws.ec2.volume", tags={"environment": "dev"}),
]
