"""The plugin API: everything a trustsweep plugin imports, from this one module.

This module is the stability boundary (``docs/plugins.md`` documents each name with its
signature). Names here keep their meaning within a major version; what they are built from inside
the package may move. A plugin has the same files as the built-in ones::

    my_plugin/
      plugin.py          the hooks: providers, checks, options, mapping files, emulators
      provider.py        a Provider: targets and the work plan (units of collection)
      collect/<svc>.py   collect(ctx: Collector) per service: ctx.add(...), ctx.unread(...)
      checks/<area>.py   @check(...) functions (resource, ctx) -> Outcome
      emulator/          a fake of the API with a demo estate (tests and ``trustsweep demo``)
      soc2.yaml          the mapping of SOC 2 criteria to its checks

Registration (``plugin.py`` and ``checks/``) must not import a cloud SDK; ``provider.py`` and
``collect/`` may, as they run only when a sweep uses the provider.
"""

from __future__ import annotations

from .collector import Collector, RequestCounter, count_request, counting, describe_exception
from .common_settings import PRODUCTION, is_production
from .declare import DeclarationError, check, checks_in, setting
from .errors import UserError
from .files import read_bytes
from .hookspecs import hookimpl
from .model import (
    CheckSpec,
    Collected,
    CollectionError,
    DemoEnv,
    EmulatorSpec,
    OptionSpec,
    Outcome,
    ProviderSpec,
    Resource,
    SettingSpec,
    Severity,
    Status,
    Target,
    WorkUnit,
    errored,
    failed,
    not_applicable,
    passed,
)
from .provider import CheckContext, Provider, ProviderError, TargetInventory
from .sightings import Sighting, Sightings
from .times import days_since, iso, parse_time
from .unread import WHOLE, unread, unread_fields

__all__ = [
    "PRODUCTION",
    "WHOLE",
    "CheckContext",
    "CheckSpec",
    "Collected",
    "CollectionError",
    "Collector",
    "DeclarationError",
    "DemoEnv",
    "EmulatorSpec",
    "OptionSpec",
    "Outcome",
    "Provider",
    "ProviderError",
    "ProviderSpec",
    "RequestCounter",
    "Resource",
    "SettingSpec",
    "Severity",
    "Sighting",
    "Sightings",
    "Status",
    "Target",
    "TargetInventory",
    "UserError",
    "WorkUnit",
    "check",
    "checks_in",
    "count_request",
    "counting",
    "days_since",
    "describe_exception",
    "errored",
    "failed",
    "hookimpl",
    "is_production",
    "iso",
    "not_applicable",
    "parse_time",
    "passed",
    "read_bytes",
    "setting",
    "unread",
    "unread_fields",
]
