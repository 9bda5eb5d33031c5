"""Registration of the aws provider: declarations only, no SDK import."""

from __future__ import annotations

from pathlib import Path

from trustsweep.plugin import CheckSpec, EmulatorSpec, OptionSpec, ProviderSpec, checks_in, hookimpl


@hookimpl
def trustsweep_providers() -> list[ProviderSpec]:
    from .settings import PROVIDER_SETTINGS

    return [
        ProviderSpec(
            "aws",
            "Amazon Web Services",
            "trustsweep_aws.provider:AwsProvider",
            description="Accounts (or a whole organisation) × enabled regions, through boto3; read-only.",
            settings=PROVIDER_SETTINGS,
            properties_version=2,  # 2: collectors on the Collector context, one unread convention (issue 12)
        )
    ]


@hookimpl
def trustsweep_checks() -> list[CheckSpec]:
    return checks_in("trustsweep_aws.checks")


@hookimpl
def trustsweep_options() -> list[OptionSpec]:
    return [
        OptionSpec(
            "aws-organization",
            "aws",
            "Sweep every active account of the organisation (assumes a role in each).",
            kind="flag",
            env="TRUSTSWEEP_AWS_ORGANIZATION",
        ),
        OptionSpec(
            "aws-role-name",
            "aws",
            "Read-only role assumed in member accounts (default TrustsweepReadOnly).",
            env="TRUSTSWEEP_AWS_ROLE_NAME",
        ),
        OptionSpec(
            "aws-external-id", "aws", "External id passed when assuming the role.", env="TRUSTSWEEP_AWS_EXTERNAL_ID"
        ),
        OptionSpec(
            "aws-production-account",
            "aws",
            "Account id or name (glob) that is production (repeatable).",
            kind="multi",
            env="TRUSTSWEEP_AWS_PRODUCTION_ACCOUNTS",
        ),
        OptionSpec(
            "aws-retry-mode", "aws", "botocore retry mode: standard (default) or adaptive.", env="AWS_RETRY_MODE"
        ),
        OptionSpec(
            "aws-max-attempts",
            "aws",
            "Total attempts per API call, first included (default 5).",
            env="AWS_MAX_ATTEMPTS",
        ),
    ]


@hookimpl
def trustsweep_mapping_files() -> list[Path]:
    return [Path(__file__).with_name("soc2.yaml")]


@hookimpl
def trustsweep_emulators() -> list[EmulatorSpec]:
    return [
        EmulatorSpec(
            "aws",
            "trustsweep_aws.emulator:demo_emulator",
            "moto server on 127.0.0.1 with the Northwind Analytics estate",
        )
    ]
