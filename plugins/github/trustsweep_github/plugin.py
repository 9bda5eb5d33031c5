"""Hook implementations of the GitHub plugin: declarations only (no HTTP client is imported here)."""

from __future__ import annotations

from pathlib import Path

from trustsweep.budget import Quota, settings
from trustsweep.plugin import CheckSpec, EmulatorSpec, OptionSpec, ProviderSpec, checks_in, hookimpl, setting

#: GitHub's primary rate limit: 5,000 requests per hour per token, shared by every organisation and
#: repository swept with the token; a burst of 800 keeps any one minute under the secondary limit of
#: 900 points (GETs) per minute per endpoint (docs/budgets.md).
QUOTA = Quota(rate=5000 / 3600, burst=800)

SETTINGS = {
    "since": setting("str", "90d", "start of the operating window: days (90d) or a date (2026-01-31)"),
    "endpoint": setting(
        "str", "", "API endpoint (GitHub Enterprise Server: https://HOST/api/v3); default api.github.com"
    ),
    "approver_not_merger": setting(
        "bool",
        False,
        "read who merged each pull request (one more request each) so the merger's own approval does not count",
    ),
    "max_wait_seconds": setting(
        "int", 900, "longest rate-limit waiting for one request before the unit fails", min=0, max=86400
    ),
    "retry_base_seconds": setting("float", 1.0, "first backoff of a 5xx or timeout retry (doubles)", min=0, max=60),
    "timeout_seconds": setting("float", 30.0, "seconds to wait for an answer", min=1, max=600),
    "cache": setting("bool", True, "conditional requests from an on-disk ETag cache"),
    "cache_dir": setting("str", "", "the ETag cache folder (default: the user cache dir/trustsweep/github)"),
    "repos_per_unit": setting("int", 10, "repositories per unit of work", min=1, max=1000),
    **settings(shared=QUOTA),
}


@hookimpl
def trustsweep_providers() -> list[ProviderSpec]:
    return [
        ProviderSpec(
            "github",
            "GitHub organisations and repositories",
            "trustsweep_github.provider:GitHubProvider",
            description="Branch protection, rulesets and reviewed history of GitHub repositories "
            "(targets: org:NAME, NAME or OWNER/REPO; token from GITHUB_TOKEN or GH_TOKEN).",
            settings=SETTINGS,
        )
    ]


@hookimpl
def trustsweep_checks() -> list[CheckSpec]:
    return checks_in("trustsweep_github.checks")


@hookimpl
def trustsweep_options() -> list[OptionSpec]:
    return [
        OptionSpec(
            "github-endpoint",
            "github",
            "GitHub API endpoint (Enterprise Server: https://HOST/api/v3).",
            env="TRUSTSWEEP_GITHUB_ENDPOINT",
        ),
        OptionSpec("github-since", "github", "Start of the operating window: days (90d, the default) or a date."),
        OptionSpec("github-no-cache", "github", "Send no conditional requests (ignore the ETag cache).", kind="flag"),
    ]


@hookimpl
def trustsweep_mapping_files() -> list[Path]:
    return [Path(__file__).with_name("soc2.yaml")]


@hookimpl
def trustsweep_emulators() -> list[EmulatorSpec]:
    return [
        EmulatorSpec(
            "github",
            "trustsweep_github.emulator:demo_emulator",
            "a fake GitHub REST API serving the Northwind organisation",
        )
    ]
