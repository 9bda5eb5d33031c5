"""The read allowlist: every AWS API operation trustsweep may call, and the IAM action it needs.

The ``before-call`` guard in :mod:`trustsweep_aws.session` refuses any operation not listed here,
so the plugin is read-only by construction. ``docs/aws-iam-policy.json`` grants exactly the IAM
actions below (a test keeps the two in step).
"""

from __future__ import annotations


class ReadOnlyViolation(PermissionError):
    """An attempt to call an AWS operation that is not on the read allowlist."""


#: ``botocore service name:Operation`` → the IAM action that authorises it.
ALLOWED: dict[str, str] = {
    # targets and regions
    "sts:GetCallerIdentity": "sts:GetCallerIdentity",
    "sts:AssumeRole": "sts:AssumeRole",
    "organizations:DescribeOrganization": "organizations:DescribeOrganization",
    "organizations:ListAccounts": "organizations:ListAccounts",
    "ec2:DescribeRegions": "ec2:DescribeRegions",
    # identity
    "iam:GetAccountSummary": "iam:GetAccountSummary",
    "iam:GetAccountPasswordPolicy": "iam:GetAccountPasswordPolicy",
    "iam:GenerateCredentialReport": "iam:GenerateCredentialReport",  # builds a report; changes nothing
    "iam:GetCredentialReport": "iam:GetCredentialReport",
    "iam:GetAccountAuthorizationDetails": "iam:GetAccountAuthorizationDetails",
    "accessanalyzer:ListAnalyzers": "access-analyzer:ListAnalyzers",
    # storage and encryption
    "s3:ListBuckets": "s3:ListAllMyBuckets",
    "s3:GetBucketLocation": "s3:GetBucketLocation",
    "s3:GetBucketEncryption": "s3:GetEncryptionConfiguration",
    "s3:GetBucketPolicy": "s3:GetBucketPolicy",
    "s3:GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
    "s3:GetBucketLogging": "s3:GetBucketLogging",
    "s3:GetObjectLockConfiguration": "s3:GetBucketObjectLockConfiguration",
    "s3control:GetPublicAccessBlock": "s3:GetAccountPublicAccessBlock",
    "ec2:GetEbsEncryptionByDefault": "ec2:GetEbsEncryptionByDefault",
    "ec2:DescribeVolumes": "ec2:DescribeVolumes",
    "ec2:DescribeSecurityGroups": "ec2:DescribeSecurityGroups",
    "ec2:DescribeVpcs": "ec2:DescribeVpcs",
    "ec2:DescribeFlowLogs": "ec2:DescribeFlowLogs",
    "rds:DescribeDBInstances": "rds:DescribeDBInstances",
    "kms:ListKeys": "kms:ListKeys",
    "kms:DescribeKey": "kms:DescribeKey",
    "kms:GetKeyRotationStatus": "kms:GetKeyRotationStatus",
    "elbv2:DescribeLoadBalancers": "elasticloadbalancing:DescribeLoadBalancers",
    "elbv2:DescribeListeners": "elasticloadbalancing:DescribeListeners",
    "elbv2:DescribeSSLPolicies": "elasticloadbalancing:DescribeSSLPolicies",
    "cloudfront:ListDistributions": "cloudfront:ListDistributions",
    "acm:ListCertificates": "acm:ListCertificates",
    "acm:DescribeCertificate": "acm:DescribeCertificate",
    # logging
    "cloudtrail:DescribeTrails": "cloudtrail:DescribeTrails",
    "cloudtrail:GetTrailStatus": "cloudtrail:GetTrailStatus",
    "logs:DescribeLogGroups": "logs:DescribeLogGroups",
    "config:DescribeConfigurationRecorders": "config:DescribeConfigurationRecorders",
    "config:DescribeConfigurationRecorderStatus": "config:DescribeConfigurationRecorderStatus",
    # detection
    "guardduty:ListDetectors": "guardduty:ListDetectors",
    "guardduty:GetDetector": "guardduty:GetDetector",
    "securityhub:DescribeHub": "securityhub:DescribeHub",
    "inspector2:BatchGetAccountStatus": "inspector2:BatchGetAccountStatus",
    "inspector2:ListFindings": "inspector2:ListFindings",
    "ecr:DescribeRepositories": "ecr:DescribeRepositories",
    "ecr:GetRegistryScanningConfiguration": "ecr:GetRegistryScanningConfiguration",
    # availability
    "backup:ListBackupPlans": "backup:ListBackupPlans",
    "backup:ListBackupSelections": "backup:ListBackupSelections",
    "backup:GetBackupSelection": "backup:GetBackupSelection",
}


def is_allowed(service: str, operation: str) -> bool:
    return f"{service}:{operation}" in ALLOWED


def iam_action(service: str, operation: str) -> str:
    return ALLOWED[f"{service}:{operation}"]
