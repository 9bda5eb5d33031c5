"""Hook implementations: declarations only (no report is read, no SDK imported here)."""

from __future__ import annotations

from pathlib import Path

from trustsweep.plugin import CheckSpec, EmulatorSpec, OptionSpec, ProviderSpec, checks_in, hookimpl, setting


@hookimpl
def trustsweep_providers() -> list[ProviderSpec]:
    return [
        ProviderSpec(
            "trivy",
            "Trivy vulnerability reports",
            "trustsweep_trivy.provider:TrivyProvider",
            description="Reads Trivy JSON reports given as targets (file paths).",
            settings={"report": setting("list[str]", (), "Trivy JSON reports to read")},
        )
    ]


@hookimpl
def trustsweep_checks() -> list[CheckSpec]:
    return checks_in("trustsweep_trivy.checks")


@hookimpl
def trustsweep_options() -> list[OptionSpec]:
    return [OptionSpec("trivy-report", "trivy", "A Trivy JSON report to read (repeatable).", kind="multi")]


@hookimpl
def trustsweep_mapping_files() -> list[Path]:
    return [Path(__file__).with_name("soc2.yaml")]


@hookimpl
def trustsweep_emulators() -> list[EmulatorSpec]:
    return [EmulatorSpec("trivy", "trustsweep_trivy.emulator:demo_emulator", "two Trivy reports of Northwind images")]
