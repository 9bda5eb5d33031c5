"""The GCP provider's settings (``settings: gcp:`` in the config file) and the unit options they feed."""

from __future__ import annotations

from trustsweep.budget import Quota, settings
from trustsweep.plugin import SettingSpec, setting

#: Cloud Asset Inventory's ListAssets quota: 100 requests per minute per consumer project (the
#: project every swept project's requests are charged to), so shared across targets (docs/budgets.md).
QUOTA = Quota(rate=100 / 60, burst=100)


def _seconds(default: float, help: str) -> SettingSpec:
    return setting("float", default, help, min=0.01, max=3600)


#: Collection settings; the matching ``--gcp-*`` options (scope, impersonate, endpoint) override them.
PROVIDER_SETTINGS: dict[str, SettingSpec] = {
    "scope": setting("str", "", "organizations/N or folders/N whose active projects are swept"),
    "impersonate": setting("str", "", "service account (email) to impersonate"),
    "endpoint": setting("str", "", "API endpoint with anonymous credentials (emulators, tests)"),
    "read_timeout_seconds": _seconds(60.0, "seconds per HTTP request (connecting and reading)"),
    "retry_initial": _seconds(1.0, "first retry delay in seconds"),
    "retry_maximum": _seconds(30.0, "longest retry delay in seconds"),
    "retry_deadline": _seconds(180.0, "seconds before a call is given up, retries included"),
    "page_size": setting("int", 1000, "Cloud Asset results per page", min=1, max=1000),
    "findings_page_size": setting("int", 1000, "Security Command Center findings per page", min=1, max=1000),
    **settings(shared=QUOTA),
}

#: What a unit of collection needs from the provider's options (no secret among them).
UNIT_OPTIONS = (
    "endpoint",
    "impersonate",
    "read_timeout_seconds",
    "retry_initial",
    "retry_maximum",
    "retry_deadline",
    "page_size",
    "findings_page_size",
)


def days(default: int, help: str) -> SettingSpec:
    """A number of days, 1–3653 (ten years)."""
    return setting("int", default, help, min=1, max=3653)
