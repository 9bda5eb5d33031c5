"""The fictional "Northwind Analytics" estate, written into the emulator through plain boto3 (the
plugin's read-only guard is not involved): some controls met, some not.

:func:`seed_estate` creates it; :class:`Estate` tells tests what was created. moto's random ids are
seeded first, so the same estate gets the same ids every time.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

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


class _Clients:
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


_CLIENTS: dict[str, _Clients] = {}


def _certificate(days: int, name: str) -> tuple[bytes, bytes]:
    import trustme

    ca = trustme.CA()
    now = dt.datetime.now(dt.UTC)
    leaf = ca.issue_cert(name, not_before=now - dt.timedelta(days=1), not_after=now + dt.timedelta(days=days))
    return leaf.cert_chain_pems[0].bytes(), leaf.private_key_pem.bytes()


def _trust(principal: dict[str, Any], action: str = "sts:AssumeRole", condition: dict[str, Any] | None = None) -> str:
    stmt: dict[str, Any] = {"Effect": "Allow", "Principal": principal, "Action": action}
    if condition:
        stmt["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [stmt]})


def _seed_iam(c: _Clients, estate: Estate) -> None:
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


def _seed_s3(c: _Clients, estate: Estate) -> None:
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


def _seed_region(c: _Clients, estate: Estate, region: str, primary: bool) -> None:
    ec2 = c("ec2", region)
    vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    subnets = [s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]]
    prod = [{"Key": "environment", "Value": "production"}]
    if primary:
        ec2.enable_ebs_encryption_by_default()
        ec2.create_volume(
            AvailabilityZone=f"{region}a",
            Size=20,
            Encrypted=True,
            TagSpecifications=[
                {
                    "ResourceType": "volume",
                    "Tags": [*prod, {"Key": "Name", "Value": "orders-data"}, {"Key": "backup", "Value": "daily"}],
                }
            ],
        )
        ec2.create_flow_logs(
            ResourceIds=[vpc],
            ResourceType="VPC",
            TrafficType="ALL",
            LogDestinationType="s3",
            LogDestination="arn:aws:s3:::nw-audit-logs",
        )
        web = ec2.create_security_group(GroupName="nw-web", Description="web", VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(
            GroupId=web,
            IpPermissions=[
                {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
            ],
        )
    ec2.create_volume(
        AvailabilityZone=f"{region}a",
        Size=8,
        Encrypted=False,
        TagSpecifications=[{"ResourceType": "volume", "Tags": [*prod, {"Key": "Name", "Value": f"scratch-{region}"}]}],
    )
    ssh = ec2.create_security_group(GroupName="nw-bastion", Description="bastion", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=ssh,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    if estate.secret:
        ec2.run_instances(
            ImageId="ami-12c6146b",
            MinCount=1,
            MaxCount=1,
            InstanceType="t3.micro",
            UserData=f"#!/bin/sh\nexport DB_PASSWORD={estate.secret}\n",
        )

    logs = c("logs", region)
    logs.create_log_group(logGroupName=f"/northwind/{region}/app")
    logs.put_retention_policy(logGroupName=f"/northwind/{region}/app", retentionInDays=30)
    if primary:
        logs.create_log_group(logGroupName="/northwind/audit")
        logs.put_retention_policy(logGroupName="/northwind/audit", retentionInDays=400)

    kms = c("kms", region)
    rotated = kms.create_key(Description=f"nw-data-{region}")["KeyMetadata"]["KeyId"]
    kms.enable_key_rotation(KeyId=rotated)
    kms.create_key(Description=f"nw-legacy-{region}")
    estate.names[f"kms_rotated_{region}"] = rotated

    ecr = c("ecr", region)
    ecr.create_repository(repositoryName=f"nw-legacy-{region}")
    if primary:
        ecr.create_repository(repositoryName="nw-api", imageScanningConfiguration={"scanOnPush": True})

    if not primary:
        return
    iam_role = f"arn:aws:iam::{estate.account}:role/TrustsweepReadOnly"
    config = c("config", region)
    config.put_configuration_recorder(
        ConfigurationRecorder={
            "name": "default",
            "roleARN": iam_role,
            "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
        }
    )
    config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "nw-audit-logs"})
    config.start_configuration_recorder(ConfigurationRecorderName="default")
    c("guardduty", region).create_detector(Enable=True)
    with _unless_unemulated():  # plain moto has no Access Analyzer; the other regions have none either way
        c("accessanalyzer", region).create_analyzer(analyzerName="nw-account", type="ACCOUNT")
    c("securityhub", region).enable_security_hub()
    c("inspector2", region).enable(accountIds=[estate.account], resourceTypes=["EC2", "ECR"])

    trail_key = kms.create_key(Description="nw-cloudtrail")["KeyMetadata"]["Arn"]
    ct = c("cloudtrail", region)
    ct.create_trail(
        Name="nw-org-trail",
        S3BucketName="nw-audit-logs",
        IsMultiRegionTrail=True,
        EnableLogFileValidation=True,
        KmsKeyId=trail_key,
    )
    ct.start_logging(Name="nw-org-trail")

    rds = c("rds", region)
    common = {
        "Engine": "postgres",
        "DBInstanceClass": "db.t3.micro",
        "AllocatedStorage": 20,
        "MasterUsername": "northwind",
        "MasterUserPassword": estate.secret or "not-a-secret-1",
    }
    rds.create_db_instance(
        DBInstanceIdentifier="orders-db",
        StorageEncrypted=True,
        PubliclyAccessible=False,
        BackupRetentionPeriod=7,
        DeletionProtection=True,
        MultiAZ=True,
        Tags=[*prod, {"Key": "backup", "Value": "daily"}],
        **common,
    )
    rds.create_db_instance(
        DBInstanceIdentifier="analytics-db",
        StorageEncrypted=False,
        PubliclyAccessible=True,
        BackupRetentionPeriod=1,
        DeletionProtection=False,
        MultiAZ=False,
        Tags=prod,
        **common,
    )

    backup = c("backup", region)
    backup.create_backup_vault(BackupVaultName="nw-vault")
    plan = backup.create_backup_plan(
        BackupPlan={
            "BackupPlanName": "nw-daily",
            "Rules": [
                {"RuleName": "daily", "TargetBackupVaultName": "nw-vault", "ScheduleExpression": "cron(0 5 * * ? *)"}
            ],
        }
    )
    with _unless_unemulated():  # plain moto has no backup selections (the plugin's backup unit then errors)
        backup.create_backup_selection(
            BackupPlanId=plan["BackupPlanId"],
            BackupSelection={
                "SelectionName": "tagged-daily",
                "IamRoleArn": iam_role,
                "ListOfTags": [{"ConditionType": "STRINGEQUALS", "ConditionKey": "backup", "ConditionValue": "daily"}],
            },
        )

    acm = c("acm", region)
    good_cert, good_key = _certificate(400, "app.northwind.example")
    bad_cert, bad_key = _certificate(10, "old.northwind.example")
    good = acm.import_certificate(Certificate=good_cert, PrivateKey=good_key)["CertificateArn"]
    acm.import_certificate(Certificate=bad_cert, PrivateKey=bad_key)
    estate.names["private_key_marker"] = good_key.decode().splitlines()[1][:40]

    elb = c("elbv2", region)
    lb = elb.create_load_balancer(Name="nw-web", Subnets=subnets[:2])["LoadBalancers"][0]["LoadBalancerArn"]
    elb.create_listener(
        LoadBalancerArn=lb,
        Protocol="HTTPS",
        Port=443,
        SslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06",
        Certificates=[{"CertificateArn": good}],
        DefaultActions=[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}],
    )
    elb.create_listener(
        LoadBalancerArn=lb,
        Protocol="HTTPS",
        Port=8443,
        SslPolicy="ELBSecurityPolicy-2016-08",
        Certificates=[{"CertificateArn": good}],
        DefaultActions=[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}],
    )
    elb.create_listener(
        LoadBalancerArn=lb,
        Protocol="HTTP",
        Port=80,
        DefaultActions=[
            {"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}
        ],
    )

    cf = c("cloudfront", "us-east-1")
    origin = {
        "Quantity": 1,
        "Items": [
            {
                "Id": "assets",
                "DomainName": "nw-public-assets.s3.amazonaws.com",
                "S3OriginConfig": {"OriginAccessIdentity": ""},
            }
        ],
    }

    def distribution(ref: str, viewer: str, cert: dict[str, Any]) -> None:
        cf.create_distribution(
            DistributionConfig={
                "CallerReference": ref,
                "Comment": ref,
                "Enabled": True,
                "Origins": origin,
                "DefaultCacheBehavior": {"TargetOriginId": "assets", "ViewerProtocolPolicy": viewer, "MinTTL": 0},
                "ViewerCertificate": cert,
            }
        )

    distribution(
        "nw-www",
        "redirect-to-https",
        {"ACMCertificateArn": good, "SSLSupportMethod": "sni-only", "MinimumProtocolVersion": "TLSv1.2_2021"},
    )
    distribution("nw-legacy", "allow-all", {"CloudFrontDefaultCertificate": True})

    if estate.secret:
        zip_bytes = _lambda_zip()
        c("lambda", region).create_function(
            FunctionName="nw-etl",
            Runtime="python3.12",
            Role=iam_role,
            Handler="app.handler",
            Code={"ZipFile": zip_bytes},
            Environment={"Variables": {"API_TOKEN": estate.secret}},
        )
        c("secretsmanager", region).create_secret(Name="nw/db", SecretString=estate.secret)
        c("ssm", region).put_parameter(Name="/nw/token", Value=estate.secret, Type="SecureString")


@contextmanager
def _unless_unemulated() -> Iterator[None]:
    """Skip a seeding call the emulator answers with NotImplemented (plain moto, without ``fill_gaps``)."""
    try:
        yield
    except Exception as exc:
        if "NotImplemented" not in str(exc):
            raise


def _lambda_zip() -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("app.py", "def handler(event, context):\n    return 1\n")
    return buf.getvalue()


def _seed_organization(c: _Clients, estate: Estate, members: int) -> None:
    org = c("organizations")
    org.create_organization(FeatureSet="ALL")
    for i in range(members):
        status = org.create_account(Email=f"staging{i}@northwind.example", AccountName=f"Northwind Staging {i}")
        account = status["CreateAccountStatus"]["AccountId"]
        estate.member_accounts.append(account)
        creds = c("sts").assume_role(
            RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="seed"
        )["Credentials"]
        member = _Clients(c.endpoint, creds)
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
    c = _CLIENTS.get(endpoint) or _CLIENTS.setdefault(endpoint, _Clients(endpoint))
    post(endpoint, f"/moto-api/seed?a={RANDOM_SEED}")  # the same ids (volumes, keys, ARNs...) every time
    _seed_iam(c, estate)
    _seed_s3(c, estate)
    for i, region in enumerate(regions):
        _seed_region(c, estate, region, primary=i == 0)
    if members:
        _seed_organization(c, estate, members)
    return estate
