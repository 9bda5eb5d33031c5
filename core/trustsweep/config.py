"""The user's configuration file (``--config FILE``, YAML).

::

    settings:            # per provider: collection options and check settings
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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import yamlfile
from .errors import UserError
from .model import Waiver


@dataclass
class Config:
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)
    waivers: list[Waiver] = field(default_factory=list)
    path: Path | None = None

    def check_config(self) -> dict[str, Any]:
        """The mapping a CheckContext reads: check ids and provider names to their settings."""
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
        parsed = parsed.replace(tzinfo=dt.timezone.utc)
    if not 1900 <= parsed.year <= 2999:
        raise ValueError(f"{what} {value!r} is out of range")
    return parsed


def load_config(path: Path | None, resolve_check: Callable[[str], str | None]) -> Config:
    """Load and validate a config file; ``resolve_check`` maps a check id or alias to its id."""
    if path is None:
        return Config()
    doc = yamlfile.load(path)
    data = doc.data or {}
    if not isinstance(data, dict):
        raise doc.error("a config file must be a YAML mapping", data)
    unknown = set(data) - {"settings", "checks", "waivers"}
    if unknown:
        key = sorted(unknown)[0]
        raise doc.error(f"unknown key {key!r} (expected settings, checks, waivers)", data, key)
    config = Config(path=path)
    settings = data.get("settings") or {}
    if not isinstance(settings, dict) or not all(isinstance(v, dict) for v in settings.values()):
        raise doc.error("'settings' must map provider names to mappings", data, "settings")
    config.settings = settings
    checks = data.get("checks") or {}
    if not isinstance(checks, dict):
        raise doc.error("'checks' must map check ids to settings", data, "checks")
    for check_id, value in checks.items():
        current = resolve_check(check_id)
        if current is None:
            raise doc.error(f"unknown check id {check_id!r}", checks, check_id)
        if not isinstance(value, dict):
            raise doc.error(f"{check_id}: settings must be a mapping", checks, check_id)
        config.checks[current] = value
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
        config.waivers.append(
            Waiver(current, str(item["resource"]), str(item["reason"]), expires, str(item["approved_by"]),
                   id=f"config:{path.name}:{index + 1}")
        )
    return config
