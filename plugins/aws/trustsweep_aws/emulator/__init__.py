"""The AWS emulator, for tests and ``trustsweep demo``: moto's server over real HTTP (:mod:`.server`),
what moto lacks and the checks read (:mod:`.gaps`), the Northwind Analytics estate (:mod:`.estate`),
a fault-injecting proxy (:mod:`.faults`) and the demo factory (:mod:`.demo`).

Nothing here imports moto, boto3 or trustme at import time: they load when an emulator starts.
"""

from __future__ import annotations

from .demo import demo_emulator, finding
from .estate import Estate, seed_estate
from .faults import FaultProxy, Rule, ec2_error, json_error, query_error
from .server import ACCOUNT, CLEARED_ENV, CREDENTIAL_ENV, REGIONS, AwsEmulator, start_emulator, write_profiles

__all__ = [
    "ACCOUNT",
    "CLEARED_ENV",
    "CREDENTIAL_ENV",
    "REGIONS",
    "AwsEmulator",
    "Estate",
    "FaultProxy",
    "Rule",
    "demo_emulator",
    "ec2_error",
    "finding",
    "json_error",
    "query_error",
    "seed_estate",
    "start_emulator",
    "write_profiles",
]
