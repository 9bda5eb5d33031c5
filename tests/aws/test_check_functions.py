"""Check functions on resources shaped exactly like the collectors' output, for the outcomes moto
cannot produce (root MFA, Access Analyzer, backup selections, ...) and for edge cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from trustsweep.model import Resource, Status
from trustsweep.provider import CheckContext, TargetInventory, load_object
from trustsweep.settings import resolve_all
from trustsweep_aws.specs import CHECKS

P, F, E, N = Status.PASS, Status.FAIL, Status.ERROR, Status.NOT_APPLICABLE
NOW = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)
SPECS = {c.id: c for c in CHECKS}


def ago(days: float) -> str:
    return (NOW - dt.timedelta(days=days)).isoformat()


def res(type_: str, name: str = "r", region: str = "us-east-1", **props: Any) -> Resource:
    return Resource("aws", "123456789012", region, type_, f"arn:aws:test:::{type_}/{name}", name, props)


def run(check_id: str, resource: Resource, others: list[Resource] = (), config: dict | None = None) -> Status:
    spec = SPECS[check_id]
    assert resource.type in spec.resource_types
    settings, problems = resolve_all(CHECKS, config or {})
    assert not problems
    ctx = CheckContext(TargetInventory("aws", "123456789012", [resource, *others]), settings, NOW, check_id)
    return load_object(spec.function)(resource, ctx).status


ROOT = "aws.iam.root"
USER = "aws.iam.user"
BUCKET = "aws.s3.bucket"
CASES: list[tuple[str, Resource, Status, list[Resource], dict]] = [
    ("aws.iam.root_mfa", res(ROOT, mfa_enabled=True), P, [], {}),
    ("aws.iam.root_mfa", res(ROOT, mfa_enabled=False), F, [], {}),
    ("aws.iam.root_no_access_keys", res(ROOT, access_keys_present=True), F, [], {}),
    ("aws.iam.root_no_access_keys", res(ROOT, access_keys_present=False), P, [], {}),
    ("aws.iam.root_not_used", res(ROOT, credential_report=True, password_last_used=ago(200), access_keys=[]), P, [], {}),
    ("aws.iam.root_not_used", res(ROOT, credential_report=True, password_last_used=ago(200),
                                  access_keys=[{"slot": 1, "active": True, "last_used": ago(2)}]), F, [], {}),
    ("aws.iam.root_not_used", res(ROOT, credential_report=False), E, [], {}),
    ("aws.iam.access_key_rotation", res(USER, access_keys=[{"slot": 1, "active": True, "last_rotated": ago(91)}]), F, [], {}),
    ("aws.iam.access_key_rotation", res(USER, access_keys=[{"slot": 1, "active": True, "last_rotated": ago(89)}]), P, [], {}),
    ("aws.iam.access_key_rotation", res(USER, access_keys=[{"slot": 1, "active": True, "last_rotated": ago(50)}]), F, [],
     {"aws.iam.access_key_rotation": {"max_days": 30}}),
    ("aws.iam.unused_credentials", res(USER, console=True, created=ago(300), password_last_used=ago(100)), F, [], {}),
    ("aws.iam.unused_credentials", res(USER, console=True, created=ago(300), password_last_used=ago(10)), P, [], {}),
    ("aws.iam.unused_credentials", res(USER, console=False, access_keys=[
        {"slot": 1, "active": True, "last_rotated": ago(200), "last_used": ago(120)}]), F, [], {}),
    ("aws.iam.password_policy", res("aws.iam.password-policy", exists=True, policy={
        "MinimumPasswordLength": 16, "RequireSymbols": True, "RequireNumbers": True, "RequireUppercaseCharacters": True,
        "RequireLowercaseCharacters": True, "PasswordReusePrevention": 24}), P, [], {}),
    ("aws.iam.password_policy", res("aws.iam.password-policy", exists=False, policy={}), F, [], {}),
    ("aws.accessanalyzer.enabled", res("aws.accessanalyzer.region", analyzers=[{"name": "a", "status": "ACTIVE"}]), P, [], {}),
    ("aws.accessanalyzer.enabled", res("aws.accessanalyzer.region", analyzers=[]), F, [], {}),
    ("aws.cloudtrail.multi_region_trail", res("aws.cloudtrail.account", trails=[]), F, [], {}),
    ("aws.cloudtrail.multi_region_trail", res("aws.cloudtrail.account", trails=[
        {"arn": "t", "multi_region": True, "logging": True, "log_file_validation": True, "kms_key": "k",
         "bucket": "elsewhere", "status_error": ""}]), E, [], {}),  # the bucket lives in another account
    ("aws.cloudtrail.multi_region_trail", res("aws.cloudtrail.account", trails=[
        {"arn": "t", "multi_region": True, "logging": True, "log_file_validation": True, "kms_key": "k",
         "bucket": "logs", "status_error": ""}]), F, [res(BUCKET, "logs", object_lock=False, errors={})], {}),
    ("aws.s3.bucket_encryption", res(BUCKET, encryption=[], errors={"encryption": "GetBucketEncryption: AccessDenied"}),
     E, [], {}),
    ("aws.kms.key_rotation", res("aws.kms.key", state="PendingDeletion", symmetric=True, origin="AWS_KMS"), N, [], {}),
    ("aws.inspector2.findings_sla", res("aws.inspector2.region", status="ENABLED", findings=[
        {"arn": "f", "severity": "CRITICAL", "first_observed": ago(8)}]), F, [], {}),
    ("aws.inspector2.findings_sla", res("aws.inspector2.region", status="ENABLED", findings=[
        {"arn": "f", "severity": "CRITICAL", "first_observed": ago(6)}, {"arn": "g", "severity": "HIGH",
                                                                        "first_observed": ago(29)}]), P, [], {}),
    ("aws.inspector2.findings_sla", res("aws.inspector2.region", status="ENABLED", findings=[
        {"arn": "f", "severity": "CRITICAL", "first_observed": ago(6)}]), F, [],
     {"aws.inspector2.findings_sla": {"critical_days": 3}}),
    ("aws.ecr.scan_on_push", res("aws.ecr.repository", scan_on_push=False, registry_rules=[
        {"frequency": "CONTINUOUS_SCAN", "filters": ["*"]}]), P, [], {}),
    ("aws.ec2.security_group_ingress", res("aws.ec2.security-group", open_ingress=[
        {"protocol": "-1", "from": None, "to": None, "cidr": "::/0"}]), F, [], {}),
    ("aws.ec2.security_group_ingress", res("aws.ec2.security-group", open_ingress=[
        {"protocol": "tcp", "from": 3380, "to": 3390, "cidr": "0.0.0.0/0"}]), F, [], {}),
    ("aws.ec2.vpc_flow_logs", res("aws.ec2.vpc", flow_logs=[{"id": "fl-1", "status": "ACTIVE"}]), P, [], {}),
    ("aws.ec2.vpc_flow_logs", res("aws.ec2.vpc", flow_logs=[]), F, [], {}),
    ("aws.s3.account_public_access_block", res("aws.s3.account-settings", public_access_block={}, errors={}), F, [], {}),
    ("aws.backup.production_coverage", res("aws.rds.instance", "db", tags={"environment": "prod", "backup": "daily"}), P,
     [res("aws.backup.region", "b", plans=[{"name": "p", "selections": [
         {"name": "s", "resources": [], "not_resources": [], "tags": [{"key": "backup", "value": "daily"}]}]}])], {}),
    ("aws.backup.production_coverage", res("aws.ec2.volume", "v", tags={"environment": "production"}), F,
     [res("aws.backup.region", "b", plans=[{"name": "p", "selections": [
         {"name": "s", "resources": [], "not_resources": [], "tags": [{"key": "backup", "value": "daily"}]}]}])], {}),
    ("aws.backup.production_coverage", res("aws.ec2.volume", "v", tags={"environment": "production"}), E, [], {}),
    ("aws.backup.production_coverage", res("aws.ec2.volume", "v", tags={"environment": "dev"}), N, [], {}),
    ("aws.iam.no_human_write_in_production", res(USER, production=False, write_actions=["*"]), N, [], {}),
    ("aws.iam.deploy_role_oidc", res("aws.iam.role", "app-deploy", trust=[
        {"type": "Federated", "principal": "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com",
         "actions": ["sts:AssumeRoleWithWebIdentity"], "conditions": False}]), F, [], {}),
    ("aws.rds.multi_az_production", res("aws.rds.instance", tags={"Environment": "Prod"}, multi_az=False), F, [], {}),
    ("aws.rds.multi_az_production", res("aws.rds.instance", tags={"tier": "prod"}, multi_az=False), F, [],
     {"aws": {"production_tag_key": "tier"}}),  # the provider-wide setting decides what production means
    ("aws.rds.multi_az_production", res("aws.rds.instance", tags={"tier": "prod"}, multi_az=False), N, [], {}),
    ("aws.acm.certificate_expiry", res("aws.acm.certificate", status="ISSUED", not_after=ago(-20)), F, [], {}),
    ("aws.acm.certificate_expiry", res("aws.acm.certificate", status="ISSUED", not_after=ago(-20)), P, [],
     {"aws.acm.certificate_expiry": {"min_days": 14}}),
    ("aws.logs.retention", res("aws.logs.log-group", retention_days=400), F, [], {"aws.logs.retention": {"min_days": 500}}),
]
# a user in a production account with write access through a group, moto-independent
CASES.append(("aws.iam.no_human_write_in_production", res(USER, production=True, write_actions=[]), P, [], {}))


@pytest.mark.parametrize(("check_id", "resource", "expected", "others", "config"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_check_function(check_id: str, resource: Resource, expected: Status, others: list[Resource],
                        config: dict) -> None:
    assert run(check_id, resource, others, config) is expected


COVERED: dict[str, set[Status]] = {}
for _check, _resource, _status, _others, _config in CASES:
    COVERED.setdefault(_check, set()).add(_status)


def test_iam_policy_helpers() -> None:
    from trustsweep_aws import iampolicy

    admin = {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    assert iampolicy.allows_full_admin(admin)
    assert iampolicy.allows_full_admin('{"Statement": {"Effect": "Allow", "Action": ["*:*"], "Resource": ["*"]}}')
    assert not iampolicy.allows_full_admin({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "arn:x"}]})
    assert not iampolicy.allows_full_admin({"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]})
    assert iampolicy.write_actions({"Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "ec2:Describe*",
                                                                                 "s3:PutObject", "iam:*"]}]}) == ["s3:PutObject", "iam:*"]
    assert iampolicy.is_read_action("dynamodb:Query") and not iampolicy.is_read_action("s3:*")
    tls = {"Statement": [{"Effect": "Deny", "Principal": {"AWS": ["*"]}, "Action": ["s3:*"],
                          "Condition": {"Bool": {"aws:SecureTransport": ["false"]}}}]}
    assert iampolicy.denies_insecure_transport(tls)
    assert not iampolicy.denies_insecure_transport({"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
                                                                   "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})
    trust = iampolicy.trust_principals({"Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:p", "AWS": ["a", "b"]},
                                                       "Action": "sts:AssumeRoleWithWebIdentity"}]})
    assert {(t["type"], t["principal"]) for t in trust} == {("Federated", "arn:p"), ("AWS", "a"), ("AWS", "b")}
