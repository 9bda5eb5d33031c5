"""The estates the fake serves for the demo (Northwind Analytics) and for benchmarks, the
``trustsweep_emulators`` factory, and ``python -m trustsweep_azure.emulator`` (a scale estate)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from trustsweep.plugin import DemoEnv

from .estate import AzureEstate
from .records import CONTRIBUTOR_ROLE, READER_ROLE, stable_id
from .server import FakeAzure


def demo_estate(now: dt.datetime | None = None) -> AzureEstate:
    """Northwind Analytics on Azure: a production and a development subscription, some controls met."""
    now = now or dt.datetime.now(dt.UTC)
    e = AzureEstate()
    prod = e.add_subscription("Northwind Production", "3f2b8c1a-6d4e-4b7a-9c2d-1e0f5a6b7c8d", ("mg-northwind",))
    dev = e.add_subscription("Northwind Development", "9a8b7c6d-5e4f-4a3b-8c2d-0e1f2a3b4c5d", ("mg-northwind",))
    alice, bob, carol = e.user("Alice Ward"), e.user("Bob Singh"), e.user("Carol Diaz")
    vendor = e.user("Vendor Ops", guest=True)
    e.conditional_access(
        "Require MFA for admins", roles=["62e90394-69f5-4237-9190-012177145e10", "e8611ab8-c189-46e8-94e1-60213ab1f814"]
    )
    for sub in (prod, dev):
        e.role_assignment(sub, alice)
    e.role_assignment(prod, bob)
    e.role_assignment(dev, vendor, CONTRIBUTOR_ROLE)  # a guest contributor: fails
    e.role_assignment(prod, carol, READER_ROLE)
    e.custom_role(
        prod, "Northwind Network Operator", ["Microsoft.Network/*/read", "Microsoft.Network/networkSecurityGroups/*"]
    )
    e.custom_role(dev, "Dev Everything", ["*"])
    # production: mostly good
    law = e.workspace(prod, "law-central", retention_days=400)
    logs = e.storage_account(prod, "nwprodactivitylogs", rg="rg-logs", tags={"environment": "production"})
    e.log_container(logs, state="Locked")
    e.activity_log_export(prod, workspace_id=law, storage_id=logs)
    e.storage_account(prod, "nwproddata", tags={"environment": "production"})
    e.storage_account(
        prod,
        "nwprodexports",
        public_blob=True,
        default_action="Allow",
        sku="Standard_LRS",
        tags={"environment": "production"},
    )
    e.disk(prod, "vm-api-1_OsDisk", encryption="EncryptionAtRestWithCustomerKey")
    api = e.vm(prod, "vm-api-1")
    e.vm(prod, "vm-batch-1", backed_up=False)
    subnet = (
        f"/subscriptions/{prod}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/app"
    )
    good_nsg = e.nsg(
        prod,
        "nsg-app",
        [{"name": "https", "destinationPortRange": "443", "sourceAddressPrefix": "Internet"}],
        subnets=[subnet],
    )
    e.flow_log(prod, good_nsg)
    e.nsg(prod, "nsg-bastion", [{"name": "ssh", "destinationPortRange": "22", "sourceAddressPrefix": "*"}])
    sql = e.sql_server(prod, "nw-sql-prod", audit_days=0)
    e.sql_database(sql, "analytics", ltr={"weeklyRetention": "P4W", "monthlyRetention": "P12M"})
    e.web_app(prod, "nw-portal")
    kv = e.key_vault(prod, "nw-kv-prod")
    e.key(kv, "tde-protector")
    e.key(kv, "legacy-signing", rotate=False)
    for plan in ("VirtualMachines", "SqlServers", "StorageAccounts", "Containers", "KeyVaults"):
        e.defender_plan(prod, plan)
    e.security_contact(prod)
    e.vulnerability(prod, api, "OpenSSL buffer overflow", severity="High", age_days=12, now=now)
    e.vulnerability(prod, api, "glibc privilege escalation", severity="Critical", age_days=9, now=now)
    e.recommendation(prod, api, "Machines should have a vulnerability assessment solution", age_days=45, now=now)
    e.recommendation(prod, api, "Endpoint protection should be installed on machines", age_days=3, now=now)
    # development: controls mostly missing
    e.storage_account(
        dev,
        "nwdevscratch",
        https_only=False,
        min_tls="TLS1_0",
        default_action="Allow",
        sku="Standard_LRS",
        tags={"environment": "development"},
    )
    e.disk(dev, "vm-dev-1_OsDisk")
    e.vm(dev, "vm-dev-1", backed_up=False)
    e.nsg(dev, "nsg-dev", [{"name": "rdp", "destinationPortRange": "3389", "sourceAddressPrefix": "0.0.0.0/0"}])
    dsql = e.sql_server(
        dev, "nw-sql-dev", min_tls="1.0", auditing="Disabled", firewall=[("open", "0.0.0.0", "255.255.255.255")]
    )
    e.sql_database(dsql, "scratch", tde="Disabled", redundancy="Local")
    e.web_app(dev, "nw-portal-dev", https_only=False, min_tls="1.0")
    dkv = e.key_vault(dev, "nw-kv-dev", purge_protection=None, audit_logs=False)
    e.key(dkv, "dev-key", rotate=False)
    e.defender_plan(dev, "VirtualMachines", "Free")
    return e


def scale_estate(subscriptions: int = 20, resources: int = 5000) -> AzureEstate:
    """A large estate for benchmarks: per subscription, ``resources`` Graph-served resources."""
    e = AzureEstate()
    kinds = ("storage", "disk", "vm", "nsg")
    for s in range(subscriptions):
        sub = e.add_subscription(f"Bench {s:03d}", stable_id("bench", str(s)), ("mg-bench",))
        owner = e.user(f"Owner {s}")
        e.role_assignment(sub, owner)
        e.role_assignment(sub, e.user(f"Backup owner {s}"))
        for plan in ("VirtualMachines", "SqlServers", "StorageAccounts", "Containers", "KeyVaults"):
            e.defender_plan(sub, plan)
        e.security_contact(sub)
        law = e.workspace(sub, "law", retention_days=365)
        e.activity_log_export(sub, workspace_id=law)
        e.sql_database(e.sql_server(sub, f"sql-{s}"), "db")
        e.web_app(sub, f"web-{s}")
        e.key(e.key_vault(sub, f"kv-{s}"), "k")
        for i in range(resources):
            kind = kinds[i % len(kinds)]
            if kind == "storage":
                e.storage_account(sub, f"st{s}x{i}", public_blob=bool(i % 3 == 0))
            elif kind == "disk":
                e.disk(sub, f"disk-{i}")
            elif kind == "vm":
                e.vm(sub, f"vm-{i}", backed_up=bool(i % 2))
            else:
                e.nsg(sub, f"nsg-{i}", [{"name": "https", "destinationPortRange": "443", "sourceAddressPrefix": "*"}])
    return e


# ----------------------------------------------------------------------------------------------
# the demo emulator (the ``trustsweep_emulators`` factory) and the benchmarks' server


@contextmanager
def demo_emulator(workdir: Path) -> Iterator[Any]:
    """Serve the Northwind demo estate and yield the DemoEnv that points the plugin at it."""
    estate = demo_estate()
    with FakeAzure(estate, Path(workdir)) as fake:
        yield DemoEnv(
            env=fake.env(),
            targets=sorted(estate.subscriptions),
            regions=[],
            options={"retry_base_seconds": 0.05},
            requests=fake.served,
            writes=fake.writes,
            description=f"fake Azure Resource Manager + Resource Graph at {fake.url} "
            f"({len(estate.subscriptions)} Northwind subscriptions)",
        )


def serve_main(argv: list[str] | None = None) -> None:
    """``python -m trustsweep_azure.emulator --subscriptions N --resources M [--latency S]``: serve a scale estate.

    Prints ``URL CA_BUNDLE`` on one line, then serves until stdin closes (for benchmarks that measure
    the sweep process alone).
    """
    import argparse
    import sys
    import tempfile

    parser = argparse.ArgumentParser()
    parser.add_argument("--subscriptions", type=int, default=20)
    parser.add_argument("--resources", type=int, default=5000)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every response")
    args = parser.parse_args(argv)
    estate = scale_estate(args.subscriptions, args.resources)
    with tempfile.TemporaryDirectory() as tmp, FakeAzure(estate, Path(tmp), latency=args.latency) as fake:
        print(fake.url, fake.ca_bundle, flush=True)
        sys.stdin.read()
        print(fake.count(), file=sys.stderr, flush=True)
