"""Every check against the seeded Northwind estate, collected through boto3 from moto's server over
HTTP: a passing and a failing resource each (where moto can represent both; the rest are covered
by the cases of ``test_conformance.py`` on the same resource shapes)."""

from __future__ import annotations

import datetime as dt
import gzip

import pytest

from trustsweep.config import Config
from trustsweep.model import Status
from trustsweep.plugins import Registry
from trustsweep.sweep import evaluate_inventory
from trustsweep_aws.provider import SERVICES

from ..sweeping import SETTINGS, Swept

P, F, E, N = Status.PASS, Status.FAIL, Status.ERROR, Status.NOT_APPLICABLE
US, EU = "us-east-1", "eu-west-1"

# (check id, resource name (or id suffix), expected status)
EXPECTED = [
    ("aws.iam.root_mfa", "root", F),  # moto never reports root MFA
    ("aws.iam.root_no_access_keys", "root", P),
    ("aws.iam.root_not_used", "root", E),  # moto's credential report has no root row
    ("aws.iam.user_console_mfa", "alice", P),
    ("aws.iam.user_console_mfa", "bob", F),
    ("aws.iam.user_console_mfa", "ci-bot", N),
    ("aws.iam.access_key_rotation", "ci-bot", P),
    ("aws.iam.access_key_rotation", "alice", N),
    ("aws.iam.unused_credentials", "alice", P),
    ("aws.iam.no_user_policies", "alice", P),
    ("aws.iam.no_user_policies", "bob", F),
    ("aws.iam.no_user_policies", "ci-bot", F),
    ("aws.iam.no_full_admin", "alice", P),
    ("aws.iam.no_full_admin", "bob", F),
    ("aws.iam.no_full_admin", "analysts", P),
    ("aws.iam.no_full_admin", "PlatformAdmin", P),  # approved in settings.aws.admin_roles
    ("aws.iam.no_full_admin", "BreakGlass", F),
    ("aws.iam.password_policy", "password policy", F),
    ("aws.iam.human_no_access_keys", "alice", P),
    ("aws.iam.human_no_access_keys", "bob", F),
    ("aws.iam.human_no_access_keys", "ci-bot", N),
    ("aws.ec2.ebs_default_encryption", f"EC2 settings {US}", P),
    ("aws.ec2.ebs_default_encryption", f"EC2 settings {EU}", F),
    ("aws.ec2.volume_encrypted", "orders-data", P),
    ("aws.ec2.volume_encrypted", f"scratch-{EU}", F),
    ("aws.s3.bucket_encryption", "nw-audit-logs", P),
    ("aws.s3.bucket_encryption", "nw-public-assets", F),
    ("aws.s3.bucket_encryption", "nw-eu-exports", F),
    ("aws.s3.bucket_tls_only", "nw-audit-logs", P),
    ("aws.s3.bucket_tls_only", "nw-access-logs", P),
    ("aws.s3.bucket_tls_only", "nw-public-assets", F),
    ("aws.rds.storage_encrypted", "orders-db", P),
    ("aws.rds.storage_encrypted", "analytics-db", F),
    ("aws.kms.key_rotation", f"nw-data-{US}", P),
    ("aws.kms.key_rotation", f"nw-legacy-{EU}", F),
    ("aws.elbv2.tls_policy", "nw-web:443", P),
    ("aws.elbv2.tls_policy", "nw-web:8443", F),
    ("aws.elbv2.tls_policy", "nw-web:80", P),
    ("aws.cloudfront.tls_policy", "nw-www", P),
    ("aws.cloudfront.tls_policy", "nw-legacy", F),
    ("aws.acm.certificate_expiry", "app.northwind.example", P),
    ("aws.acm.certificate_expiry", "old.northwind.example", F),
    ("aws.cloudtrail.multi_region_trail", "CloudTrail", P),
    ("aws.logs.retention", "/northwind/audit", P),
    ("aws.logs.retention", f"/northwind/{US}/app", F),
    ("aws.config.recording", f"AWS Config {US}", P),
    ("aws.config.recording", f"AWS Config {EU}", F),
    ("aws.s3.access_logging", "nw-audit-logs", P),
    ("aws.s3.access_logging", "nw-public-assets", F),
    ("aws.s3.access_logging", "nw-access-logs", N),
    ("aws.guardduty.enabled", f"GuardDuty {US}", P),
    ("aws.guardduty.enabled", f"GuardDuty {EU}", F),
    ("aws.securityhub.enabled", f"Security Hub {US}", P),
    ("aws.securityhub.enabled", f"Security Hub {EU}", F),
    ("aws.inspector2.enabled", f"Inspector {US}", P),
    ("aws.inspector2.enabled", f"Inspector {EU}", F),
    ("aws.inspector2.findings_sla", f"Inspector {US}", P),  # one HIGH finding, 3 days old
    ("aws.inspector2.findings_sla", f"Inspector {EU}", F),  # not enabled at all
    ("aws.ecr.scan_on_push", "nw-api", P),
    ("aws.ecr.scan_on_push", f"nw-legacy-{US}", F),
    ("aws.ec2.security_group_ingress", "nw-web", P),
    ("aws.ec2.security_group_ingress", "nw-bastion", F),
    ("aws.rds.not_public", "orders-db", P),
    ("aws.rds.not_public", "analytics-db", F),
    ("aws.s3.account_public_access_block", "S3 account settings", P),
    ("aws.s3.bucket_public_access_block", "nw-audit-logs", P),
    ("aws.s3.bucket_public_access_block", "nw-public-assets", F),
    ("aws.rds.backup_retention", "orders-db", P),
    ("aws.rds.backup_retention", "analytics-db", F),
    ("aws.rds.deletion_protection", "orders-db", P),
    ("aws.rds.deletion_protection", "analytics-db", F),
    ("aws.rds.multi_az_production", "orders-db", P),
    ("aws.rds.multi_az_production", "analytics-db", F),
    ("aws.backup.production_coverage", "orders-db", E),  # moto lacks backup selections
    ("aws.backup.production_coverage", f"scratch-{US}", E),
    ("aws.backup.production_coverage", "nw-eu-exports", None),  # buckets are not in scope of this check
    ("aws.iam.no_human_write_in_production", "alice", P),
    ("aws.iam.no_human_write_in_production", "ci-bot", P),
    ("aws.iam.no_human_write_in_production", "bob", F),
    ("aws.iam.deploy_role_oidc", "github-deploy", P),
    ("aws.iam.deploy_role_oidc", "legacy-deploy", F),
    ("aws.iam.deploy_role_oidc", "PlatformAdmin", N),
]


@pytest.mark.parametrize(("check_id", "name", "expected"), EXPECTED, ids=[f"{c}[{n}]" for c, n, _ in EXPECTED])
def test_check_on_emulated_estate(northwind: Swept, check_id: str, name: str, expected: Status | None) -> None:
    if expected is None:
        assert northwind.results(check_id, name) == []
        return
    assert northwind.status(check_id, name) is expected


def test_member_account_swept_through_assumed_role(northwind: Swept) -> None:
    member = northwind.estate.member_accounts[0]
    assert {t.id for t in northwind.sweep.targets} == {northwind.estate.account, member}
    target = next(t for t in northwind.sweep.targets if t.id == member)
    assert target.attrs["role_arn"] == f"arn:aws:iam::{member}:role/TrustsweepReadOnly"
    assert target.attrs["secret_external_id"] == "nw-external-id"
    saved = b"".join(gzip.decompress(f.read_bytes()) for f in northwind.inventory.rglob("*.jsonl.gz"))
    assert b"TrustsweepReadOnly" in saved and b"nw-external-id" not in saved  # secret_* attrs never written
    assert not target.attrs["production"]
    buckets = {r.name for r in northwind.sweep.resources if r.target == member and r.type == "aws.s3.bucket"}
    assert buckets == {"nw-staging-0-data"}  # the member's own bucket, not the management account's
    assert northwind.status("aws.guardduty.enabled", f"GuardDuty {US}", member) is P
    assert northwind.status("aws.cloudtrail.multi_region_trail", "CloudTrail", member) is F
    assert northwind.status("aws.s3.account_public_access_block", "S3 account settings", member) is F


def test_regions_and_units(northwind: Swept) -> None:
    regions = {r.region for r in northwind.sweep.resources if r.target == northwind.estate.account}
    assert {US, EU, "global"} <= regions
    per_account = sum(len(northwind.estate.regions) if s.REGIONAL else 1 for s in SERVICES)
    assert northwind.sweep.stats["units"] == 2 * per_account
    assert northwind.sweep.stats["requests"] > 0


def test_unemulated_services_become_errors_not_passes(northwind: Swept) -> None:
    errors = [r for r in northwind.sweep.results if r.check_id == "aws.accessanalyzer.enabled"]
    assert errors and all(r.status is E for r in errors)
    assert all("NotImplemented" in r.reason for r in errors)
    assert northwind.sweep.exit_code == 3


def test_time_based_checks_fail_once_time_passes(northwind: Swept) -> None:
    """Re-evaluate the saved inventory 120 days later: the same keys, logins and findings now fail."""
    registry = Registry.load()
    mapping = registry.mapping()
    later = northwind.sweep.started + dt.timedelta(days=120)
    swept = evaluate_inventory(
        registry, mapping, northwind.inventory, now=later, config=Config(settings={"aws": SETTINGS})
    )
    status = {
        (r.check_id, northwind.names.get(r.resource_id)): r.status
        for r in swept.results
        if r.target == northwind.estate.account
    }
    assert status[("aws.iam.access_key_rotation", "ci-bot")] is F
    assert status[("aws.iam.unused_credentials", "alice")] is F
    assert status[("aws.inspector2.findings_sla", f"Inspector {US}")] is F
    assert status[("aws.acm.certificate_expiry", "app.northwind.example")] is P  # 400-day certificate
