"""Hook implementations: declarations only (no report is read here)."""

from __future__ import annotations

from pathlib import Path

from trustsweep.plugin import CheckSpec, EmulatorSpec, OptionSpec, ProviderSpec, checks_in, hookimpl, setting


@hookimpl
def trustsweep_providers() -> list[ProviderSpec]:
    return [
        ProviderSpec(
            "scanners",
            "Vulnerability scanner reports (Trivy, Grype, Snyk)",
            "trustsweep_scanners.provider:ScannersProvider",
            description="Reads Trivy, Grype and Snyk JSON reports given as targets (files, or folders searched for *.json).",
            settings={
                "reports": setting("list[str]", (), "report files or folders to read besides --target"),
                "root": setting(
                    "str", "", "folder that relative report paths start from (default: the current folder)"
                ),
                "history_days": setting(
                    "int",
                    400,
                    "how far back the evidence store is searched for an artifact's previous record",
                    min=1,
                    max=3653,
                ),
            },
            history_types=("scanners.artifact",),  # the next sweep reads each artifact's first-seen times back
        )
    ]


@hookimpl
def trustsweep_checks() -> list[CheckSpec]:
    return checks_in("trustsweep_scanners.checks")


@hookimpl
def trustsweep_options() -> list[OptionSpec]:
    return [
        OptionSpec(
            "scanners-root",
            "scanners",
            "Folder that relative report paths (targets) start from.",
            env="TRUSTSWEEP_SCANNERS_ROOT",
        )
    ]


@hookimpl
def trustsweep_mapping_files() -> list[Path]:
    return [Path(__file__).with_name("soc2.yaml")]


@hookimpl
def trustsweep_emulators() -> list[EmulatorSpec]:
    return [
        EmulatorSpec(
            "scanners",
            "trustsweep_scanners.emulator:demo_emulator",
            "Trivy, Grype and Snyk reports of Northwind's images and projects",
        )
    ]
