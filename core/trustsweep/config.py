"""The user's configuration file (``--config FILE``, YAML).

::

    settings:            # per provider: collection options, and check settings for all its checks
      aws:
        admin_roles: [OrganizationAccountAccessRole]
        production_accounts: ["111122223333"]
    checks:              # per check: thresholds
      aws.logs.retention: {min_days: 400}
    waivers:             # accepted risk, expiring by itself
      - check: aws.s3.bucket_tls_only
        resource: arn:aws:s3:::legacy-bucket
        reason: partner integration needs plain HTTP until Q3
        expires: 2027-03-31
        approved_by: CISO
        # allow_wildcard: true   resource "*" needs it; allow_long: true: longer than max_waiver_days
    max_waiver_days: 365 # the longest a waiver may last without allow_long (see waiver_bounds)

Every key is declared by a plugin (:class:`~trustsweep.model.SettingSpec`): see
``trustsweep checks show ID`` and the provider pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import waiver_bounds, yamlfile
from .model import SettingSpec, Waiver
from .settings import SettingError, provider_wide, suggestion, validate

if TYPE_CHECKING:
    from .plugins import Registry


@dataclass
class Config:
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)
    waivers: list[Waiver] = field(default_factory=list)
    path: Path | None = None

    def check_config(self) -> dict[str, Any]:
        """What the Evaluator resolves each check's settings from: check ids and provider names."""
        return {**self.settings, **self.checks}


def parse_datetime(value: Any, *, what: str = "date") -> dt.datetime:
    """A date or datetime (YAML or ISO text) as an aware UTC datetime; a bare date means 00:00 UTC."""
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{what} {value!r} is not an ISO date (YYYY-MM-DD)") from None
    else:
        raise ValueError(f"{what} must be a date, got {type(value).__name__}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    if not 1900 <= parsed.year <= 2999:
        raise ValueError(f"{what} {value!r} is out of range")
    return parsed


def _checked(doc: yamlfile.Located, where: str, specs: list[SettingSpec], values: dict[str, Any], name: str) -> Any:
    """``values[name]`` validated against every declaration of ``name``; an error names the line."""
    value = values[name]
    out = value
    for spec in specs:
        try:
            out = validate(spec, value)
        except SettingError as exc:
            if exc.index is not None:
                raise doc.error(f"{where}.{name}: {exc}", value, str(exc.index)) from None
            raise doc.error(f"{where}.{name}: {exc}", values, name) from None
    return out


def _checked_all(
    doc: yamlfile.Located, where: str, declared: dict[str, list[SettingSpec]], values: dict[str, Any]
) -> dict[str, Any]:
    """Every entry of ``values`` validated; a name nothing declares is refused, with a suggestion."""
    for name in values:
        if name not in declared:
            hint = suggestion(name, declared) if declared else " (this check has no settings)"
            raise doc.error(f"{where}: unknown setting {name!r}{hint}", values, name)
    return {name: _checked(doc, where, declared[name], values, name) for name in values}


def _provider_settings(doc: yamlfile.Located, data: dict[str, Any], registry: Registry) -> dict[str, dict[str, Any]]:
    settings = data.get("settings") or {}
    if not isinstance(settings, dict):
        raise doc.error("'settings' must map provider names to mappings", data, "settings")
    out: dict[str, dict[str, Any]] = {}
    for provider, values in settings.items():
        spec = registry.providers.get(provider)
        if spec is None:
            hint = suggestion(provider, registry.providers, "installed")
            raise doc.error(f"settings: unknown provider {provider!r}{hint}", settings, provider)
        if not isinstance(values, dict):
            raise doc.error(f"settings.{provider} must be a mapping of setting names to values", settings, provider)
        out[provider] = _checked_all(doc, f"settings.{provider}", provider_wide(spec, registry.checks.values()), values)
    return out


def _check_settings(doc: yamlfile.Located, data: dict[str, Any], registry: Registry) -> dict[str, dict[str, Any]]:
    checks = data.get("checks") or {}
    if not isinstance(checks, dict):
        raise doc.error("'checks' must map check ids to settings", data, "checks")
    out: dict[str, dict[str, Any]] = {}
    for check_id, values in checks.items():
        current = registry.resolve_check_id(check_id)
        if current is None:
            raise doc.error(f"unknown check id {check_id!r}{suggestion(check_id, registry.checks)}", checks, check_id)
        if current in out:
            raise doc.error(
                f"{check_id}: settings of check {current!r} are given twice (id and alias)", checks, check_id
            )
        if not isinstance(values, dict):
            raise doc.error(f"{check_id}: settings must be a mapping", checks, check_id)
        out[current] = _checked_all(doc, check_id, {s.name: [s] for s in registry.checks[current].settings}, values)
    return out


def load_config(path: Path | None, registry: Registry) -> Config:
    """Load and validate a config file against what the installed plugins declare.

    An unknown provider, check or setting, a value of the wrong type or out of bounds, or a bad
    waiver is a :class:`UserError` naming the file and line.
    """
    if path is None:
        return Config()
    doc = yamlfile.load(path)
    data = doc.data or {}
    if not isinstance(data, dict):
        raise doc.error("a config file must be a YAML mapping", data)
    unknown = set(data) - {"settings", "checks", "waivers", "max_waiver_days"}
    if unknown:
        key = sorted(unknown)[0]
        raise doc.error(f"unknown key {key!r} (expected settings, checks, waivers, max_waiver_days)", data, key)
    config = Config(
        path=path, settings=_provider_settings(doc, data, registry), checks=_check_settings(doc, data, registry)
    )
    resolve_check = registry.resolve_check_id
    try:
        max_days = waiver_bounds.max_days_setting(data.get("max_waiver_days", waiver_bounds.DEFAULT_MAX_DAYS))
    except ValueError as exc:
        raise doc.error(str(exc), data, "max_waiver_days") from None
    now = dt.datetime.now(dt.UTC)
    waivers = data.get("waivers") or []
    if not isinstance(waivers, list):
        raise doc.error("'waivers' must be a list", data, "waivers")
    for index, item in enumerate(waivers):
        if not isinstance(item, dict):
            raise doc.error("each waiver must be a mapping", waivers)
        missing = [k for k in ("check", "resource", "reason", "expires", "approved_by") if not item.get(k)]
        if missing:
            raise doc.error(f"waiver needs {', '.join(missing)}", item)
        current = resolve_check(str(item["check"]))
        if current is None:
            raise doc.error(f"waiver for unknown check id {item['check']!r}", item, "check")
        try:
            expires = parse_datetime(item["expires"], what="expires")
        except ValueError as exc:
            raise doc.error(str(exc), item, "expires") from None
        refused = waiver_bounds.config_waiver_problem(item, expires, max_days, now)
        if refused:
            raise doc.error(refused[0], item, refused[1])
        config.waivers.append(
            Waiver(
                current,
                str(item["resource"]),
                str(item["reason"]),
                expires,
                str(item["approved_by"]),
                id=f"config:{path.name}:{index + 1}",
            )
        )
    return config
