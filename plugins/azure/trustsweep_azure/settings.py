"""The Azure plugin's settings: the provider-wide ones (``settings.azure`` in the config file) and
the check settings several checks share. Declarations only; no SDK import."""

from __future__ import annotations

from trustsweep.plugin import SettingSpec, setting

from . import types as T

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
}


def days(default: int, help: str) -> SettingSpec:
    """A number of days (1 to 3653)."""
    return setting("int", default, help, min=1, max=3653)


def owners(default: int, help: str) -> SettingSpec:
    """A number of Owners (1 to 100)."""
    return setting("int", default, help, min=1, max=100)


MIN_TLS = {"min_tls": setting("str", "1.2", "lowest TLS version accepted", choices=("1.0", "1.1", "1.2", "1.3"))}
SLA = {"critical_days": days(7, "days a Critical item may stay open"),
       "high_days": days(30, "days a High item may stay open")}
RETENTION = {"min_retention_days": days(365, "days the logs must be kept")}
PRIVILEGED_ROLES = (T.OWNER, T.CONTRIBUTOR, T.USER_ACCESS_ADMIN)
