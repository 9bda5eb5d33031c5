"""Hook implementations: declarations only (no report is read here)."""

from __future__ import annotations

from pathlib import Path

from trustsweep.hookspecs import hookimpl
from trustsweep.model import CheckSpec, OptionSpec, ProviderSpec, SettingSpec, Severity

PROVIDER = "trivy"


@hookimpl
def trustsweep_providers() -> list[ProviderSpec]:
    return [ProviderSpec(PROVIDER, "Trivy vulnerability reports", "trustsweep_trivy.provider:TrivyProvider",
                         description="Reads Trivy JSON reports given as targets (file paths).",
                         settings=(SettingSpec("report", "list[str]", (), "Trivy JSON reports to read"),))]


def _max_days(default: int) -> tuple[SettingSpec, ...]:
    return (SettingSpec("max_days", "int", default, "days a fixable vulnerability may stay open", min=1, max=3653),)


@hookimpl
def trustsweep_checks() -> list[CheckSpec]:
    common = dict(provider=PROVIDER, resource_types=("trivy.artifact",))
    return [
        CheckSpec("trivy.vuln.critical_sla", "No fixable CRITICAL vulnerability open longer than 7 days",
                  severity=Severity.CRITICAL,
                  rationale="Remediation SLAs show vulnerabilities are handled in time (CC7.1).",
                  remediation="Upgrade the affected packages to the fixed versions and rebuild the image.",
                  function="trustsweep_trivy.checks:critical_sla", settings=_max_days(7), **common),
        CheckSpec("trivy.vuln.high_sla", "No fixable HIGH vulnerability open longer than 30 days",
                  severity=Severity.HIGH,
                  rationale="Remediation SLAs show vulnerabilities are handled in time (CC7.1).",
                  remediation="Upgrade the affected packages to the fixed versions and rebuild the image.",
                  function="trustsweep_trivy.checks:high_sla", settings=_max_days(30), **common),
    ]


@hookimpl
def trustsweep_options() -> list[OptionSpec]:
    return [OptionSpec("trivy-report", PROVIDER, "A Trivy JSON report to read (repeatable).", kind="multi")]


@hookimpl
def trustsweep_mapping_files() -> list[Path]:
    return [Path(__file__).with_name("soc2.yaml")]
