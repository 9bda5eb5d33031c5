"""A synthetic sweep with failures, errors, a failed unit, a waiver, attestations and hostile names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from trustsweep.model import Attestation, Waiver

NOW = dt.datetime.now(dt.UTC)
HOSTILE = [
    '=HYPERLINK("http://evil.example/x","click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "<img src=x onerror=alert(1)>",
    "</td></tr><script>alert(2)</script>",
    "a\"b'c,d\r\ne",
    "`[/x]` | pipe",
    "\x1b[2J\x00bell\x07",
    "\u202eevil",
]


@pytest.fixture(scope="session")
def sweep(tmp_path_factory: pytest.TempPathFactory):
    from trustsweep.testing import in_memory
    from trustsweep.testing.synthetic import synthetic_sweep

    attestations = [
        Attestation(
            "att-1",
            "CC6.1",
            "mfa-enforcement",
            "a" * 64,
            "<b>idp</b> report.pdf",
            "Ada <Auditor>",
            NOW - dt.timedelta(days=10),
            NOW + dt.timedelta(days=80),
        )
    ]
    waivers = [Waiver("synthetic.keys.rotation", "*", "legacy <HSM>", NOW + dt.timedelta(days=30), "Carol", id="W-1")]
    s = synthetic_sweep(
        tmp_path_factory.mktemp("synthetic"),
        resources_per_unit=30,
        fail_units=["acct-1/south-1"],
        attestations=attestations,
        waivers=waivers,
    )
    # hostile resource ids, names and reasons on a few failing results (resource names come from clouds)
    s = in_memory(s)  # a sweep's results may live on disk: edit a copy in memory
    failing = [r for r in s.results if r.status.value == "fail"]
    for result, text in zip(failing, HOSTILE):
        result.resource_id = text
        result.reason = f"reason {text}"
    return s


@pytest.fixture(scope="session")
def registry():
    from trustsweep.plugins import Registry

    return Registry.load()


@pytest.fixture
def export(sweep, registry, tmp_path: Path):
    """``export(*names) -> out_dir``: write the named formats of the session sweep."""
    from trustsweep.export import parse_exports, run_exports

    def run(*names: str) -> Path:
        run_exports(registry.exporters, parse_exports(registry.exporters, names), sweep, tmp_path)
        return tmp_path

    return run
