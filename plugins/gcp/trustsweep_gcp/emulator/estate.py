"""Builders of Cloud Asset records (REST JSON, shaped like the real exports in
``tests/fixtures/gcp/cai-export/``) for the fake and the demo estate.

Every builder returns one asset dict for :meth:`~trustsweep_gcp.emulator.server.FakeGcp.add_asset`;
keyword arguments are merged into the resource's ``data`` so tests can flip one field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

_DISCOVERY = {
    "storage.googleapis.com/Bucket": ("v1", "Bucket", "https://www.googleapis.com/discovery/v1/apis/storage/v1/rest"),
    "sqladmin.googleapis.com/Instance": (
        "v1beta4",
        "DatabaseInstance",
        "https://www.googleapis.com/discovery/v1/apis/sqladmin/v1beta4/rest",
    ),
    "compute.googleapis.com/Firewall": (
        "v1",
        "Firewall",
        "https://www.googleapis.com/discovery/v1/apis/compute/v1/rest",
    ),
    "compute.googleapis.com/Subnetwork": (
        "v1",
        "Subnetwork",
        "https://www.googleapis.com/discovery/v1/apis/compute/v1/rest",
    ),
    "compute.googleapis.com/SslPolicy": (
        "v1",
        "SslPolicy",
        "https://www.googleapis.com/discovery/v1/apis/compute/v1/rest",
    ),
    "compute.googleapis.com/TargetHttpsProxy": (
        "v1",
        "TargetHttpsProxy",
        "https://www.googleapis.com/discovery/v1/apis/compute/v1/rest",
    ),
    "cloudkms.googleapis.com/CryptoKey": ("v1", "CryptoKey", "https://cloudkms.googleapis.com/$discovery/rest"),
    "iam.googleapis.com/ServiceAccountKey": ("v1", "ServiceAccountKey", "https://iam.googleapis.com/$discovery/rest"),
    "bigquery.googleapis.com/Dataset": (
        "v2",
        "Dataset",
        "https://www.googleapis.com/discovery/v1/apis/bigquery/v2/rest",
    ),
    "logging.googleapis.com/LogSink": ("v2", "LogSink", "https://logging.googleapis.com/$discovery/rest"),
    "logging.googleapis.com/LogBucket": ("v2", "LogBucket", "https://logging.googleapis.com/$discovery/rest"),
    "container.googleapis.com/Cluster": ("v1", "Cluster", "https://container.googleapis.com/$discovery/rest"),
}


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def asset(
    asset_type: str, name: str, data: dict[str, Any], *, number: str = "", iam_policy: dict[str, Any] | None = None
) -> dict[str, Any]:
    version, discovery, uri = _DISCOVERY.get(asset_type, ("v1", asset_type.rsplit("/", 1)[-1], ""))
    resource: dict[str, Any] = {"version": version, "discoveryName": discovery, "data": data}
    if uri:
        resource["discoveryDocumentUri"] = uri
    if number:
        resource["parent"] = f"//cloudresourcemanager.googleapis.com/projects/{number}"
    out: dict[str, Any] = {"name": name, "assetType": asset_type, "resource": resource}
    if iam_policy is not None:
        out["iamPolicy"] = iam_policy
    return out


def ago(days: float, now: dt.datetime | None = None) -> str:
    """An RFC 3339 time ``days`` before now."""
    now = now or dt.datetime.now(dt.UTC)
    return (now - dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def policy(
    *bindings: tuple[str, list[str]], audit_all: bool = False, exempt: list[str] | None = None
) -> dict[str, Any]:
    """An IAM policy: ``(role, members)`` bindings; ``audit_all`` adds the allServices audit config."""
    out: dict[str, Any] = {
        "version": 1,
        "etag": "BwWKImhngxs=",
        "bindings": [{"role": r, "members": m} for r, m in bindings if m],
    }
    if audit_all:
        configs: list[dict[str, Any]] = [{"logType": 1}, {"logType": 3}, {"logType": 2}]
        if exempt:
            configs[1]["exemptedMembers"] = exempt
        out["auditConfigs"] = [{"service": "allServices", "auditLogConfigs": configs}]
    return out


def bucket(
    project: str, name: str, *, number: str = "", iam: dict[str, Any] | None = None, **data: Any
) -> dict[str, Any]:
    base = {
        "kind": "storage#bucket",
        "id": name,
        "name": name,
        "projectNumber": number or "0",
        "location": "US-CENTRAL1",
        "storageClass": "STANDARD",
        "etag": "CAE=",
        "selfLink": f"https://www.googleapis.com/storage/v1/b/{name}",
        "timeCreated": "2023-04-04T14:08:42.044Z",
        "iamConfiguration": {"uniformBucketLevelAccess": {"enabled": True}, "publicAccessPrevention": "enforced"},
        "locationType": "region",
    }
    return asset(
        "storage.googleapis.com/Bucket",
        f"//storage.googleapis.com/{name}",
        _merge(base, data),
        number=number,
        iam_policy=iam,
    )


def sql_instance(project: str, name: str, *, number: str = "", **data: Any) -> dict[str, Any]:
    base = {
        "backendType": "SECOND_GEN",
        "connectionName": f"{project}:us-central1:{name}",
        "databaseVersion": "POSTGRES_15",
        "instanceType": "CLOUD_SQL_INSTANCE",
        "kind": "sql#instance",
        "name": name,
        "project": project,
        "region": "us-central1",
        "gceZone": "us-central1-f",
        "state": "RUNNABLE",
        "ipAddresses": [{"ipAddress": "10.20.0.3", "type": "PRIVATE"}],
        "settings": {
            "activationPolicy": "ALWAYS",
            "availabilityType": "REGIONAL",
            "tier": "db-custom-2-7680",
            "backupConfiguration": {
                "enabled": True,
                "pointInTimeRecoveryEnabled": True,
                "startTime": "06:00",
                "kind": "sql#backupConfiguration",
            },
            "ipConfiguration": {
                "ipv4Enabled": False,
                "sslMode": "ENCRYPTED_ONLY",
                "requireSsl": True,
                "privateNetwork": f"projects/{project}/global/networks/default",
            },
            "userLabels": {"environment": "production"},
            "kind": "sql#settings",
        },
    }
    return asset(
        "sqladmin.googleapis.com/Instance",
        f"//cloudsql.googleapis.com/projects/{project}/instances/{name}",
        _merge(base, data),
        number=number,
    )


def firewall(project: str, name: str, *, number: str = "", **data: Any) -> dict[str, Any]:
    base = {
        "allowed": [{"IPProtocol": "tcp", "ports": ["443"]}],
        "creationTimestamp": "2020-02-26T21:29:36.754-08:00",
        "description": "",
        "direction": "INGRESS",
        "disabled": False,
        "id": "6514873762745871663",
        "logConfig": {"enable": True},
        "name": name,
        "priority": 1000,
        "network": f"https://www.googleapis.com/compute/v1/projects/{project}/global/networks/default",
        "selfLink": f"https://www.googleapis.com/compute/v1/projects/{project}/global/firewalls/{name}",
        "sourceRanges": ["10.0.0.0/8"],
    }
    merged = _merge(base, data)
    if "allowed" in data:
        merged["allowed"] = data["allowed"]
    return asset(
        "compute.googleapis.com/Firewall",
        f"//compute.googleapis.com/projects/{project}/global/firewalls/{name}",
        merged,
        number=number,
    )


def subnetwork(
    project: str, name: str, *, region: str = "us-central1", number: str = "", **data: Any
) -> dict[str, Any]:
    base = {
        "creationTimestamp": "2019-03-13T12:20:27.884-07:00",
        "gatewayAddress": "10.140.0.1",
        "id": "7589039100605557012",
        "ipCidrRange": "10.140.0.0/20",
        "name": name,
        "network": f"https://www.googleapis.com/compute/v1/projects/{project}/global/networks/default",
        "privateIpGoogleAccess": True,
        "enableFlowLogs": True,
        "logConfig": {"enable": True, "aggregationInterval": "INTERVAL_5_SEC", "flowSampling": 0.5},
        "region": f"https://www.googleapis.com/compute/v1/projects/{project}/regions/{region}",
        "selfLink": f"https://www.googleapis.com/compute/v1/projects/{project}/regions/{region}/subnetworks/{name}",
    }
    return asset(
        "compute.googleapis.com/Subnetwork",
        f"//compute.googleapis.com/projects/{project}/regions/{region}/subnetworks/{name}",
        _merge(base, data),
        number=number,
    )


def ssl_policy(project: str, name: str, *, number: str = "", **data: Any) -> dict[str, Any]:
    link = f"https://www.googleapis.com/compute/v1/projects/{project}/global/sslPolicies/{name}"
    base = {
        "name": name,
        "profile": "MODERN",
        "minTlsVersion": "TLS_1_2",
        "selfLink": link,
        "kind": "compute#sslPolicy",
    }
    return asset(
        "compute.googleapis.com/SslPolicy",
        f"//compute.googleapis.com/projects/{project}/global/sslPolicies/{name}",
        _merge(base, data),
        number=number,
    )


def https_proxy(project: str, name: str, ssl_policy_name: str | None, *, number: str = "") -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": name,
        "kind": "compute#targetHttpsProxy",
        "urlMap": f"https://www.googleapis.com/compute/v1/projects/{project}/global/urlMaps/web",
    }
    if ssl_policy_name:
        data["sslPolicy"] = (
            f"https://www.googleapis.com/compute/v1/projects/{project}/global/sslPolicies/{ssl_policy_name}"
        )
    return asset(
        "compute.googleapis.com/TargetHttpsProxy",
        f"//compute.googleapis.com/projects/{project}/global/targetHttpsProxies/{name}",
        data,
        number=number,
    )


def crypto_key(
    project: str, ring: str, name: str, *, number: str = "", iam: dict[str, Any] | None = None, **data: Any
) -> dict[str, Any]:
    path = f"projects/{project}/locations/us-central1/keyRings/{ring}/cryptoKeys/{name}"
    base = {
        "createTime": "2024-05-15T17:28:36.650275024Z",
        "name": path,
        "purpose": "ENCRYPT_DECRYPT",
        "rotationPeriod": "7776000s",
        "nextRotationTime": "2026-06-14T05:00:00Z",
        "primary": {
            "algorithm": "GOOGLE_SYMMETRIC_ENCRYPTION",
            "name": f"{path}/cryptoKeyVersions/1",
            "protectionLevel": "SOFTWARE",
            "state": "ENABLED",
        },
        "versionTemplate": {"algorithm": "GOOGLE_SYMMETRIC_ENCRYPTION", "protectionLevel": "SOFTWARE"},
    }
    return asset(
        "cloudkms.googleapis.com/CryptoKey",
        f"//cloudkms.googleapis.com/{path}",
        _merge(base, data),
        number=number,
        iam_policy=iam,
    )


def sa_key(project: str, account: str, key_id: str, *, created: str, number: str = "", **data: Any) -> dict[str, Any]:
    path = f"projects/{project}/serviceAccounts/{account}/keys/{key_id}"
    base = {
        "name": path,
        "validAfterTime": created,
        "validBeforeTime": "9999-12-31T23:59:59Z",
        "keyAlgorithm": "KEY_ALG_RSA_2048",
        "keyOrigin": "GOOGLE_PROVIDED",
        "keyType": "USER_MANAGED",
    }
    return asset(
        "iam.googleapis.com/ServiceAccountKey", f"//iam.googleapis.com/{path}", _merge(base, data), number=number
    )


def dataset(
    project: str, name: str, *, number: str = "", iam: dict[str, Any] | None = None, **data: Any
) -> dict[str, Any]:
    base = {
        "kind": "bigquery#dataset",
        "id": f"{project}:{name}",
        "location": "US",
        "datasetReference": {"datasetId": name, "projectId": project},
        "access": [
            {"role": "OWNER", "specialGroup": "projectOwners"},
            {"role": "READER", "specialGroup": "projectReaders"},
        ],
    }
    return asset(
        "bigquery.googleapis.com/Dataset",
        f"//bigquery.googleapis.com/projects/{project}/datasets/{name}",
        _merge(base, data),
        number=number,
        iam_policy=iam,
    )


def log_sink(project: str, name: str, destination: str, *, number: str = "", **data: Any) -> dict[str, Any]:
    base = {
        "name": name,
        "destination": destination,
        "writerIdentity": "serviceAccount:cloud-logs@system.gserviceaccount.com",
        "outputVersionFormat": "V2",
        "createTime": "2024-03-11T15:53:34.972824618Z",
    }
    return asset(
        "logging.googleapis.com/LogSink",
        f"//logging.googleapis.com/projects/{project}/sinks/{name}",
        _merge(base, data),
        number=number,
    )


def log_bucket(project: str, name: str, *, number: str = "", **data: Any) -> dict[str, Any]:
    path = f"projects/{project}/locations/global/buckets/{name}"
    base = {"name": path, "retentionDays": 30, "lifecycleState": "ACTIVE", "locked": False}
    return asset(
        "logging.googleapis.com/LogBucket", f"//logging.googleapis.com/{path}", _merge(base, data), number=number
    )


def gke_cluster(
    project: str, name: str, *, number: str = "", pools: list[dict[str, Any]] | None = None, **data: Any
) -> dict[str, Any]:
    pools = (
        pools
        if pools is not None
        else [{"name": "default-pool", "status": "RUNNING", "management": {"autoRepair": True, "autoUpgrade": True}}]
    )
    base = {
        "name": name,
        "location": "us-central1",
        "status": "RUNNING",
        "currentMasterVersion": "1.30.5-gke.1014001",
        "network": "default",
        "subnetwork": "default",
        "nodePools": pools,
        "selfLink": f"https://container.googleapis.com/v1/projects/{project}/locations/us-central1/clusters/{name}",
    }
    return asset(
        "container.googleapis.com/Cluster",
        f"//container.googleapis.com/projects/{project}/locations/us-central1/clusters/{name}",
        _merge(base, data),
        number=number,
    )


def finding(
    project: str,
    finding_id: str,
    severity: str,
    category: str,
    *,
    days_open: float,
    resource: str = "",
    state: str = "ACTIVE",
) -> dict[str, Any]:
    """An SCC finding (REST JSON with string enums)."""
    created = ago(days_open)
    return {
        "name": f"projects/{project}/sources/8836/findings/{finding_id}",
        "parent": f"projects/{project}/sources/8836",
        "resourceName": resource or f"//cloudresourcemanager.googleapis.com/projects/{project}",
        "state": state,
        "category": category,
        "severity": severity,
        "findingClass": "VULNERABILITY",
        "eventTime": created,
        "createTime": created,
        "mute": "UNMUTED",
    }


def domain_policy(customer: str = "C03nw4471") -> dict[str, Any]:
    """The org policy restricting IAM members to one Cloud Identity customer (v1, as CAI returns it)."""
    return {
        "constraint": "constraints/iam.allowedPolicyMemberDomains",
        "version": 1,
        "etag": "BwWKImhngxs=",
        "listPolicy": {"allowedValues": [customer]},
    }
