"""The Azure plugin's settings: the provider-wide ones (``settings.azure`` in the config file) as
declared and as resolved for workers (:class:`Settings`, with the clouds and the endpoint
override), and the check settings several checks share. No SDK import."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from trustsweep.budget import Quota, settings
from trustsweep.plugin import SettingSpec, UserError, setting

from . import types as T

#: Resource Manager reads per subscription: a bucket of 250, refilled 25 per second (docs/budgets.md).
ARM_QUOTA = Quota(rate=25.0, burst=250)
#: Resource Graph: 15 queries per 5 seconds per user and tenant, shared by every subscription swept.
GRAPH_QUOTA = Quota(rate=3.0, burst=15)

# settings.azure in the config file, besides the check settings
PROVIDER_SETTINGS: dict[str, SettingSpec] = {
    "management_group": setting("str", "", "sweep every subscription under this management group"),
    "cloud": setting("str", "public", "Azure cloud", choices=("public", "usgov", "china")),
    "graph_batch": setting("int", 0, "subscriptions per Resource Graph query (0: about a quarter)", min=0, max=1000),
    "regions": setting("list[str]", (), "regions to sweep (default: all)"),
    "max_attempts": setting("int", 5, "attempts per request (429, 408, 5xx, timeouts)", min=1, max=20),
    "retry_base_seconds": setting("float", 1.0, "back-off base when there is no Retry-After", min=0, max=60),
    "read_timeout_seconds": setting("float", 60.0, "read timeout per request", min=0.1, max=3600),
    "connect_timeout_seconds": setting("float", 20.0, "connect timeout per request", min=0.1, max=600),
    "page_size": setting("int", 1000, "Resource Graph rows per page", min=1, max=1000),
    **settings(target=ARM_QUOTA, shared=GRAPH_QUOTA),
}


def days(default: int, help: str) -> SettingSpec:
    """A number of days (1 to 3653)."""
    return setting("int", default, help, min=1, max=3653)


def owners(default: int, help: str) -> SettingSpec:
    """A number of Owners (1 to 100)."""
    return setting("int", default, help, min=1, max=100)


MIN_TLS = {"min_tls": setting("str", "1.2", "lowest TLS version accepted", choices=("1.0", "1.1", "1.2", "1.3"))}
SLA = {
    "critical_days": days(7, "days a Critical item may stay open"),
    "high_days": days(30, "days a High item may stay open"),
}
RETENTION = {"min_retention_days": days(365, "days the logs must be kept")}
PRIVILEGED_ROLES = (T.OWNER, T.CONTRIBUTOR, T.USER_ACCESS_ADMIN)

ENDPOINT_ENV = "TRUSTSWEEP_AZURE_ENDPOINT"
CA_BUNDLE_ENV = "TRUSTSWEEP_AZURE_CA_BUNDLE"
STATIC_TOKEN = "trustsweep-static-test-token"  # what the local fake accepts; never a real secret

CLOUDS: dict[str, dict[str, str]] = {
    "public": {
        "arm": "https://management.azure.com",
        "graph": "https://graph.microsoft.com",
        "authority": "login.microsoftonline.com",
    },
    "usgov": {
        "arm": "https://management.usgovcloudapi.net",
        "graph": "https://graph.microsoft.us",
        "authority": "login.microsoftonline.us",
    },
    "china": {
        "arm": "https://management.chinacloudapi.cn",
        "graph": "https://microsoftgraph.chinacloudapi.cn",
        "authority": "login.chinacloudapi.cn",
    },
}


@dataclass(frozen=True, slots=True)
class Settings:
    """What a worker needs to build clients; picklable, holds no secret."""

    cloud: str = "public"
    endpoint: str = ""
    ca_bundle: str = ""
    max_attempts: int = 5
    retry_base_seconds: float = 1.0
    read_timeout_seconds: float = 60.0
    connect_timeout_seconds: float = 20.0
    page_size: int = 1000

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> Settings:
        cloud = str(options.get("cloud") or "public").lower()
        if cloud not in CLOUDS:
            raise UserError(f"--azure-cloud {cloud!r}: expected one of {', '.join(CLOUDS)}")
        endpoint = os.environ.get(ENDPOINT_ENV, "").rstrip("/")
        ca_bundle = os.environ.get(CA_BUNDLE_ENV, "")
        if endpoint and not endpoint.startswith("https://"):
            raise UserError(f"{ENDPOINT_ENV}={endpoint!r}: must be an https:// URL (bearer tokens need TLS)")
        if ca_bundle and not os.path.isfile(ca_bundle):
            raise UserError(f"{CA_BUNDLE_ENV}: file not found", path=ca_bundle)

        def number(key: str, default: float, kind: type = float) -> Any:
            raw = options.get(key, default)
            try:
                value = kind(raw)
            except (TypeError, ValueError):
                raise UserError(f"azure setting {key}={raw!r}: expected a number") from None
            if value < 0:
                raise UserError(f"azure setting {key}={raw!r}: must not be negative")
            return value

        page = number("page_size", 1000, int)
        if not 1 <= page <= 1000:
            raise UserError(f"azure setting page_size={page}: Resource Graph pages hold 1 to 1000 rows")
        return cls(
            cloud=cloud,
            endpoint=endpoint,
            ca_bundle=ca_bundle,
            max_attempts=max(1, number("max_attempts", 5, int)),
            retry_base_seconds=number("retry_base_seconds", 1.0),
            read_timeout_seconds=number("read_timeout_seconds", 60.0) or 60.0,
            connect_timeout_seconds=number("connect_timeout_seconds", 20.0) or 20.0,
            page_size=page,
        )

    @property
    def arm_url(self) -> str:
        return self.endpoint or CLOUDS[self.cloud]["arm"]

    @property
    def graph_url(self) -> str:
        return self.endpoint or CLOUDS[self.cloud]["graph"]
