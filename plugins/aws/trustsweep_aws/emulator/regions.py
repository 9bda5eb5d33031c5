"""The Northwind estate's regional resources: every region gets some (the neglected ones: an
unencrypted volume, an open bastion, a short-lived log group, keys, repositories); the primary region
gets the controls that are met (monitoring, databases, TLS endpoints) and, when asked, planted secrets.

The calls run in a fixed order: moto's ids come from its seeded generator, so the same estate gets
the same ids every time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .estate import Clients, Estate

READ_ONLY_ROLE = "arn:aws:iam::{account}:role/TrustsweepReadOnly"
PROD = [{"Key": "environment", "Value": "production"}]


def seed_region(c: Clients, estate: Estate, region: str, primary: bool) -> None:
    """The resources of one region; the primary one also gets what the neglected ones lack."""
    subnets = _network(c, estate, region, primary)
    _logs_keys_images(c, estate, region, primary)
    if not primary:
        return
    _monitoring(c, estate, region)
    _databases(c, estate, region)
    _endpoints(c, estate, region, subnets)
    if estate.secret:
        _secrets(c, estate, region)


def _network(c: Clients, estate: Estate, region: str, primary: bool) -> list[str]:
    ec2 = c("ec2", region)
    vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    subnets = [s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]]
    if primary:
        ec2.enable_ebs_encryption_by_default()
        ec2.create_volume(
            AvailabilityZone=f"{region}a",
            Size=20,
            Encrypted=True,
            TagSpecifications=[
                {
                    "ResourceType": "volume",
                    "Tags": [*PROD, {"Key": "Name", "Value": "orders-data"}, {"Key": "backup", "Value": "daily"}],
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
        TagSpecifications=[{"ResourceType": "volume", "Tags": [*PROD, {"Key": "Name", "Value": f"scratch-{region}"}]}],
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
    return subnets


def _logs_keys_images(c: Clients, estate: Estate, region: str, primary: bool) -> None:
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


def _monitoring(c: Clients, estate: Estate, region: str) -> None:
    iam_role = READ_ONLY_ROLE.format(account=estate.account)
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

    trail_key = c("kms", region).create_key(Description="nw-cloudtrail")["KeyMetadata"]["Arn"]
    ct = c("cloudtrail", region)
    ct.create_trail(
        Name="nw-org-trail",
        S3BucketName="nw-audit-logs",
        IsMultiRegionTrail=True,
        EnableLogFileValidation=True,
        KmsKeyId=trail_key,
    )
    ct.start_logging(Name="nw-org-trail")


def _databases(c: Clients, estate: Estate, region: str) -> None:
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
        Tags=[*PROD, {"Key": "backup", "Value": "daily"}],
        **common,
    )
    rds.create_db_instance(
        DBInstanceIdentifier="analytics-db",
        StorageEncrypted=False,
        PubliclyAccessible=True,
        BackupRetentionPeriod=1,
        DeletionProtection=False,
        MultiAZ=False,
        Tags=PROD,
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
                "IamRoleArn": READ_ONLY_ROLE.format(account=estate.account),
                "ListOfTags": [{"ConditionType": "STRINGEQUALS", "ConditionKey": "backup", "ConditionValue": "daily"}],
            },
        )


def _endpoints(c: Clients, estate: Estate, region: str, subnets: list[str]) -> None:
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


def _secrets(c: Clients, estate: Estate, region: str) -> None:
    """A secret planted where a careless collector would find it: Lambda environment, Secrets Manager, SSM."""
    zip_bytes = _lambda_zip()
    c("lambda", region).create_function(
        FunctionName="nw-etl",
        Runtime="python3.12",
        Role=READ_ONLY_ROLE.format(account=estate.account),
        Handler="app.handler",
        Code={"ZipFile": zip_bytes},
        Environment={"Variables": {"API_TOKEN": estate.secret}},
    )
    c("secretsmanager", region).create_secret(Name="nw/db", SecretString=estate.secret)
    c("ssm", region).put_parameter(Name="/nw/token", Value=estate.secret, Type="SecureString")


def _certificate(days: int, name: str) -> tuple[bytes, bytes]:
    import trustme

    ca = trustme.CA()
    now = dt.datetime.now(dt.UTC)
    leaf = ca.issue_cert(name, not_before=now - dt.timedelta(days=1), not_after=now + dt.timedelta(days=days))
    return leaf.cert_chain_pems[0].bytes(), leaf.private_key_pem.bytes()


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
