"""Declared settings: a config value is checked against its :class:`SettingSpec`, never coerced.

Every threshold a check reads and every option a provider takes from the config file is declared
with a type, a default and bounds. A value of the wrong type (``"22"`` where ports are expected),
out of bounds (``min_days: -5``) or unknown (``min_dayz``) is refused; what a check reads with
``ctx.setting(name)`` is the validated value, or the declared default.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping
from typing import Any

from .model import SETTING_TYPES, CheckSpec, ProviderSpec, SettingSpec

_WORDS = {"bool": "true or false", "int": "a whole number", "float": "a number", "str": "text"}


class SettingError(ValueError):
    """A value that does not fit its declaration; ``index`` is the offending list item, if any."""

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index


class UndeclaredSetting(LookupError):
    """A check asked for a setting it does not declare: a bug in the check, reported as ``error``."""


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _got(value: Any) -> str:
    kinds = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list", dict: "a mapping"}
    return f"got {kinds.get(type(value), type(value).__name__)} {_show(value)}"


def _bounds(spec: SettingSpec) -> str:
    def num(x: float) -> str:
        return str(int(x)) if float(x).is_integer() else str(x)

    if spec.min is not None and spec.max is not None:
        return f"{num(spec.min)}–{num(spec.max)}"
    if spec.min is not None:
        return f">= {num(spec.min)}"
    if spec.max is not None:
        return f"<= {num(spec.max)}"
    if spec.choices:
        return " | ".join(spec.choices)
    return ""


def _item(spec: SettingSpec) -> str:
    """The type of the value, or of each item of a list: ``list[int]`` → ``int``."""
    return spec.type[5:-1] if spec.type.startswith("list[") else spec.type


def describe(spec: SettingSpec) -> str:
    """The type and bounds in a few words: ``int list 1–65535``, ``str standard | adaptive``."""
    kind = f"{_item(spec)} list" if spec.type != _item(spec) else spec.type
    return f"{kind} {_bounds(spec)}".strip()


def expected(spec: SettingSpec, item: bool = False) -> str:
    """What a valid value (``item``: list item) looks like: ``a list, each item a whole number 1–65535``."""
    phrase = f"one of {_bounds(spec)}" if spec.choices else f"{_WORDS[_item(spec)]} {_bounds(spec)}".strip()
    return f"a list, each item {phrase}" if spec.type != _item(spec) and not item else phrase


def _scalar(spec: SettingSpec, kind: str, value: Any) -> Any:
    if kind == "bool":
        if isinstance(value, bool):
            return value
    elif kind in ("int", "float"):
        number = isinstance(value, int) or (kind == "float" and isinstance(value, float))
        if number and not isinstance(value, bool):
            if isinstance(value, float) and not math.isfinite(value):
                raise SettingError(f"expected {expected(spec, item=True)}, {_got(value)}")
            if (spec.min is not None and value < spec.min) or (spec.max is not None and value > spec.max):
                raise SettingError(f"{_show(value)} is out of range: expected {expected(spec, item=True)}")
            return float(value) if kind == "float" else value
    elif kind == "str":
        if (
            spec.choices
            and isinstance(value, (int, float))
            and not isinstance(value, bool)
            and str(value) in spec.choices
        ):
            return str(value)  # min_tls: 1.2 (a YAML number) names the choice "1.2"
        if isinstance(value, str):
            if spec.choices and value not in spec.choices:
                raise SettingError(f"{_show(value)} is not allowed: expected {expected(spec, item=True)}")
            return value
    raise SettingError(f"expected {expected(spec, item=True)}, {_got(value)}")


def validate(spec: SettingSpec, value: Any) -> Any:
    """The value as the check will read it (lists become tuples), or :class:`SettingError`."""
    item_type = _item(spec)
    if item_type == spec.type:
        return _scalar(spec, spec.type, value)
    if not isinstance(value, (list, tuple)):
        raise SettingError(f"expected {expected(spec)}, {_got(value)}")
    out = []
    for index, item in enumerate(value):
        try:
            out.append(_scalar(spec, item_type, item))
        except SettingError as exc:
            raise SettingError(f"item {index + 1}: {exc}", index) from None
    return tuple(out)


def declaration_problem(spec: SettingSpec) -> str | None:
    """Why a declaration is unusable (unknown type, bad default…), or None. Checked at start-up."""
    if spec.type not in SETTING_TYPES:
        return f"type {spec.type!r} is not one of {', '.join(SETTING_TYPES)}"
    numeric = spec.type in ("int", "float", "list[int]")
    if (spec.min is not None or spec.max is not None) and not numeric:
        return "min/max bound numbers only"
    if spec.choices and spec.type not in ("str", "list[str]"):
        return "choices apply to text only"
    if spec.type.startswith("list[") and not isinstance(spec.default, tuple):
        return "the default of a list must be a tuple (checks share it)"
    try:
        validate(spec, spec.default)
    except SettingError as exc:
        return f"default {spec.default!r}: {exc}"
    return None


def suggestion(name: str, known: Iterable[str], label: str = "known") -> str:
    """`` (did you mean 'min_days'?)`` for a near miss, else `` (known: a, b)`` when few, else nothing."""
    names = sorted(set(known))
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    if close:
        return f" (did you mean {close[0]!r}?)"
    return f" ({label}: {', '.join(names) or 'none'})" if len(names) <= 12 else ""


def provider_wide(provider: ProviderSpec, checks: Iterable[CheckSpec]) -> dict[str, list[SettingSpec]]:
    """What ``settings.<provider>`` may hold: the provider's own settings and its checks' settings."""
    out: dict[str, list[SettingSpec]] = {}
    for spec in provider.settings:
        out.setdefault(spec.name, []).append(spec)
    for check in checks:
        if check.provider == provider.name:
            for spec in check.settings:
                out.setdefault(spec.name, []).append(spec)
    return out


def resolve(check: CheckSpec, provider_values: Mapping[str, Any], check_values: Mapping[str, Any]) -> dict[str, Any]:
    """The settings one check reads: declared defaults, then provider-wide values, then its own.

    Values are validated again here (the config loader did so with line numbers), so settings
    handed to the engine in code are held to the same rules. Raises :class:`SettingError`.
    """
    declared = {s.name: s for s in check.settings}
    unknown = sorted(set(check_values) - set(declared))
    if unknown:
        raise SettingError(f"{check.id}: unknown setting {unknown[0]!r}{suggestion(unknown[0], declared)}")
    out = {name: spec.default for name, spec in declared.items()}
    for values in (provider_values, check_values):
        for name, spec in declared.items():
            if name in values:
                try:
                    out[name] = validate(spec, values[name])
                except SettingError as exc:
                    raise SettingError(f"{check.id}: setting {name}: {exc}") from None
    return out


def resolve_all(
    checks: Iterable[CheckSpec], config: Mapping[str, Any]
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Each check's settings from a config mapping (check ids and provider names to values),
    and the reason for each check whose settings are invalid (those checks report ``error``)."""
    resolved: dict[str, dict[str, Any]] = {}
    problems: dict[str, str] = {}
    for check in checks:
        provider_values, check_values = config.get(check.provider) or {}, config.get(check.id) or {}
        try:
            if not isinstance(provider_values, Mapping) or not isinstance(check_values, Mapping):
                raise SettingError(f"{check.id}: settings must be a mapping of names to values")
            resolved[check.id] = resolve(check, provider_values, check_values)
        except SettingError as exc:
            problems[check.id] = f"invalid settings: {exc}"
    return resolved, problems


def show_default(spec: SettingSpec, short: bool = False) -> str:
    """The default as a user would write it (lists without brackets, which terminals may take for
    markup); ``short`` abbreviates long lists, for tables."""
    value = spec.default
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        text = ", ".join(str(v) for v in value) or "none"
        return f"{len(value)} items" if short and len(text) > 24 else text.replace(", ", "," if short else ", ")
    return repr(value) if isinstance(value, str) else str(value)


def spec_dict(spec: SettingSpec) -> dict[str, Any]:
    """A declaration as JSON data (``checks list --format json``)."""
    default = list(spec.default) if isinstance(spec.default, tuple) else spec.default
    return {
        "name": spec.name,
        "type": spec.type,
        "default": default,
        "min": spec.min,
        "max": spec.max,
        "choices": list(spec.choices),
        "help": spec.help,
    }
