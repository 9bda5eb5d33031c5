"""The fictional "Northwind Analytics" estate, written into the emulator through plain boto3 (the
plugin's read-only guard is not involved): some controls met, some not.

:func:`seed_estate` creates it; :class:`Estate` tells tests what was created. moto's random ids are
seeded first, so the same estate gets the same ids every time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .regions import seed_region
from .server import ACCOUNT, REGIONS, post

RANDOM_SEED = 4471  # moto's id generator, seeded before the estate is created


@dataclass
class Estate:
    """What :func:`seed_estate` created (names and ids tests assert on)."""

    account: str = ACCOUNT
    regions: tuple[str, ...] = REGIONS
    member_accounts: list[str] = field(default_factory=list)
    secret: str = ""
    names: dict[str, str] = field(default_factory=dict)


def _session(endpoint: str, credentials: dict[str, str] | None = None) -> Any:
    import boto3

    session = boto3.Session(
        aws_access_key_id=(credentials or {}).get("AccessKeyId", "testing"),
        aws_secret_access_key=(credentials or {}).get("SecretAccessKey", "testing"),
        aws_session_token=(credentials or {}).get("SessionToken"),
        region_name="us-east-1",
    )

    def strip_prefix(request: Any = None, **_: Any) -> None:
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(request.url)
        head, _, rest = parts.netloc.partition(".")
        if head.isdigit() and rest:
            request.url = urlunsplit(parts._replace(netloc=rest))

    session.events.register("before-sign.s3-control", strip_prefix)
    return session


class Clients:
    def __init__(self, endpoint: str, credentials: dict[str, str] | None = None) -> None:
        self.endpoint = endpoint
        self.session = _session(endpoint, credentials)
        self._cache: dict[tuple[str, str], Any] = {}

    def __call__(self, service: str, region: str = "us-east-1") -> Any:
        from botocore.config import Config

        key = (service, region)
        if key not in self._cache:
            self._cache[key] = self.session.client(
                service,
                region_name=region,
                endpoint_url=self.endpoint,
                config=Config(s3={"addressing_style": "path"}, retries={"mode": "standard", "total_max_attempts": 3}),
            )
        return self._cache[key]


_CLIENTS: dict[str, Clients] = {}


def _trust(principal: dict[str, Any], action: str = "sts:AssumeRole", condition: dict[str, Any] | None = None) -> str:
    stmt: dict[str, Any] = {"Effect": "Allow", "Principal": principal, "Action": action}
    if condition:
        stmt["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [stmt]})


def _seed_iam(c: Clients, estate: Estate) -> None:
    iam = c("iam")
    iam.update_account_password_policy(MinimumPasswordLength=8, RequireSymbols=False)
    read_only = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["s3:Get*", "s3:List*", "ec2:Describe*", "cloudwatch:GetMetricData"],
                    "Resource": "*",
                }
            ],
        }
    )
    admin = iam.create_policy(
        PolicyName="NorthwindAdmin",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        ),
    )["Policy"]["Arn"]
    iam.create_group(GroupName="analysts")
    iam.put_group_policy(GroupName="analysts", PolicyName="read-only", PolicyDocument=read_only)
    # alice: a human with console + MFA, permissions through her group only
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Correct-Horse-9!")
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"]["SerialNumber"]
    iam.enable_mfa_device(
        UserName="alice", SerialNumber=serial, AuthenticationCode1="123456", AuthenticationCode2="654321"
    )
    iam.add_user_to_group(GroupName="analysts", UserName="alice")
    # bob: a human with console, no MFA, static keys and AdministratorAccess attached to him
    iam.create_user(UserName="bob")
    iam.create_login_profile(UserName="bob", Password="Password1!")
    iam.create_access_key(UserName="bob")
    iam.attach_user_policy(UserName="bob", PolicyArn=admin)
    # ci-bot: automation with a key (no console), read-only inline policy
    iam.create_user(UserName="ci-bot")
    iam.create_access_key(UserName="ci-bot")
    iam.put_user_policy(UserName="ci-bot", PolicyName="read", PolicyDocument=read_only)
    # roles: an approved admin role, an unapproved break-glass one, OIDC and legacy deploy roles
    account_trust = _trust({"AWS": f"arn:aws:iam::{estate.account}:root"})
    iam.create_role(RoleName="PlatformAdmin", AssumeRolePolicyDocument=account_trust)
    iam.attach_role_policy(RoleName="PlatformAdmin", PolicyArn=admin)
    iam.create_role(RoleName="BreakGlass", AssumeRolePolicyDocument=account_trust)
    iam.put_role_policy(
        RoleName="BreakGlass",
        PolicyName="everything",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        ),
    )
    oidc = iam.create_open_id_connect_provider(
        Url="https://token.actions.githubusercontent.com", ClientIDList=["sts.amazonaws.com"], ThumbprintList=["a" * 40]
    )
    iam.create_role(
        RoleName="github-deploy",
        AssumeRolePolicyDocument=_trust(
            {"Federated": oidc["OpenIDConnectProviderArn"]},
            "sts:AssumeRoleWithWebIdentity",
            {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:northwind/app:ref:refs/heads/main"}},
        ),
    )
    iam.create_role(RoleName="legacy-deploy", AssumeRolePolicyDocument=account_trust)
    iam.create_role(RoleName="TrustsweepReadOnly", AssumeRolePolicyDocument=account_trust)


def _seed_s3(c: Clients, estate: Estate) -> None:
    s3 = c("s3")
    s3.create_bucket(Bucket="nw-audit-logs", ObjectLockEnabledForBucket=True)
    s3.put_object_lock_configuration(
        Bucket="nw-audit-logs",
        ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 400}},
        },
    )
    s3.create_bucket(Bucket="nw-access-logs", ACL="log-delivery-write")
    s3.create_bucket(Bucket="nw-public-assets")
    s3.create_bucket(Bucket="nw-eu-exports", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    block = {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    for name in ("nw-audit-logs", "nw-access-logs"):
        s3.put_bucket_encryption(
            Bucket=name,
            ServerSideEncryptionConfiguration={
                "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]
            },
        )
        s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=block)
        s3.put_bucket_policy(
            Bucket=name,
            Policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "TlsOnly",
                            "Effect": "Deny",
                            "Action": "s3:*",
                            # moto's logging-target check crashes on the string form "*" (both forms mean everyone)
                            "Principal": "*" if name == "nw-audit-logs" else {"AWS": "*"},
                            "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"],
                            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                        }
                    ],
                }
            ),
        )
    s3.put_bucket_logging(
        Bucket="nw-audit-logs",
        BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "nw-access-logs", "TargetPrefix": "audit/"}},
    )
    # a policy that exists but does not enforce TLS
    s3.put_bucket_policy(
        Bucket="nw-public-assets",
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": "arn:aws:s3:::nw-public-assets/*",
                    }
                ],
            }
        ),
    )
    c("s3control").put_public_access_block(AccountId=estate.account, PublicAccessBlockConfiguration=block)


def _seed_organization(c: Clients, estate: Estate, members: int) -> None:
    org = c("organizations")
    org.create_organization(FeatureSet="ALL")
    for i in range(members):
        status = org.create_account(Email=f"staging{i}@northwind.example", AccountName=f"Northwind Staging {i}")
        account = status["CreateAccountStatus"]["AccountId"]
        estate.member_accounts.append(account)
        creds = c("sts").assume_role(
            RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="seed"
        )["Credentials"]
        member = Clients(c.endpoint, creds)
        member("iam").create_role(
            RoleName="TrustsweepReadOnly",
            AssumeRolePolicyDocument=_trust({"AWS": f"arn:aws:iam::{estate.account}:root"}),
        )
        member("s3").create_bucket(Bucket=f"nw-staging-{i}-data")
        member("guardduty").create_detector(Enable=True)


def seed_estate(endpoint: str, *, regions: tuple[str, ...] = REGIONS, secret: str = "", members: int = 0) -> Estate:
    """Create the Northwind Analytics estate in the emulator at ``endpoint``.

    The first region is the primary one (most controls met there); the others are neglected. moto's
    random ids are seeded first, so the same estate gets the same ids every time it is created.
    ``secret`` is planted in places the plugin must never copy (Lambda environment, EC2 user data,
    Secrets Manager, SSM, the RDS master password); ``members`` adds organisation member accounts.
    """
    estate = Estate(regions=tuple(regions), secret=secret)
    c = _CLIENTS.get(endpoint) or _CLIENTS.setdefault(endpoint, Clients(endpoint))
    post(endpoint, f"/moto-api/seed?a={RANDOM_SEED}")  # the same ids (volumes, keys, ARNs...) every time
    _seed_iam(c, estate)
    _seed_s3(c, estate)
    for i, region in enumerate(regions):
        seed_region(c, estate, region, primary=i == 0)
    if members:
        _seed_organization(c, estate, members)
    return estate
