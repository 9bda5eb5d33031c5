"""An AWS emulator for tests and ``trustsweep demo``: moto's server over real HTTP, seeded with the
fictional "Northwind Analytics" estate (some controls met, some not).

* :func:`start_emulator` runs moto's WSGI app on 127.0.0.1 in a thread. A service moto does not
  implement (IAM Access Analyzer) answers ``501 NotImplemented`` at once, where moto itself would
  crash with a 500 that the SDK retries. With ``fill_gaps=True`` (the demo) the operations the
  checks read and moto lacks are served too (:mod:`.aws_gaps`).
* :func:`seed_estate` writes the estate through plain boto3 (the plugin's read-only guard is not
  involved); :class:`Estate` tells tests what was created.
* :class:`FaultProxy` sits in front of it to count requests and inject throttling, 5xx and
  AccessDenied answers.
* :func:`demo_emulator` is the ``trustsweep_emulators`` factory; :func:`aws_emulator` the
  session-scoped pytest fixture, :func:`aws_env` a per-test fixture that resets the server and
  points boto3 at it.

moto and boto3 are imported inside functions only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import json
import os
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit
from typing import Any

from ..model import DemoEnv

try:  # the fixtures need pytest; the demo does not
    import pytest
except ImportError:  # pragma: no cover
    pytest = None  # type: ignore[assignment]

ACCOUNT = "123456789012"
REGIONS = ("us-east-1", "eu-west-1")
RANDOM_SEED = 4471  # moto's id generator, seeded before the estate is created
CREDENTIAL_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",
}
CLEARED_ENV = ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE")


def _not_implemented(start_response: Any, what: str) -> list[bytes]:
    message = what if " " in what else f"{what or 'this service'} is not emulated"
    body = json.dumps({"__type": "NotImplementedException", "message": message}).encode()
    start_response("501 Not Implemented", [("Content-Type", "application/x-amz-json-1.1"),
                                           ("x-amzn-ErrorType", "NotImplementedException"),
                                           ("Content-Length", str(len(body)))])
    return [body]


class AwsEmulator:
    """moto's server on 127.0.0.1:<free port>, in a daemon thread."""

    def __init__(self, *, fill_gaps: bool = False) -> None:
        """``fill_gaps``: also serve what moto lacks and the checks read (see :mod:`.aws_gaps`)."""
        # the estate needs no AMI catalogue; skipping it makes EC2's first call ~3 s faster
        os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
        from moto import backends
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
        from werkzeug.serving import make_server

        class QuietHandler(MotoRequestHandler):  # type: ignore[misc,valid-type]
            def log_request(self, *args: Any, **kwargs: Any) -> None:
                pass

        class Dispatcher(DomainDispatcherApplication):  # type: ignore[misc,valid-type]
            def get_backend_for_host(self, host: str | None) -> Any:
                if host is None or host == "moto_api" or host in backends.list_of_moto_modules():
                    return host
                return next((b for b, pattern in self.backend_url_patterns if pattern.match(f"http://{host}")), None)

        moto_app = Dispatcher(create_backend_app)

        def app(environ: dict[str, Any], start_response: Any) -> Any:
            try:
                moto_app.get_application(environ)
            except Exception:
                auth = environ.get("HTTP_AUTHORIZATION", "")
                service = auth.split("/")[3] if auth.count("/") >= 4 else ""
                return _not_implemented(start_response, service)
            try:
                return moto_app(environ, start_response)
            except NotImplementedError as exc:  # an operation moto lacks (e.g. backup selections)
                return _not_implemented(start_response, f"not emulated: {exc}")

        if fill_gaps:
            from .aws_gaps import GapFiller

            app = GapFiller(app)  # type: ignore[assignment]
        self._server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
        self.port = self._server.server_address[1]
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self._server.handle_error = lambda request, address: None  # no tracebacks on stderr
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True, name="moto")
        self._thread.start()

    def env(self, config_file: Path | None = None) -> dict[str, str]:
        """Environment variables that point boto3 (and so the plugin) at this emulator."""
        out = {"AWS_ENDPOINT_URL": self.endpoint, **CREDENTIAL_ENV}
        if config_file is not None:
            out["AWS_CONFIG_FILE"] = str(config_file)
            out["AWS_SHARED_CREDENTIALS_FILE"] = str(config_file.with_name("credentials"))
        return out

    def post(self, path: str, payload: Any = None) -> None:
        _post(self.endpoint, path, payload)

    def reset(self) -> None:
        """Forget every resource (``POST /moto-api/reset``)."""
        self.post("/moto-api/reset")

    def seed_inspector_findings(self, findings: list[dict[str, Any]], region: str, account: str = ACCOUNT) -> None:
        """Queue the findings ``list_findings`` returns next (moto has no API to create findings)."""
        self.post("/moto-api/static/inspector2/findings-results",
                  {"results": [findings], "account_id": account, "region": region})

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)


def _post(endpoint: str, path: str, payload: Any = None) -> None:
    data = json.dumps(payload).encode() if payload is not None else b""
    request = urllib.request.Request(endpoint + path, data=data, method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()


def start_emulator(*, fill_gaps: bool = False) -> AwsEmulator:
    return AwsEmulator(fill_gaps=fill_gaps)


def write_profiles(directory: Path, profiles: dict[str, str] | None = None) -> Path:
    """An AWS config file with static-key profiles (name → access key id) for the emulator."""
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "config"
    creds = directory / "credentials"
    profiles = profiles or {}
    config.write_text("".join(f"[profile {name}]\nregion = us-east-1\n" for name in profiles), encoding="utf-8")
    creds.write_text("".join(f"[{name}]\naws_access_key_id = {key}\naws_secret_access_key = testing\n"
                             for name, key in profiles.items()), encoding="utf-8")
    return config


# ------------------------------------------------------------------------------------------- estate

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
                service, region_name=region, endpoint_url=self.endpoint,
                config=Config(s3={"addressing_style": "path"}, retries={"mode": "standard", "total_max_attempts": 3}))
        return self._cache[key]


_CLIENTS: dict[str, _Clients] = {}


def _certificate(days: int, name: str) -> tuple[bytes, bytes]:
    import trustme

    ca = trustme.CA()
    now = dt.datetime.now(dt.timezone.utc)
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
    read_only = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:Get*", "s3:List*", "ec2:Describe*", "cloudwatch:GetMetricData"], "Resource": "*"}]})
    admin = iam.create_policy(PolicyName="NorthwindAdmin", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))["Policy"]["Arn"]
    iam.create_group(GroupName="analysts")
    iam.put_group_policy(GroupName="analysts", PolicyName="read-only", PolicyDocument=read_only)
    # alice: a human with console + MFA, permissions through her group only
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Correct-Horse-9!")
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"]["SerialNumber"]
    iam.enable_mfa_device(UserName="alice", SerialNumber=serial, AuthenticationCode1="123456", AuthenticationCode2="654321")
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
    iam.put_role_policy(RoleName="BreakGlass", PolicyName="everything", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    oidc = iam.create_open_id_connect_provider(Url="https://token.actions.githubusercontent.com",
                                               ClientIDList=["sts.amazonaws.com"], ThumbprintList=["a" * 40])
    iam.create_role(RoleName="github-deploy", AssumeRolePolicyDocument=_trust(
        {"Federated": oidc["OpenIDConnectProviderArn"]}, "sts:AssumeRoleWithWebIdentity",
        {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:northwind/app:ref:refs/heads/main"}}))
    iam.create_role(RoleName="legacy-deploy", AssumeRolePolicyDocument=account_trust)
    iam.create_role(RoleName="TrustsweepReadOnly", AssumeRolePolicyDocument=account_trust)


def _seed_s3(c: _Clients, estate: Estate) -> None:
    s3 = c("s3")
    s3.create_bucket(Bucket="nw-audit-logs", ObjectLockEnabledForBucket=True)
    s3.put_object_lock_configuration(Bucket="nw-audit-logs", ObjectLockConfiguration={
        "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 400}}})
    s3.create_bucket(Bucket="nw-access-logs", ACL="log-delivery-write")
    s3.create_bucket(Bucket="nw-public-assets")
    s3.create_bucket(Bucket="nw-eu-exports", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    block = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}
    for name in ("nw-audit-logs", "nw-access-logs"):
        s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]})
        s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=block)
        s3.put_bucket_policy(Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
            "Sid": "TlsOnly", "Effect": "Deny", "Action": "s3:*",
            # moto's logging-target check crashes on the string form "*" (both forms mean everyone)
            "Principal": "*" if name == "nw-audit-logs" else {"AWS": "*"},
            "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))
    s3.put_bucket_logging(Bucket="nw-audit-logs", BucketLoggingStatus={
        "LoggingEnabled": {"TargetBucket": "nw-access-logs", "TargetPrefix": "audit/"}})
    # a policy that exists but does not enforce TLS
    s3.put_bucket_policy(Bucket="nw-public-assets", Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::nw-public-assets/*"}]}))
    c("s3control").put_public_access_block(AccountId=estate.account, PublicAccessBlockConfiguration=block)


def _seed_region(c: _Clients, estate: Estate, region: str, primary: bool) -> None:
    ec2 = c("ec2", region)
    vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    subnets = [s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]]
    prod = [{"Key": "environment", "Value": "production"}]
    if primary:
        ec2.enable_ebs_encryption_by_default()
        ec2.create_volume(AvailabilityZone=f"{region}a", Size=20, Encrypted=True, TagSpecifications=[
            {"ResourceType": "volume", "Tags": [*prod, {"Key": "Name", "Value": "orders-data"}, {"Key": "backup", "Value": "daily"}]}])
        ec2.create_flow_logs(ResourceIds=[vpc], ResourceType="VPC", TrafficType="ALL", LogDestinationType="s3",
                             LogDestination="arn:aws:s3:::nw-audit-logs")
        web = ec2.create_security_group(GroupName="nw-web", Description="web", VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=web, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    ec2.create_volume(AvailabilityZone=f"{region}a", Size=8, Encrypted=False, TagSpecifications=[
        {"ResourceType": "volume", "Tags": [*prod, {"Key": "Name", "Value": f"scratch-{region}"}]}])
    ssh = ec2.create_security_group(GroupName="nw-bastion", Description="bastion", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=ssh, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    if estate.secret:
        ec2.run_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, InstanceType="t3.micro",
                          UserData=f"#!/bin/sh\nexport DB_PASSWORD={estate.secret}\n")

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
    config.put_configuration_recorder(ConfigurationRecorder={
        "name": "default", "roleARN": iam_role,
        "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True}})
    config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "nw-audit-logs"})
    config.start_configuration_recorder(ConfigurationRecorderName="default")
    c("guardduty", region).create_detector(Enable=True)
    with _unless_unemulated():  # plain moto has no Access Analyzer; the other regions have none either way
        c("accessanalyzer", region).create_analyzer(analyzerName="nw-account", type="ACCOUNT")
    c("securityhub", region).enable_security_hub()
    c("inspector2", region).enable(accountIds=[estate.account], resourceTypes=["EC2", "ECR"])

    trail_key = kms.create_key(Description="nw-cloudtrail")["KeyMetadata"]["Arn"]
    ct = c("cloudtrail", region)
    ct.create_trail(Name="nw-org-trail", S3BucketName="nw-audit-logs", IsMultiRegionTrail=True,
                    EnableLogFileValidation=True, KmsKeyId=trail_key)
    ct.start_logging(Name="nw-org-trail")

    rds = c("rds", region)
    common = {"Engine": "postgres", "DBInstanceClass": "db.t3.micro", "AllocatedStorage": 20,
              "MasterUsername": "northwind", "MasterUserPassword": estate.secret or "not-a-secret-1"}
    rds.create_db_instance(DBInstanceIdentifier="orders-db", StorageEncrypted=True, PubliclyAccessible=False,
                           BackupRetentionPeriod=7, DeletionProtection=True, MultiAZ=True,
                           Tags=[*prod, {"Key": "backup", "Value": "daily"}], **common)
    rds.create_db_instance(DBInstanceIdentifier="analytics-db", StorageEncrypted=False, PubliclyAccessible=True,
                           BackupRetentionPeriod=1, DeletionProtection=False, MultiAZ=False, Tags=prod, **common)

    backup = c("backup", region)
    backup.create_backup_vault(BackupVaultName="nw-vault")
    plan = backup.create_backup_plan(BackupPlan={"BackupPlanName": "nw-daily", "Rules": [
        {"RuleName": "daily", "TargetBackupVaultName": "nw-vault", "ScheduleExpression": "cron(0 5 * * ? *)"}]})
    with _unless_unemulated():  # plain moto has no backup selections (the plugin's backup unit then errors)
        backup.create_backup_selection(BackupPlanId=plan["BackupPlanId"], BackupSelection={
            "SelectionName": "tagged-daily", "IamRoleArn": iam_role,
            "ListOfTags": [{"ConditionType": "STRINGEQUALS", "ConditionKey": "backup", "ConditionValue": "daily"}]})

    acm = c("acm", region)
    good_cert, good_key = _certificate(400, "app.northwind.example")
    bad_cert, bad_key = _certificate(10, "old.northwind.example")
    good = acm.import_certificate(Certificate=good_cert, PrivateKey=good_key)["CertificateArn"]
    acm.import_certificate(Certificate=bad_cert, PrivateKey=bad_key)
    estate.names["private_key_marker"] = good_key.decode().splitlines()[1][:40]

    elb = c("elbv2", region)
    lb = elb.create_load_balancer(Name="nw-web", Subnets=subnets[:2])["LoadBalancers"][0]["LoadBalancerArn"]
    elb.create_listener(LoadBalancerArn=lb, Protocol="HTTPS", Port=443, SslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06",
                        Certificates=[{"CertificateArn": good}],
                        DefaultActions=[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}])
    elb.create_listener(LoadBalancerArn=lb, Protocol="HTTPS", Port=8443, SslPolicy="ELBSecurityPolicy-2016-08",
                        Certificates=[{"CertificateArn": good}],
                        DefaultActions=[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}])
    elb.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=80, DefaultActions=[
        {"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}])

    cf = c("cloudfront", "us-east-1")
    origin = {"Quantity": 1, "Items": [{"Id": "assets", "DomainName": "nw-public-assets.s3.amazonaws.com",
                                         "S3OriginConfig": {"OriginAccessIdentity": ""}}]}

    def distribution(ref: str, viewer: str, cert: dict[str, Any]) -> None:
        cf.create_distribution(DistributionConfig={
            "CallerReference": ref, "Comment": ref, "Enabled": True, "Origins": origin,
            "DefaultCacheBehavior": {"TargetOriginId": "assets", "ViewerProtocolPolicy": viewer, "MinTTL": 0},
            "ViewerCertificate": cert})

    distribution("nw-www", "redirect-to-https", {"ACMCertificateArn": good, "SSLSupportMethod": "sni-only",
                                                  "MinimumProtocolVersion": "TLSv1.2_2021"})
    distribution("nw-legacy", "allow-all", {"CloudFrontDefaultCertificate": True})

    if estate.secret:
        zip_bytes = _lambda_zip()
        c("lambda", region).create_function(
            FunctionName="nw-etl", Runtime="python3.12", Role=iam_role, Handler="app.handler",
            Code={"ZipFile": zip_bytes}, Environment={"Variables": {"API_TOKEN": estate.secret}})
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
        creds = c("sts").assume_role(RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole",
                                     RoleSessionName="seed")["Credentials"]
        member = _Clients(c.endpoint, creds)
        member("iam").create_role(RoleName="TrustsweepReadOnly", AssumeRolePolicyDocument=_trust(
            {"AWS": f"arn:aws:iam::{estate.account}:root"}))
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
    _post(endpoint, f"/moto-api/seed?a={RANDOM_SEED}")  # the same ids (volumes, keys, ARNs...) every time
    _seed_iam(c, estate)
    _seed_s3(c, estate)
    for i, region in enumerate(regions):
        _seed_region(c, estate, region, primary=i == 0)
    if members:
        _seed_organization(c, estate, members)
    return estate


# ------------------------------------------------------------------------------------------- faults

@dataclass
class Rule:
    """Answer requests whose ``"METHOD PATH TARGET BODY"`` contains ``match`` with ``status``/``body``."""

    match: str
    status: int
    body: str = ""
    content_type: str = "text/xml"
    times: int = 1_000_000
    hits: int = 0


@dataclass
class FaultProxy:
    """A fault-injecting, request-counting HTTP proxy in front of the emulator (real wire, scripted failures)."""

    upstream: str
    rules: list[Rule] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    record_bodies: bool = False
    bodies: list[bytes] = field(default_factory=list)

    def __post_init__(self) -> None:
        proxy = self
        target = urlsplit(self.upstream)

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                key = f"{self.command} {self.path} {self.headers.get('X-Amz-Target', '')} {body[:300].decode('latin-1')}"
                with proxy._lock:
                    proxy.requests.append(key)
                    rule = next((r for r in proxy.rules if r.match in key and r.hits < r.times), None)
                    if rule is not None:
                        rule.hits += 1
                if rule is not None:
                    payload = rule.body.encode()
                    self.send_response(rule.status)
                    self.send_header("Content-Type", rule.content_type)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                conn = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection",)}
                conn.request(self.command, self.path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                if proxy.record_bodies:
                    with proxy._lock:
                        proxy.bodies.extend((body, data))
                self.send_response(response.status)
                for k, v in response.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                conn.close()

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.endpoint = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def add(self, rule: Rule) -> Rule:
        self.rules.append(rule)
        return rule

    def count(self, match: str) -> int:
        return sum(match in r for r in self.requests)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def query_error(code: str, message: str = "injected") -> str:
    """An error body of the AWS query protocol (EC2 uses a slightly different shape; both parse)."""
    return (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>"
            f"<RequestId>fault</RequestId></ErrorResponse>")


def ec2_error(code: str, message: str = "injected") -> str:
    return (f"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors>"
            f"<RequestID>fault</RequestID></Response>")


def json_error(code: str, message: str = "injected") -> str:
    return '{"__type": "%s", "message": "%s"}' % (code, message)


# ------------------------------------------------------------------------------------------- demo

@contextmanager
def demo_emulator(workdir: Path) -> Iterator[DemoEnv]:
    """The ``trustsweep demo`` factory: a seeded emulator and the env/targets pointing at it."""
    workdir.mkdir(parents=True, exist_ok=True)
    emulator = start_emulator(fill_gaps=True)
    try:
        seed_estate(emulator.endpoint, regions=REGIONS)
        emulator.seed_inspector_findings([_finding("CRITICAL", 12, "CVE-2026-0001 in openssl"),
                                          _finding("HIGH", 3, "CVE-2026-0002 in zlib")], REGIONS[0])
        config = write_profiles(workdir)
        yield DemoEnv(env=emulator.env(config), targets=[ACCOUNT], regions=list(REGIONS),
                      options={"production_accounts": [ACCOUNT]},
                      description=f"Northwind Analytics on a local moto server ({emulator.endpoint}), "
                                  f"account {ACCOUNT}, regions {', '.join(REGIONS)}")
    finally:
        emulator.stop()


def _finding(severity: str, age_days: float, title: str, account: str = ACCOUNT, region: str = "us-east-1") -> dict[str, Any]:
    seen = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=age_days)
    ident = hashlib.sha256(title.encode()).hexdigest()[:32]  # stable across runs, unlike hash()
    return {"awsAccountId": account, "findingArn": f"arn:aws:inspector2:{region}:{account}:finding/{ident}",
            "severity": severity, "status": "ACTIVE", "title": title, "type": "PACKAGE_VULNERABILITY",
            "firstObservedAt": seen.timestamp(), "lastObservedAt": dt.datetime.now(dt.timezone.utc).timestamp(),
            "description": title, "remediation": {}, "resources": []}


# ------------------------------------------------------------------------------------------- fixtures

if pytest is not None:

    @pytest.fixture(scope="session")
    def aws_emulator() -> Iterator[AwsEmulator]:
        """One moto server for the test session (reset it between tests with :func:`aws_env`)."""
        emulator = start_emulator()
        yield emulator
        emulator.stop()


    @pytest.fixture
    def aws_env(aws_emulator: AwsEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AwsEmulator]:
        """A reset emulator with boto3 pointed at it through the environment (and fresh plugin clients)."""
        aws_emulator.reset()
        for name in CLEARED_ENV:
            monkeypatch.delenv(name, raising=False)
        config = write_profiles(tmp_path / "aws")
        for key, value in aws_emulator.env(config).items():
            monkeypatch.setenv(key, value)
        _reset_plugin_clients()
        yield aws_emulator
        _reset_plugin_clients()




def _reset_plugin_clients() -> None:
    try:
        from trustsweep_aws import session
    except ImportError:  # the aws plugin is not installed
        return
    session.reset_cache()


__all__ = ["ACCOUNT", "REGIONS", "AwsEmulator", "Estate", "aws_emulator", "aws_env", "demo_emulator",
           "seed_estate", "start_emulator", "write_profiles", "FaultProxy", "Rule", "query_error", "ec2_error",
           "json_error"]


def _serve(argv: list[str] | None = None) -> None:
    """``python -m trustsweep.testing.aws [--regions N] [--members N]``: serve a seeded estate until
    stdin closes; prints ``ENDPOINT <url>`` once ready (used by ``bench/aws_sweep.py``)."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description=_serve.__doc__)
    parser.add_argument("--regions", type=int, default=1)
    parser.add_argument("--members", type=int, default=0)
    parser.add_argument("--proxy", action="store_true", help="serve through a request-counting FaultProxy")
    args = parser.parse_args(argv)
    emulator = start_emulator()
    import boto3

    every = [r["RegionName"] for r in boto3.client(
        "ec2", region_name="us-east-1", endpoint_url=emulator.endpoint, aws_access_key_id="testing",
        aws_secret_access_key="testing").describe_regions()["Regions"] if r.get("OptInStatus") != "not-opted-in"]
    regions = ["us-east-1", *[r for r in sorted(every) if r != "us-east-1"]][: args.regions]
    seed_estate(emulator.endpoint, regions=tuple(regions), members=args.members)
    emulator.seed_inspector_findings([_finding("HIGH", 3, "CVE-2026-0002 in zlib")], "us-east-1")
    endpoint = emulator.endpoint
    proxy = FaultProxy(endpoint) if args.proxy else None
    print("ENDPOINT", proxy.endpoint if proxy else endpoint, ",".join(regions), flush=True)
    for line in sys.stdin:
        if line.strip() == "count" and proxy is not None:
            print("COUNT", len(proxy.requests), flush=True)
        elif line.strip() == "reset-count" and proxy is not None:
            proxy.requests.clear()
            print("OK", flush=True)
    emulator.stop()


if __name__ == "__main__":
    _serve()
