"""Registration of the gcp provider: declarations only, no SDK import."""

from __future__ import annotations

from pathlib import Path

from trustsweep.plugin import CheckSpec, EmulatorSpec, OptionSpec, ProviderSpec, checks_in, hookimpl

from .settings import PROVIDER_SETTINGS

P = "gcp"

# No property holds a secret: collectors keep only the documented properties of each resource type
# (docs/gcp.md), so the secrets of a Cloud Asset record (GKE masterAuth password and client key, Cloud SQL
# rootPassword, service-account privateKeyData, instance metadata) are never copied. Labels are kept; the
# engine redacts secret-named labels and secret-looking values in them like anywhere else.
SECRET_FIELDS: tuple[str, ...] = ()


@hookimpl
def trustsweep_providers() -> list[ProviderSpec]:
    return [
        ProviderSpec(
            P,
            "Google Cloud",
            "trustsweep_gcp.provider:GcpProvider",
            description="Projects through Cloud Asset Inventory and Security Command Center",
            settings=PROVIDER_SETTINGS,
            secret_fields=SECRET_FIELDS,
            properties_version=2,  # 2: documented snake_case properties, not the raw CAI `data`
        )
    ]


@hookimpl
def trustsweep_checks() -> list[CheckSpec]:
    return checks_in("trustsweep_gcp.checks")


@hookimpl
def trustsweep_options() -> list[OptionSpec]:
    return [
        OptionSpec(
            "gcp-scope", P, "Sweep every active project under organizations/N or folders/N.", env="TRUSTSWEEP_GCP_SCOPE"
        ),
        OptionSpec(
            "gcp-impersonate",
            P,
            "Impersonate this service account (email) for all API calls.",
            env="TRUSTSWEEP_GCP_IMPERSONATE",
        ),
        OptionSpec(
            "gcp-endpoint",
            P,
            "Send API calls to this endpoint (http://host:port) with anonymous credentials: emulators and tests.",
            env="TRUSTSWEEP_GCP_ENDPOINT",
        ),
    ]


@hookimpl
def trustsweep_mapping_files() -> list[Path]:
    return [Path(__file__).with_name("soc2.yaml")]


@hookimpl
def trustsweep_emulators() -> list[EmulatorSpec]:
    return [
        EmulatorSpec(
            P,
            "trustsweep_gcp.emulator:demo_emulator",
            "fake Cloud Asset Inventory and Security Command Center (Northwind Analytics)",
        )
    ]
