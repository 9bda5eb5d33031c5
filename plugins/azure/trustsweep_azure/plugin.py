"""Registration of the azure provider: hooks only, no SDK import."""

from __future__ import annotations

from pathlib import Path

from trustsweep.plugin import CheckSpec, EmulatorSpec, OptionSpec, ProviderSpec, checks_in, hookimpl

from .settings import PROVIDER_SETTINGS

# Collectors keep named properties only (docs/azure.md), never a whole API record, so no API field
# that holds a secret (a VM's osProfile.adminPassword, customData or userData, a SQL server's
# administratorLoginPassword, App Service appSettings and connectionStrings) reaches the inventory:
# none of the documented properties is a secret, so none is declared. Tags and secret-looking values
# anywhere are still redacted by the engine's generic rules (tests/azure/test_redaction.py).
SECRET_FIELDS: tuple[str, ...] = ()


@hookimpl
def trustsweep_providers() -> list[ProviderSpec]:
    return [
        ProviderSpec(
            "azure",
            "Microsoft Azure",
            "trustsweep_azure.provider:AzureProvider",
            description="Subscriptions through Resource Graph, Resource Manager and Microsoft Graph",
            settings=PROVIDER_SETTINGS,
            secret_fields=SECRET_FIELDS,
            properties_version=2,
        )
    ]  # 2: documented snake_case properties, not the raw ARM records


@hookimpl
def trustsweep_checks() -> list[CheckSpec]:
    return checks_in("trustsweep_azure.checks")


@hookimpl
def trustsweep_options() -> list[OptionSpec]:
    return [
        OptionSpec(
            "azure-management-group",
            "azure",
            "Sweep every subscription under this management group.",
            env="TRUSTSWEEP_AZURE_MANAGEMENT_GROUP",
        ),
        OptionSpec(
            "azure-cloud",
            "azure",
            "Azure cloud: public, usgov or china.",
            default="public",
            env="TRUSTSWEEP_AZURE_CLOUD",
        ),
        OptionSpec(
            "azure-graph-batch", "azure", "Subscriptions per Resource Graph query (1-1000; default: a quarter of them)."
        ),
    ]


@hookimpl
def trustsweep_mapping_files() -> list[Path]:
    return [Path(__file__).with_name("soc2.yaml")]


@hookimpl
def trustsweep_emulators() -> list[EmulatorSpec]:
    return [
        EmulatorSpec(
            "azure",
            "trustsweep_azure.emulator:demo_emulator",
            "fake Azure Resource Manager + Resource Graph over HTTPS with the Northwind estate",
        )
    ]
