"""The aws provider's own settings (``settings.aws`` in the config file, besides its checks'
settings); the command-line options reach the provider under the same keys."""

from __future__ import annotations

from trustsweep.budget import Quota, settings
from trustsweep.plugin import setting

#: EC2's documented bucket for non-mutating (Describe*) actions per account and Region: 100 tokens,
#: refilled 20 per second (docs/budgets.md); applied per account, Region and service.
QUOTA = Quota(rate=20.0, burst=100)

PROVIDER_SETTINGS = {
    "organization": setting("bool", False, "sweep every active account of the organisation"),
    "role_name": setting("str", "TrustsweepReadOnly", "read-only role assumed in member accounts"),
    "external_id": setting("str", "", "external id passed when assuming the role"),
    "production_accounts": setting("list[str]", (), "account ids or names (globs) that are production"),
    "regions": setting("list[str]", (), "regions to sweep (default: every enabled region)"),
    "home_region": setting("str", "", "region for global services (default: the partition's)"),
    "retry_mode": setting("str", "standard", "botocore retry mode", choices=("standard", "adaptive", "legacy")),
    "max_attempts": setting("int", 5, "total attempts per API call, the first included", min=1, max=20),
    "connect_timeout_seconds": setting("float", 10.0, "seconds to connect", min=0.1, max=600),
    "read_timeout_seconds": setting("float", 30.0, "seconds to wait for a response", min=0.1, max=3600),
    "max_pool_connections": setting("int", 20, "HTTP connections per client", min=1, max=1000),
    **settings(target=QUOTA),
}
