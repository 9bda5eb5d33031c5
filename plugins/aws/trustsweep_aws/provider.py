"""The AWS provider: resolves accounts (caller, profiles, account ids, the whole organisation) and
plans one unit of work per service × region (global services once per account)."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from trustsweep.budget import unit_options
from trustsweep.plugin import Provider, ProviderError, Target, UserError, WorkUnit

from .collect import (
    accessanalyzer,
    acm,
    backup,
    cloudfront,
    cloudtrail,
    config,
    ec2,
    ecr,
    elbv2,
    guardduty,
    iam,
    inspector2,
    kms,
    logs,
    rds,
    s3,
    securityhub,
)
from .collect.base import GLOBAL, describe_error
from .settings import QUOTA

ACCOUNT_ID = re.compile(r"^\d{12}$")
DEFAULT_ROLE = "TrustsweepReadOnly"
_UNIT_OPTIONS = (
    "retry_mode",
    "max_attempts",
    "connect_timeout_seconds",
    "read_timeout_seconds",
    "max_pool_connections",
)
#: Each service's collector module (named for its botocore service; TYPES and REGIONAL in it), in plan order.
SERVICES = (
    iam,
    s3,
    cloudfront,
    cloudtrail,
    ec2,
    rds,
    kms,
    elbv2,
    acm,
    logs,
    config,
    guardduty,
    securityhub,
    inspector2,
    ecr,
    accessanalyzer,
    backup,
)


def service_name(module: ModuleType) -> str:
    """The botocore name of the service a collector module reads (its module name)."""
    return module.__name__.rpartition(".")[2]


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v) for v in value]


class AwsProvider(Provider):
    name = "aws"
    context = "trustsweep_aws.collect.base:AwsCollector"

    # ------------------------------------------------------------------ options
    def _opts(self) -> dict[str, Any]:
        opts = {k: self.options[k] for k in _UNIT_OPTIONS if self.options.get(k) not in (None, "")}
        mode = opts.get("retry_mode")
        if mode is not None and mode not in ("standard", "adaptive", "legacy"):
            raise UserError(f"--aws-retry-mode {mode!r}: choose standard or adaptive")
        if "max_attempts" in opts:
            try:
                if int(opts["max_attempts"]) < 1:
                    raise ValueError
            except ValueError:
                raise UserError(f"--aws-max-attempts {opts['max_attempts']!r}: a whole number >= 1") from None
        return opts

    def _production(self, account: str, name: str = "") -> bool:
        patterns = _as_list(self.options.get("production_accounts")) + _as_list(self.options.get("production_account"))
        return any(fnmatch.fnmatch(account, p) or (name and fnmatch.fnmatch(name, p)) for p in patterns)

    def _role_attrs(self, account: str, partition: str) -> dict[str, Any]:
        role = str(self.options.get("role_name") or DEFAULT_ROLE)
        attrs: dict[str, Any] = {"role_arn": f"arn:{partition}:iam::{account}:role/{role}", "partition": partition}
        if self.options.get("external_id"):
            attrs["secret_external_id"] = str(self.options["external_id"])
        return attrs

    # ------------------------------------------------------------------ targets
    def _identity(self, profile: str | None = None) -> dict[str, str]:
        from . import session

        try:
            sts = session.base_session(profile).client("sts", config=session.client_config(self._opts()))
            return sts.get_caller_identity()
        except Exception as exc:
            what = f"profile {profile!r}" if profile else "the default credential chain"
            if type(exc).__name__ == "ProfileNotFound":
                raise UserError(f"--target {profile!r}: no such AWS profile") from None
            raise ProviderError(f"cannot identify the caller with {what}: {describe_error(exc)}") from None

    def targets(self, requested: Sequence[str]) -> list[Target]:
        self._opts()  # validate options before any call
        from . import session

        # parse the API models on a background thread while targets and regions are resolved
        names = [service_name(m) for m in SERVICES]
        session.preload_models([*names[:2], "s3control", *names[2:]])
        if self.options.get("organization"):
            caller = self._identity()
            return self._organization(caller, caller["Arn"].split(":")[1], requested)
        if not requested:
            caller = self._identity()
            account = caller["Account"]
            return [
                Target(
                    "aws",
                    account,
                    account,
                    {"partition": caller["Arn"].split(":")[1], "production": self._production(account)},
                )
            ]
        out: list[Target] = []
        caller: dict[str, str] | None = None
        for item in requested:
            if ACCOUNT_ID.match(item):
                caller = caller or self._identity()
                partition = caller["Arn"].split(":")[1]
                attrs: dict[str, Any] = {"partition": partition}
                if item != caller["Account"]:
                    attrs.update(self._role_attrs(item, partition))
                attrs["production"] = self._production(item)
                out.append(Target("aws", item, item, attrs))
            else:  # a profile name: its own credentials (SSO, role, keys) decide the account
                ident = self._identity(item)
                account = ident["Account"]
                out.append(
                    Target(
                        "aws",
                        account,
                        item,
                        {
                            "profile": item,
                            "partition": ident["Arn"].split(":")[1],
                            "production": self._production(account, item),
                        },
                    )
                )
        return out

    def _organization(self, caller: dict[str, str], partition: str, requested: Sequence[str]) -> list[Target]:
        from . import session

        try:
            org = session.base_session().client("organizations", config=session.client_config(self._opts()))
            accounts = [a for page in org.get_paginator("list_accounts").paginate() for a in page.get("Accounts") or []]
        except Exception as exc:
            raise ProviderError(f"cannot list the organisation's accounts: {describe_error(exc)}") from None
        wanted = set(requested)
        out = []
        for account in accounts:
            if account.get("Status", "ACTIVE") != "ACTIVE" or (wanted and account["Id"] not in wanted):
                continue
            attrs: dict[str, Any] = {"partition": partition}
            if account["Id"] != caller["Account"]:
                attrs.update(self._role_attrs(account["Id"], partition))
            attrs["production"] = self._production(account["Id"], account.get("Name", ""))
            out.append(Target("aws", account["Id"], account.get("Name", account["Id"]), attrs))
        return out

    # ------------------------------------------------------------------ work
    def _regions(self, target: Target, requested: Sequence[str]) -> list[str]:
        chosen = _as_list(self.options.get("regions")) or list(requested)
        if chosen:
            return chosen
        from . import session

        where = session.partition_region(target.attrs.get("partition", "aws"))
        ec2 = session.client(target.attrs, self._opts(), "ec2", where)
        regions = ec2.describe_regions(AllRegions=False).get("Regions") or []
        return sorted(r["RegionName"] for r in regions if r.get("OptInStatus") != "not-opted-in")

    def work(self, target: Target, regions: Sequence[str]) -> list[WorkUnit]:
        chosen = self._regions(target, regions)
        from .session import partition_region

        default = partition_region(target.attrs.get("partition", "aws"))
        home = default if default in chosen or not chosen else chosen[0]
        options = {
            **self._opts(),
            **unit_options(self.options, target=QUOTA),
            "home_region": str(self.options.get("home_region") or home),
        }
        return [
            self.unit(target, region, service_name(module), module.collect, module.TYPES, options)
            for module in SERVICES
            for region in (chosen if module.REGIONAL else [GLOBAL])
        ]
