"""Every AWS check as declared (no SDK import): id, title, resource types, severity, rationale,
remediation, the check function's dotted path and the settings it reads."""

from __future__ import annotations

from trustsweep.model import CheckSpec, SettingSpec, Severity

C = "trustsweep_aws.checks"
H, M, L, X = Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.CRITICAL

# id, title, resource types, severity, function, rationale, remediation
_TABLE: list[tuple[str, str, tuple[str, ...], Severity, str, str, str]] = [
    # access
    ("aws.iam.root_mfa", "The root user has MFA", ("aws.iam.root",), X, "access:root_mfa",
     "The root user can do anything, including closing the account; a password alone is one phish away.",
     "Assign a hardware or virtual MFA device to the root user."),
    ("aws.iam.root_no_access_keys", "The root user has no access keys", ("aws.iam.root",), X, "access:root_no_access_keys",
     "Root access keys are unrestricted long-lived credentials.", "Delete the root user's access keys."),
    ("aws.iam.root_not_used", "The root user was not used in the last 90 days", ("aws.iam.root",), H, "access:root_not_used",
     "Day-to-day use of root defeats least privilege and accountability.", "Use IAM roles or SSO; keep root for break-glass."),
    ("aws.iam.user_console_mfa", "Every IAM user with a console password has MFA", ("aws.iam.user",), H, "access:user_console_mfa",
     "Console passwords without MFA are exposed to phishing and reuse.", "Require and assign MFA for every console user."),
    ("aws.iam.access_key_rotation", "Active access keys are rotated within 90 days", ("aws.iam.user",), M, "access:access_key_rotation",
     "Old keys have had long to leak.", "Rotate access keys at least every 90 days, or replace them with roles."),
    ("aws.iam.unused_credentials", "Credentials unused for 90 days are removed", ("aws.iam.user",), M, "access:unused_credentials",
     "Stale access is access nobody reviews.", "Disable or delete passwords and keys unused for 90 days."),
    ("aws.iam.no_user_policies", "No policies are attached directly or inline to users", ("aws.iam.user",), L, "access:no_user_policies",
     "Per-user grants escape role-based review.", "Grant permissions through groups or roles."),
    ("aws.iam.no_full_admin", "No policy grants *:* outside approved admin roles", ("aws.iam.user", "aws.iam.group", "aws.iam.role"), H,
     "access:no_full_admin", "Full administrator rights should be rare, named and reviewed.",
     "Replace *:* grants with scoped policies; list approved admin roles in settings.aws.admin_roles."),
    ("aws.iam.password_policy", "The account password policy meets the minimums", ("aws.iam.password-policy",), M, "access:password_policy",
     "Weak passwords are guessed.", "Set length >= 14, all character classes, reuse prevention 24."),
    ("aws.accessanalyzer.enabled", "IAM Access Analyzer is enabled in every region", ("aws.accessanalyzer.region",), M, "access:access_analyzer",
     "Access Analyzer reports resources shared outside the account.", "Create an account (or organisation) analyzer in each region."),
    ("aws.iam.human_no_access_keys", "Human users hold no long-lived access keys", ("aws.iam.user",), M, "access:human_no_access_keys",
     "Automation should use roles; a person's static keys end up in scripts and laptops.",
     "Delete the user's access keys; use SSO for people and roles for automation."),
    # encryption
    ("aws.ec2.ebs_default_encryption", "EBS encryption by default is on in every region", ("aws.ec2.region-settings",), M,
     "encryption:ebs_default_encryption", "New volumes are encrypted without relying on each launch.", "Enable EBS encryption by default."),
    ("aws.ec2.volume_encrypted", "Every EBS volume is encrypted", ("aws.ec2.volume",), H, "encryption:volume_encrypted",
     "Unencrypted volumes and their snapshots expose data.", "Copy the volume to an encrypted one and replace it."),
    ("aws.s3.bucket_encryption", "S3 buckets have default encryption", ("aws.s3.bucket",), M, "encryption:bucket_encryption",
     "Objects must be encrypted at rest.", "Set SSE-S3 or SSE-KMS default encryption."),
    ("aws.s3.bucket_tls_only", "S3 bucket policies deny requests without TLS", ("aws.s3.bucket",), M, "encryption:bucket_tls_only",
     "Data in transit must be encrypted.", "Add a Deny statement for aws:SecureTransport = false."),
    ("aws.rds.storage_encrypted", "RDS storage is encrypted", ("aws.rds.instance",), H, "encryption:rds_encrypted",
     "Database storage and snapshots must be encrypted at rest.", "Restore an encrypted copy from a snapshot."),
    ("aws.kms.key_rotation", "Customer-managed KMS keys rotate", ("aws.kms.key",), M, "encryption:kms_rotation",
     "Rotation limits what one key version protects.", "Enable automatic key rotation."),
    ("aws.elbv2.tls_policy", "Load balancer listeners use TLS 1.2+ policies only", ("aws.elbv2.listener",), H, "encryption:elbv2_tls",
     "TLS 1.0/1.1 and plain HTTP are weak in transit.", "Use an ELBSecurityPolicy-TLS13-1-2-* policy; redirect HTTP to HTTPS."),
    ("aws.cloudfront.tls_policy", "CloudFront viewers and origins use TLS 1.2+ only", ("aws.cloudfront.distribution",), H,
     "encryption:cloudfront_tls", "TLS 1.0/1.1 and plain HTTP are weak in transit.",
     "Use a custom certificate with TLSv1.2_2021, redirect-to-https, TLSv1.2 origins."),
    ("aws.acm.certificate_expiry", "ACM certificates do not expire within 30 days", ("aws.acm.certificate",), M,
     "encryption:certificate_expiry", "An expired certificate breaks service or tempts people to skip TLS.",
     "Renew or replace the certificate; use DNS validation for automatic renewal."),
    # logging
    ("aws.cloudtrail.multi_region_trail", "A multi-region CloudTrail trail logs, validates, encrypts, and is immutable",
     ("aws.cloudtrail.account",), H, "logging:multi_region_trail",
     "The audit trail must cover every region and be tamper-evident.",
     "Create a multi-region trail with log file validation, SSE-KMS and an Object Lock bucket."),
    ("aws.logs.retention", "CloudWatch log groups are kept at least 365 days", ("aws.logs.log-group",), L, "logging:log_retention",
     "Audit periods need a year of logs.", "Set retention to 365 days or more."),
    ("aws.ec2.vpc_flow_logs", "VPCs have flow logs", ("aws.ec2.vpc",), M, "logging:vpc_flow_logs",
     "Network traffic records support detection and investigation.", "Enable VPC flow logs."),
    ("aws.config.recording", "AWS Config records all resources in every region", ("aws.config.region",), M, "logging:config_recording",
     "Configuration history evidences change and drift.", "Create a recorder for all supported resources and start it."),
    ("aws.s3.access_logging", "S3 access logging is on where required", ("aws.s3.bucket",), L, "logging:s3_access_logging",
     "Object access records for sensitive buckets support investigation.",
     "Enable server access logging; list required buckets in settings aws.access_logging_buckets."),
    # detection
    ("aws.guardduty.enabled", "GuardDuty is enabled in every region", ("aws.guardduty.region",), H, "detection:guardduty_enabled",
     "Threat detection must cover every region an attacker could use.", "Enable GuardDuty (organisation-wide)."),
    ("aws.securityhub.enabled", "Security Hub is enabled in every region", ("aws.securityhub.region",), M, "detection:securityhub_enabled",
     "Findings must be aggregated and triaged.", "Enable Security Hub in every region."),
    ("aws.inspector2.enabled", "Inspector is enabled in every region", ("aws.inspector2.region",), H, "detection:inspector_enabled",
     "Vulnerabilities must be found continuously.", "Enable Amazon Inspector for EC2, ECR and Lambda."),
    ("aws.inspector2.findings_sla", "No CRITICAL finding open over 7 days nor HIGH over 30", ("aws.inspector2.region",), H,
     "detection:inspector_findings_sla", "Known vulnerabilities must be fixed within policy deadlines.",
     "Patch or remediate; thresholds are settings critical_days and high_days."),
    ("aws.ecr.scan_on_push", "ECR images are scanned on push", ("aws.ecr.repository",), M, "detection:ecr_scan_on_push",
     "Images must be scanned before they run.", "Enable scan on push or an enhanced scanning rule for all repositories."),
    # network
    ("aws.ec2.security_group_ingress", "No security group is open to the internet on 22, 3389 or all ports",
     ("aws.ec2.security-group",), H, "network:security_group_ingress",
     "Admin ports open to the world are attacked within minutes.", "Restrict ingress to known ranges or use SSM Session Manager."),
    ("aws.rds.not_public", "No RDS instance is publicly accessible", ("aws.rds.instance",), H, "network:rds_not_public",
     "Databases belong on private networks.", "Set PubliclyAccessible to false."),
    ("aws.s3.account_public_access_block", "S3 public access is blocked at account level", ("aws.s3.account-settings",), H,
     "network:account_public_access_block", "One switch prevents any bucket from becoming public.",
     "Turn on all four account-level Block Public Access settings."),
    ("aws.s3.bucket_public_access_block", "S3 public access is blocked on every bucket", ("aws.s3.bucket",), M,
     "network:bucket_public_access_block", "Defence in depth if the account setting changes.",
     "Turn on all four bucket-level Block Public Access settings."),
    # availability
    ("aws.rds.backup_retention", "RDS automated backups are kept at least 7 days", ("aws.rds.instance",), M,
     "availability:rds_backup_retention", "Point-in-time recovery needs backups.", "Set the backup retention period to 7 days or more."),
    ("aws.rds.deletion_protection", "RDS instances have deletion protection", ("aws.rds.instance",), M,
     "availability:rds_deletion_protection", "One call should not destroy a database.", "Enable deletion protection."),
    ("aws.rds.multi_az_production", "Production RDS instances are Multi-AZ", ("aws.rds.instance",), M, "availability:rds_multi_az",
     "A zone failure should not take production down.", "Convert the instance to Multi-AZ."),
    ("aws.backup.production_coverage", "Production data stores are covered by an AWS Backup plan",
     ("aws.rds.instance", "aws.ec2.volume"), M, "availability:backup_coverage",
     "Backups must exist for what the business depends on.", "Add the resource (or its tag) to a backup plan selection."),
    # change management
    ("aws.iam.no_human_write_in_production", "No IAM user holds write permissions in production accounts", ("aws.iam.user",), H,
     "change:no_human_write_in_production", "Production changes go through the pipeline, not people.",
     "Give people read-only access in production; deploy through CI roles."),
    ("aws.iam.deploy_role_oidc", "Deploy roles are assumed only through OIDC federation", ("aws.iam.role",), H,
     "change:deploy_role_oidc", "CI should hold no long-lived secret able to deploy.",
     "Trust only the CI's OIDC provider with sts:AssumeRoleWithWebIdentity and a subject condition."),
]

DAYS = 3653  # ten years: the upper bound of every threshold in days


def _days(name: str, default: int, help: str, most: int = DAYS) -> SettingSpec:
    return SettingSpec(name, "int", default, help, min=1, max=most)


_PRODUCTION = (
    SettingSpec("production_tag_key", "str", "environment", "tag key that marks a resource as production"),
    SettingSpec("production_tag_values", "list[str]", ("production", "prod"),
                "values of that tag meaning production (case-insensitive)"),
)
# the settings each check reads (ctx.setting), by check id
SETTINGS: dict[str, tuple[SettingSpec, ...]] = {
    "aws.iam.root_not_used": (_days("max_days", 90, "days the root user must not have been used"),),
    "aws.iam.access_key_rotation": (_days("max_days", 90, "maximum age of an active access key in days"),),
    "aws.iam.unused_credentials": (_days("max_days", 90, "days without use after which a credential is stale"),),
    "aws.iam.no_full_admin": (SettingSpec("admin_roles", "list[str]", (), "role names (globs) approved to hold *:*"),),
    "aws.iam.password_policy": (
        SettingSpec("min_length", "int", 14, "minimum password length required", min=6, max=128),
        SettingSpec("reuse_prevention", "int", 24, "previous passwords that may not be reused", min=1, max=24),
    ),
    "aws.acm.certificate_expiry": (_days("min_days", 30, "days a certificate must still be valid"),),
    "aws.logs.retention": (_days("min_days", 365, "minimum retention of a log group in days"),),
    "aws.s3.access_logging": (SettingSpec("access_logging_buckets", "list[str]", (),
                                          "bucket names (globs) that must have access logging"),),
    "aws.inspector2.findings_sla": (_days("critical_days", 7, "days a CRITICAL finding may stay open"),
                                    _days("high_days", 30, "days a HIGH finding may stay open")),
    "aws.ec2.security_group_ingress": (SettingSpec("admin_ports", "list[int]", (22, 3389),
                                                   "TCP ports that must not be open to the internet", min=1, max=65535),),
    "aws.rds.backup_retention": (_days("min_days", 7, "minimum automated backup retention in days", most=35),),
    "aws.rds.multi_az_production": _PRODUCTION,
    "aws.backup.production_coverage": _PRODUCTION,
    "aws.iam.deploy_role_oidc": (SettingSpec("deploy_roles", "list[str]", ("*deploy*", "*Deploy*"),
                                             "role names (globs) that are deploy roles"),),
}

CHECKS: list[CheckSpec] = [
    CheckSpec(id=cid, title=title, provider="aws", resource_types=types, severity=sev,
              rationale=why, remediation=fix, function=f"{C}.{fn.split(':')[0]}:{fn.split(':')[1]}",
              settings=SETTINGS.get(cid, ()))
    for cid, title, types, sev, fn, why, fix in _TABLE
]

# settings.aws in the config file, besides the check settings (the command-line options' keys)
PROVIDER_SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec("organization", "bool", False, "sweep every active account of the organisation"),
    SettingSpec("role_name", "str", "TrustsweepReadOnly", "read-only role assumed in member accounts"),
    SettingSpec("external_id", "str", "", "external id passed when assuming the role"),
    SettingSpec("production_accounts", "list[str]", (), "account ids or names (globs) that are production"),
    SettingSpec("regions", "list[str]", (), "regions to sweep (default: every enabled region)"),
    SettingSpec("home_region", "str", "", "region for global services (default: the partition's)"),
    SettingSpec("retry_mode", "str", "standard", "botocore retry mode", choices=("standard", "adaptive", "legacy")),
    SettingSpec("max_attempts", "int", 5, "total attempts per API call, the first included", min=1, max=20),
    SettingSpec("connect_timeout", "float", 10.0, "seconds to connect", min=0.1, max=600),
    SettingSpec("read_timeout", "float", 30.0, "seconds to wait for a response", min=0.1, max=3600),
    SettingSpec("max_pool_connections", "int", 20, "HTTP connections per client", min=1, max=1000),
)
