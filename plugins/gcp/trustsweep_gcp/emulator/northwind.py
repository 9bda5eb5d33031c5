"""The fictional "Northwind Analytics" estate that ``trustsweep demo`` sweeps, and the demo emulator."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from trustsweep.plugin import DemoEnv

from .estate import (
    ago,
    bucket,
    crypto_key,
    dataset,
    domain_policy,
    finding,
    firewall,
    gke_cluster,
    https_proxy,
    log_sink,
    policy,
    sa_key,
    sql_instance,
    ssl_policy,
    subnetwork,
)
from .server import FakeGcp

PROJECTS = {"nw-prod-data": "310001", "nw-analytics": "310002", "nw-sandbox": "310003"}  # id → number


def seed_northwind(fake: FakeGcp) -> None:
    """Northwind Analytics: organizations/4471 with three projects; some controls met, some not."""
    org, folder = "organizations/4471", "folders/7310"
    fake.add_node(org, [], org_policy=[domain_policy()])
    fake.add_node(folder, [org])
    admins = ["user:ana.ops@northwind.example", "group:platform-admins@northwind.example"]
    for pid, num in PROJECTS.items():
        fake.add_project(
            pid,
            num,
            ancestors=[folder, org] if pid != "nw-prod-data" else [org],
            labels={"environment": "production" if pid == "nw-prod-data" else "dev"},
            iam_policy=policy(
                ("roles/owner", admins[:1]),
                ("roles/editor", ["user:intern@northwind.example"] if pid == "nw-sandbox" else []),
                ("roles/viewer", ["group:analysts@northwind.example"]),
                audit_all=pid == "nw-prod-data",
            ),
        )
    p = "nw-prod-data"
    n = PROJECTS[p]
    fake.add_asset(
        bucket(
            p,
            "nw-prod-exports",
            number=n,
            encryption={"defaultKmsKeyName": f"projects/{p}/locations/us/keyRings/nw/cryptoKeys/exports"},
        ),
        p,
    )
    fake.add_asset(
        bucket(
            p,
            "nw-audit-logs",
            number=n,
            retentionPolicy={"retentionPeriod": "34560000", "isLocked": True, "effectiveTime": "2024-01-01T00:00:00Z"},
        ),
        p,
    )
    fake.add_asset(sql_instance(p, "orders-db", number=n), p)
    fake.add_asset(firewall(p, "allow-https-lb", number=n, sourceRanges=["130.211.0.0/22", "35.191.0.0/16"]), p)
    fake.add_asset(subnetwork(p, "prod-us-central1", number=n), p)
    fake.add_asset(ssl_policy(p, "nw-modern", number=n), p)
    fake.add_asset(https_proxy(p, "web-proxy", "nw-modern", number=n), p)
    fake.add_asset(crypto_key(p, "nw", "exports", number=n), p)
    fake.add_asset(sa_key(p, f"etl@{p}.iam.gserviceaccount.com", "5f1c", created=ago(20), number=n), p)
    fake.add_asset(log_sink(p, "all-to-archive", "storage.googleapis.com/nw-audit-logs", number=n), p)
    fake.add_asset(gke_cluster(p, "prod-gke", number=n), p)
    fake.add_finding(p, finding(p, "f-prod-1", "HIGH", "OPEN_FIREWALL", days_open=3))

    p = "nw-analytics"
    n = PROJECTS[p]
    fake.add_asset(
        bucket(
            p,
            "nw-analytics-scratch",
            number=n,
            iamConfiguration={"publicAccessPrevention": "inherited", "uniformBucketLevelAccess": {"enabled": False}},
            iam=policy(("roles/storage.objectViewer", ["allUsers"])),
        ),
        p,
    )
    fake.add_asset(
        sql_instance(
            p,
            "reporting-db",
            number=n,
            databaseVersion="MYSQL_8_0",
            settings={
                "availabilityType": "ZONAL",
                "ipConfiguration": {
                    "ipv4Enabled": True,
                    "sslMode": "ALLOW_UNENCRYPTED_AND_ENCRYPTED",
                    "requireSsl": False,
                    "authorizedNetworks": [{"value": "0.0.0.0/0", "name": "anywhere"}],
                },
                "backupConfiguration": {
                    "enabled": True,
                    "binaryLogEnabled": False,
                    "pointInTimeRecoveryEnabled": False,
                },
            },
        ),
        p,
    )
    fake.add_asset(
        firewall(
            p,
            "allow-ssh-anywhere",
            number=n,
            allowed=[{"IPProtocol": "tcp", "ports": ["22"]}],
            sourceRanges=["0.0.0.0/0"],
            logConfig={"enable": False},
        ),
        p,
    )
    fake.add_asset(
        subnetwork(
            p, "analytics-eu", region="europe-west1", number=n, enableFlowLogs=False, logConfig={"enable": False}
        ),
        p,
    )
    fake.add_asset(crypto_key(p, "analytics", "bq", number=n, rotationPeriod="31536000s"), p)
    fake.add_asset(sa_key(p, f"loader@{p}.iam.gserviceaccount.com", "9a2e", created=ago(400), number=n), p)
    fake.add_asset(dataset(p, "marketing", number=n), p)
    fake.add_asset(
        gke_cluster(p, "batch-gke", number=n, pools=[{"name": "spot", "management": {"autoRepair": True}}]), p
    )
    fake.add_finding(p, finding(p, "f-an-1", "CRITICAL", "SQL_PUBLIC_IP", days_open=12))
    fake.add_finding(p, finding(p, "f-an-2", "HIGH", "PUBLIC_BUCKET_ACL", days_open=5))

    p = "nw-sandbox"
    n = PROJECTS[p]
    fake.add_asset(bucket(p, "nw-sandbox-tmp", number=n), p)
    fake.add_asset(
        firewall(
            p,
            "allow-rdp",
            number=n,
            allowed=[{"IPProtocol": "tcp", "ports": ["3000-4000"]}],
            sourceRanges=["0.0.0.0/0"],
        ),
        p,
    )


@contextmanager
def demo_emulator(workdir: Path) -> Iterator[DemoEnv]:
    """``trustsweep demo``: the fake serving the Northwind Analytics estate."""
    workdir.mkdir(parents=True, exist_ok=True)
    with FakeGcp() as fake:
        seed_northwind(fake)
        yield DemoEnv(
            env={"TRUSTSWEEP_GCP_ENDPOINT": fake.endpoint},
            targets=sorted(PROJECTS),  # all of the scope's projects, named so the demo knows its own sweeps
            options={"scope": "organizations/4471"},
            description=f"fake Cloud Asset Inventory + Security Command Center at {fake.endpoint} "
            "serving Northwind Analytics (organizations/4471, 3 projects)",
            requests=fake.operations,
            writes=fake.writes,
        )
