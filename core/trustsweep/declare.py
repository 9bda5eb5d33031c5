"""Checks declared where they live: the :func:`check` decorator and :func:`checks_in`.

::

    @check("aws.kms.key_rotation", title="Customer-managed KMS keys rotate", types="aws.kms.key",
           severity="medium", rationale="...", remediation="...",
           settings={"max_days": setting("int", 365, "Longest rotation period", min=1)})
    def kms_key_rotation(r: Resource, ctx: CheckContext) -> Outcome: ...

The decorator builds the :class:`~trustsweep.model.CheckSpec` from the function (its dotted path,
its provider from the id's first part) and returns the function unchanged. The function's name is
the id without the provider, dots as underscores (``aws.kms.key_rotation`` →
``kms_key_rotation``), so the code of a check is found from its id and back. A plugin's
``trustsweep_checks`` hook returns ``checks_in("my_plugin.checks")``: check modules import no
cloud SDK, so declaring costs no SDK import.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from types import ModuleType
from typing import Any, TypeVar

from .model import CheckSpec, SettingSpec, Severity

F = TypeVar("F", bound=Callable[..., Any])
ATTRIBUTE = "__trustsweep_check__"


class DeclarationError(TypeError):
    """A check or setting declared inconsistently (a bug in the plugin, found at registration)."""


def setting(
    type: str,
    default: Any,
    help: str = "",
    *,
    min: float | None = None,
    max: float | None = None,
    choices: Sequence[str] = (),
) -> SettingSpec:
    """A setting of a check or provider; its name is the key it is declared under."""
    if isinstance(default, list):
        default = tuple(default)
    return SettingSpec("", type, default, help, min, max, tuple(choices))


def named(settings: Mapping[str, SettingSpec] | Sequence[SettingSpec]) -> tuple[SettingSpec, ...]:
    """Settings given as ``{name: setting(...)}`` (or already named) as named specs."""
    if isinstance(settings, Mapping):
        return tuple(replace(spec, name=name) for name, spec in settings.items())
    return tuple(settings)


def function_name(check_id: str) -> str:
    """The name a check's function must have: ``aws.kms.key_rotation`` → ``kms_key_rotation``."""
    return check_id.split(".", 1)[1].replace(".", "_").replace("-", "_") if "." in check_id else check_id


def check(
    id: str,
    *,
    title: str,
    types: str | Sequence[str],
    severity: Severity | str,
    rationale: str,
    remediation: str,
    settings: Mapping[str, SettingSpec] | Sequence[SettingSpec] = (),
    aliases: Sequence[str] = (),
) -> Callable[[F], F]:
    """Declare the decorated function ``(resource, ctx) -> Outcome`` as check ``id``.

    ``types``: the resource types it is called on; ``settings``: what it reads with
    ``ctx.setting(name)``; ``aliases``: its former ids (renamed checks keep them).
    """
    if "." not in id:
        raise DeclarationError(f"check id {id!r} must be '<provider>.<area>.<name>'")
    resource_types = (types,) if isinstance(types, str) else tuple(types)
    try:
        level = Severity(severity)
    except ValueError:
        raise DeclarationError(f"check {id!r}: unknown severity {severity!r}") from None

    def declare(fn: F) -> F:
        expected = function_name(id)
        if fn.__name__ != expected:
            raise DeclarationError(f"check {id!r} is declared on {fn.__module__}.{fn.__name__}; name it {expected}")
        spec = CheckSpec(
            id,
            title,
            id.split(".", 1)[0],
            resource_types,
            level,
            rationale,
            remediation,
            f"{fn.__module__}:{fn.__name__}",
            tuple(aliases),
            settings=named(settings),
        )
        setattr(fn, ATTRIBUTE, spec)
        return fn

    return declare


def spec_of(fn: Callable[..., Any]) -> CheckSpec | None:
    """The spec the :func:`check` decorator attached to ``fn`` (None for an undecorated function)."""
    spec = getattr(fn, ATTRIBUTE, None)
    return spec if isinstance(spec, CheckSpec) else None


def _modules(package: str | ModuleType) -> Iterable[ModuleType]:
    module = importlib.import_module(package) if isinstance(package, str) else package
    yield module
    for info in pkgutil.iter_modules(getattr(module, "__path__", []) or [], module.__name__ + "."):
        yield importlib.import_module(info.name)


def checks_in(*packages: str | ModuleType) -> list[CheckSpec]:
    """Every check declared with :func:`check` in these modules or packages (and their modules)."""
    found: dict[str, CheckSpec] = {}
    for package in packages:
        for module in _modules(package):
            for value in vars(module).values():
                spec = spec_of(value) if callable(value) else None
                if spec is None or spec.function.partition(":")[0] != module.__name__:
                    continue  # an imported check is declared by its own module
                found[spec.id] = spec
    return sorted(found.values(), key=lambda s: s.id)
