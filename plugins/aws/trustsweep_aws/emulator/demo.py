"""The ``trustsweep demo`` factory (:func:`demo_emulator`, registered through ``trustsweep_emulators``)
and ``python -m trustsweep_aws.emulator``, which serves a seeded estate for the benchmarks."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from trustsweep.plugin import DemoEnv

from .estate import seed_estate
from .faults import FaultProxy
from .server import ACCOUNT, REGIONS, start_emulator, write_profiles


@contextmanager
def demo_emulator(workdir: Path) -> Iterator[DemoEnv]:
    """The ``trustsweep demo`` factory: a seeded emulator and the env/targets pointing at it."""
    workdir.mkdir(parents=True, exist_ok=True)
    emulator = start_emulator(fill_gaps=True)
    try:
        emulator.reset()  # moto's backends are shared by every server in this process: start from nothing
        seed_estate(emulator.endpoint, regions=REGIONS)
        emulator.seed_inspector_findings(
            [finding("CRITICAL", 12, "CVE-2026-0001 in openssl"), finding("HIGH", 3, "CVE-2026-0002 in zlib")],
            REGIONS[0],
        )
        config = write_profiles(workdir)
        emulator.clear_log()  # what follows is the sweep's: reads only
        yield DemoEnv(
            env=emulator.env(config),
            targets=[ACCOUNT],
            regions=list(REGIONS),
            options={"production_accounts": [ACCOUNT]},
            description=f"Northwind Analytics on a local moto server ({emulator.endpoint}), "
            f"account {ACCOUNT}, regions {', '.join(REGIONS)}",
            requests=emulator.requests,
            writes=emulator.writes,
        )
    finally:
        emulator.stop()


def finding(
    severity: str, age_days: float, title: str, account: str = ACCOUNT, region: str = "us-east-1"
) -> dict[str, Any]:
    """An Inspector finding first seen ``age_days`` ago, for :meth:`AwsEmulator.seed_inspector_findings`."""
    seen = dt.datetime.now(dt.UTC) - dt.timedelta(days=age_days)
    ident = hashlib.sha256(title.encode()).hexdigest()[:32]  # stable across runs, unlike hash()
    return {
        "awsAccountId": account,
        "findingArn": f"arn:aws:inspector2:{region}:{account}:finding/{ident}",
        "severity": severity,
        "status": "ACTIVE",
        "title": title,
        "type": "PACKAGE_VULNERABILITY",
        "firstObservedAt": seen.timestamp(),
        "lastObservedAt": dt.datetime.now(dt.UTC).timestamp(),
        "description": title,
        "remediation": {},
        "resources": [],
    }


def serve(argv: list[str] | None = None) -> None:
    """``python -m trustsweep_aws.emulator [--regions N] [--members N]``: serve a seeded estate until
    stdin closes; prints ``ENDPOINT <url>`` once ready (used by ``bench/aws_sweep.py``)."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description=serve.__doc__)
    parser.add_argument("--regions", type=int, default=1)
    parser.add_argument("--members", type=int, default=0)
    parser.add_argument("--proxy", action="store_true", help="serve through a request-counting FaultProxy")
    args = parser.parse_args(argv)
    emulator = start_emulator()
    import boto3

    every = [
        r["RegionName"]
        for r in boto3.client(
            "ec2",
            region_name="us-east-1",
            endpoint_url=emulator.endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        ).describe_regions()["Regions"]
        if r.get("OptInStatus") != "not-opted-in"
    ]
    regions = ["us-east-1", *[r for r in sorted(every) if r != "us-east-1"]][: args.regions]
    seed_estate(emulator.endpoint, regions=tuple(regions), members=args.members)
    emulator.seed_inspector_findings([finding("HIGH", 3, "CVE-2026-0002 in zlib")], "us-east-1")
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
