"""The conformance cases of the aws checks: resources shaped like the collectors' output (docs/aws.md
lists each type's properties) and the status each must give. Identity, encryption and network here;
operations (logging, detection, availability) in :mod:`.cases_operations`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from trustsweep.model import Resource
from trustsweep.testing.conformance import Case

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
DENIED = "GetBucketEncryption: AccessDenied: Access Denied"


def ago(days: float) -> str:
    return (NOW - dt.timedelta(days=days)).isoformat()


def res(type_: str, name: str = "r", region: str = "global", **props: Any) -> Resource:
    """Another resource of the inventory (the case's own resource is in region ``global``)."""
    return Resource("aws", "test-target", region, type_, f"arn:aws:test:::{type_}/{name}", name, props)


def case(
    check: str,
    expect: str,
    why: str = "",
    *,
    type: str | None = None,
    others: tuple[Resource, ...] = (),
    settings: dict[str, Any] | None = None,
    **props: Any,
) -> Case:
    return Case(check, expect, props, type=type, others=others, settings=settings or {}, now=NOW, why=why)


ROLE, GROUP = "aws.iam.role", "aws.iam.group"
KEY = {"state": "Enabled", "symmetric": True, "origin": "AWS_KMS"}
TRAIL = {
    "arn": "t",
    "multi_region": True,
    "logging": True,
    "log_file_validation": True,
    "kms_key": "k",
    "bucket": "logs",
    "status_error": "",
}
BLOCKED = {
    "block_public_acls": True,
    "ignore_public_acls": True,
    "block_public_policy": True,
    "restrict_public_buckets": True,
}
STRONG = {
    "exists": True,
    "minimum_length": 16,
    "require_symbols": True,
    "require_numbers": True,
    "require_uppercase": True,
    "require_lowercase": True,
    "reuse_prevention": 24,
}
BACKUP = res(
    "aws.backup.region",
    "b",
    plans=[
        {
            "name": "p",
            "selections": [
                {"name": "s", "resources": [], "not_resources": [], "tags": [{"key": "backup", "value": "daily"}]}
            ],
        }
    ],
)
OIDC = {
    "type": "Federated",
    "principal": "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com",
    "actions": ["sts:AssumeRoleWithWebIdentity"],
}
DEPLOY = {"deploy_roles": ["exam*"]}  # the case's resource is named "example"

CASES: list[Case] = [
    # access
    case("aws.iam.root_mfa", "pass", mfa_enabled=True),
    case("aws.iam.root_mfa", "fail", mfa_enabled=False),
    case(
        "aws.iam.root_mfa",
        "error",
        "nothing of the root user could be read",
        mfa_enabled=True,
        unread={"*": "GetAccountSummary: AccessDenied"},
    ),
    case("aws.iam.root_no_access_keys", "pass", access_keys_present=False),
    case("aws.iam.root_no_access_keys", "fail", access_keys_present=True),
    case("aws.iam.root_not_used", "pass", credential_report=True, password_last_used=ago(200), access_keys=[]),
    case(
        "aws.iam.root_not_used",
        "fail",
        "a root key used 2 days ago",
        credential_report=True,
        password_last_used=ago(200),
        access_keys=[{"slot": 1, "active": True, "last_used": ago(2)}],
    ),
    case("aws.iam.root_not_used", "error", "the report has no root row", credential_report=False),
    case(
        "aws.iam.root_not_used",
        "error",
        "the credential report was denied",
        credential_report=False,
        unread={"credential_report": "GetCredentialReport: AccessDenied"},
    ),
    case("aws.iam.user_console_mfa", "pass", console=True, mfa=True),
    case("aws.iam.user_console_mfa", "fail", console=True, mfa=False),
    case("aws.iam.user_console_mfa", "not_applicable", console=False),
    case(
        "aws.iam.user_console_mfa",
        "error",
        console=True,
        mfa=True,
        unread={"credential_report": "GetCredentialReport: AccessDenied"},
    ),
    case("aws.iam.access_key_rotation", "fail", access_keys=[{"slot": 1, "active": True, "last_rotated": ago(91)}]),
    case("aws.iam.access_key_rotation", "pass", access_keys=[{"slot": 1, "active": True, "last_rotated": ago(89)}]),
    case(
        "aws.iam.access_key_rotation",
        "fail",
        "a tighter max_days",
        settings={"max_days": 30},
        access_keys=[{"slot": 1, "active": True, "last_rotated": ago(50)}],
    ),
    case("aws.iam.access_key_rotation", "not_applicable", access_keys=[{"slot": 1, "active": False}]),
    case("aws.iam.unused_credentials", "fail", console=True, created=ago(300), password_last_used=ago(100)),
    case("aws.iam.unused_credentials", "pass", console=True, created=ago(300), password_last_used=ago(10)),
    case(
        "aws.iam.unused_credentials",
        "fail",
        "a key unused for 120 days",
        console=False,
        access_keys=[{"slot": 1, "active": True, "last_rotated": ago(200), "last_used": ago(120)}],
    ),
    case("aws.iam.unused_credentials", "not_applicable", console=False, access_keys=[]),
    case("aws.iam.no_user_policies", "pass", attached_policies=[], inline_policies=[]),
    case("aws.iam.no_user_policies", "fail", attached_policies=["NorthwindAdmin"], inline_policies=[]),
    case("aws.iam.no_full_admin", "pass", admin_via=[]),
    case("aws.iam.no_full_admin", "fail", admin_via=["NorthwindAdmin"]),
    case("aws.iam.no_full_admin", "fail", "a group", type=GROUP, admin_via=["everything"]),
    case(
        "aws.iam.no_full_admin",
        "pass",
        "an approved admin role",
        type=ROLE,
        settings={"admin_roles": ["exam*"]},
        admin_via=["NorthwindAdmin"],
    ),
    case(
        "aws.iam.no_full_admin",
        "fail",
        "a role not approved",
        type=ROLE,
        settings={"admin_roles": ["Platform*"]},
        admin_via=["NorthwindAdmin"],
    ),
    case("aws.iam.no_full_admin", "not_applicable", type=ROLE, service_linked=True, admin_via=["x"]),
    case("aws.iam.password_policy", "pass", **STRONG),
    case("aws.iam.password_policy", "fail", "no policy", exists=False),
    case("aws.iam.password_policy", "fail", "symbols not required", **{**STRONG, "require_symbols": False}),
    case(
        "aws.iam.password_policy",
        "pass",
        "a looser minimum",
        settings={"min_length": 8},
        **{**STRONG, "minimum_length": 8},
    ),
    case("aws.accessanalyzer.enabled", "pass", analyzers=[{"name": "a", "status": "ACTIVE"}]),
    case("aws.accessanalyzer.enabled", "fail", analyzers=[{"name": "a", "status": "CREATING"}]),
    case("aws.iam.human_no_access_keys", "pass", console=True, access_keys=[]),
    case("aws.iam.human_no_access_keys", "fail", console=True, access_keys=[{"slot": 1, "active": True}]),
    case("aws.iam.human_no_access_keys", "not_applicable", console=False, access_keys=[{"slot": 1, "active": True}]),
    # encryption
    case("aws.ec2.ebs_default_encryption", "pass", ebs_encryption_by_default=True),
    case("aws.ec2.ebs_default_encryption", "fail", ebs_encryption_by_default=False),
    case("aws.ec2.volume_encrypted", "pass", encrypted=True, kms_key="k"),
    case("aws.ec2.volume_encrypted", "fail", encrypted=False),
    case("aws.s3.bucket_encryption", "pass", encryption=["aws:kms"]),
    case("aws.s3.bucket_encryption", "fail", encryption=[]),
    case("aws.s3.bucket_encryption", "error", encryption=[], unread={"encryption": DENIED}),
    case("aws.s3.bucket_encryption", "not_applicable", "deleted during the sweep", vanished="NoSuchBucket"),
    case("aws.s3.bucket_tls_only", "pass", tls_only=True, has_policy=True),
    case("aws.s3.bucket_tls_only", "fail", tls_only=False, has_policy=True),
    case("aws.s3.bucket_tls_only", "error", tls_only=False, unread={"policy": "GetBucketPolicy: AccessDenied"}),
    case("aws.rds.storage_encrypted", "pass", encrypted=True),
    case("aws.rds.storage_encrypted", "fail", encrypted=False),
    case("aws.kms.key_rotation", "pass", **KEY, rotation_enabled=True),
    case("aws.kms.key_rotation", "fail", **KEY, rotation_enabled=False),
    case("aws.kms.key_rotation", "not_applicable", **{**KEY, "state": "PendingDeletion"}),
    case("aws.kms.key_rotation", "not_applicable", "asymmetric", **{**KEY, "symmetric": False}),
    case(
        "aws.kms.key_rotation",
        "error",
        **KEY,
        rotation_enabled=None,
        unread={"rotation": "GetKeyRotationStatus: AccessDeniedException"},
    ),
    case("aws.elbv2.tls_policy", "pass", protocol="HTTPS", ssl_policy="p", tls_protocols=["TLSv1.2", "TLSv1.3"]),
    case("aws.elbv2.tls_policy", "fail", protocol="HTTPS", ssl_policy="p", tls_protocols=["TLSv1", "TLSv1.2"]),
    case(
        "aws.elbv2.tls_policy", "fail", "a policy of unknown content", protocol="TLS", ssl_policy="p", tls_protocols=[]
    ),
    case("aws.elbv2.tls_policy", "pass", "HTTP that redirects", protocol="HTTP", redirects_to_https=True),
    case("aws.elbv2.tls_policy", "fail", "HTTP that serves", protocol="HTTP", redirects_to_https=False),
    case("aws.elbv2.tls_policy", "not_applicable", protocol="TCP"),
    case(
        "aws.cloudfront.tls_policy",
        "pass",
        viewer_protocols=["redirect-to-https"],
        default_certificate=False,
        minimum_protocol_version="TLSv1.2_2021",
        origin_protocols=["s3"],
        origin_ssl_protocols=[],
    ),
    case(
        "aws.cloudfront.tls_policy",
        "fail",
        viewer_protocols=["allow-all"],
        default_certificate=True,
        minimum_protocol_version="TLSv1",
        origin_protocols=["s3"],
        origin_ssl_protocols=[],
    ),
    case(
        "aws.cloudfront.tls_policy",
        "fail",
        "an origin over TLS 1.0",
        viewer_protocols=["https-only"],
        minimum_protocol_version="TLSv1.2_2021",
        origin_protocols=["https-only"],
        origin_ssl_protocols=["TLSv1"],
    ),
    case("aws.acm.certificate_expiry", "fail", status="ISSUED", not_after=ago(-20)),
    case("aws.acm.certificate_expiry", "pass", status="ISSUED", not_after=ago(-20), settings={"min_days": 14}),
    case("aws.acm.certificate_expiry", "fail", "no expiry date", status="ISSUED", not_after=None),
    case("aws.acm.certificate_expiry", "not_applicable", status="PENDING_VALIDATION", not_after=ago(-5)),
    # network
    case(
        "aws.ec2.security_group_ingress",
        "pass",
        open_ingress=[{"protocol": "tcp", "from": 443, "to": 443, "cidr": "0.0.0.0/0"}],
    ),
    case(
        "aws.ec2.security_group_ingress",
        "fail",
        open_ingress=[{"protocol": "-1", "from": None, "to": None, "cidr": "::/0"}],
    ),
    case(
        "aws.ec2.security_group_ingress",
        "fail",
        "a range over 3389",
        open_ingress=[{"protocol": "tcp", "from": 3380, "to": 3390, "cidr": "0.0.0.0/0"}],
    ),
    case(
        "aws.ec2.security_group_ingress",
        "fail",
        "a port added to admin_ports",
        settings={"admin_ports": [443]},
        open_ingress=[{"protocol": "tcp", "from": 443, "to": 443, "cidr": "0.0.0.0/0"}],
    ),
    case("aws.rds.not_public", "pass", publicly_accessible=False),
    case("aws.rds.not_public", "fail", publicly_accessible=True),
    case("aws.s3.account_public_access_block", "pass", public_access_block=BLOCKED),
    case("aws.s3.account_public_access_block", "fail", public_access_block={}),
    case(
        "aws.s3.account_public_access_block",
        "error",
        public_access_block={},
        unread={"public_access_block": "GetPublicAccessBlock: AccessDenied"},
    ),
    case("aws.s3.bucket_public_access_block", "pass", public_access_block=BLOCKED),
    case("aws.s3.bucket_public_access_block", "fail", public_access_block={**BLOCKED, "block_public_policy": False}),
    # change management
    case("aws.iam.no_human_write_in_production", "not_applicable", production=False, write_actions=["*"]),
    case("aws.iam.no_human_write_in_production", "pass", production=True, write_actions=[]),
    case("aws.iam.no_human_write_in_production", "fail", production=True, write_actions=["s3:PutObject"]),
    case("aws.iam.deploy_role_oidc", "pass", settings=DEPLOY, trust=[{**OIDC, "conditions": True}]),
    case(
        "aws.iam.deploy_role_oidc",
        "fail",
        "OIDC without conditions",
        settings=DEPLOY,
        trust=[{**OIDC, "conditions": False}],
    ),
    case(
        "aws.iam.deploy_role_oidc",
        "fail",
        "an account principal too",
        settings=DEPLOY,
        trust=[{**OIDC, "conditions": True}, {"type": "AWS", "principal": "arn:aws:iam::1:root", "actions": []}],
    ),
    case("aws.iam.deploy_role_oidc", "not_applicable", "not a deploy role", trust=[]),
]
