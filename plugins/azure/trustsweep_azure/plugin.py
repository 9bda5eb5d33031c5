"""Registration of the azure provider: declarations only, no SDK import."""

from __future__ import annotations

from trustsweep.hookspecs import hookimpl
from trustsweep.model import CheckSpec, EmulatorSpec, OptionSpec, ProviderSpec


# ARM and Resource Graph properties are kept mostly whole, so these fields would reach the inventory
# (tags and secret-looking values anywhere are redacted by the engine's generic rules as well)
SECRET_FIELDS = (
    "osProfile.adminPassword", "osProfile.customData", "userData",  # virtual machines
    "administratorLoginPassword",  # SQL servers
    "siteConfig.appSettings", "siteConfig.connectionStrings",  # App Service
)


@hookimpl
def trustsweep_providers() -> list[ProviderSpec]:
    from .catalog import PROVIDER_SETTINGS

    return [ProviderSpec("azure", "Microsoft Azure", "trustsweep_azure.provider:AzureProvider",
                         description="Subscriptions through Resource Graph, Resource Manager and Microsoft Graph",
                         settings=PROVIDER_SETTINGS, secret_fields=SECRET_FIELDS)]


@hookimpl
def trustsweep_checks() -> list[CheckSpec]:
    from .catalog import CHECKS

    return list(CHECKS)


@hookimpl
def trustsweep_options() -> list[OptionSpec]:
    return [
        OptionSpec("azure-management-group", "azure", "Sweep every subscription under this management group.",
                   env="TRUSTSWEEP_AZURE_MANAGEMENT_GROUP"),
        OptionSpec("azure-cloud", "azure", "Azure cloud: public, usgov or china.", default="public",
                   env="TRUSTSWEEP_AZURE_CLOUD"),
        OptionSpec("azure-graph-batch", "azure", "Subscriptions per Resource Graph query (1-1000; default: a quarter of them)."),
    ]


@hookimpl
def trustsweep_emulators() -> list[EmulatorSpec]:
    return [EmulatorSpec("azure", "trustsweep.testing.azure:demo_emulator",
                         "fake Azure Resource Manager + Resource Graph over HTTPS with the Northwind estate")]
