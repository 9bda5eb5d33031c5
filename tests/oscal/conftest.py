"""Shared fixtures: one synthetic sweep (with failures, errors, a failed unit, waivers and
attestations) per test session, and NIST's schema directory."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from trustsweep.model import Attestation, Waiver

NOW = dt.datetime.now(dt.UTC)

ATTESTATIONS = [
    Attestation(
        "att-mfa",
        "CC6.1",
        "mfa-enforcement",
        "a" * 64,
        "idp report 2026.pdf",
        "Ada Auditor",
        NOW - dt.timedelta(days=10),
        NOW + dt.timedelta(days=80),
    ),
    Attestation(
        "att-irp",
        "CC7.3",
        "incident-response-plan",
        "b" * 64,
        "ir-plan.docx",
        "Bob Lead",
        NOW - dt.timedelta(days=400),
        NOW - dt.timedelta(days=35),
    ),
]
WAIVERS = [
    Waiver(
        "synthetic.keys.rotation",
        "*",
        "Legacy HSM keys,\nreplacement planned",
        NOW + dt.timedelta(days=30),
        "Carol CISO",
        id="W-7",
    )
]


@pytest.fixture(scope="session")
def attestations() -> list[Attestation]:
    return list(ATTESTATIONS)


@pytest.fixture(scope="session")
def sweep(tmp_path_factory: pytest.TempPathFactory):
    from trustsweep.testing.synthetic import synthetic_sweep

    return synthetic_sweep(
        tmp_path_factory.mktemp("synthetic"),
        resources_per_unit=12,
        fail_units=["acct-1/south-1"],
        attestations=ATTESTATIONS,
        waivers=WAIVERS,
    )


@pytest.fixture(scope="session")
def schemas() -> Path:
    from trustsweep.testing.oscal import schema_dir

    return schema_dir()


@pytest.fixture(scope="session")
def bundles(sweep, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """The sweep's bundle written once per OSCAL version × format."""
    from trustsweep.oscal import write_bundle

    sweep.chain_head = "c" * 64
    out: dict[tuple[str, str], Path] = {}
    for version in ("1.2.1", "1.1.3"):
        for fmt in ("json", "yaml"):
            d = tmp_path_factory.mktemp(f"bundle-{version}-{fmt}")
            write_bundle(sweep, d, oscal_version=version, fmt=fmt)
            out[(version, fmt)] = d
    return out
