"""The plugins' provider options (``OptionSpec``) as real Click options of ``sweep``.

They are built from the registry when ``sweep`` parses its arguments or shows its help (never for
other commands, so ``--help`` and the listing commands load no plugin for them): each has its help
text, its environment variable (shown in ``--help``) and its kind — ``flag``, ``str`` or ``multi``
(repeatable; from the environment, comma-separated). Precedence: command line, then environment,
then the option's default.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from typer._click.core import Context, Parameter, ParameterSource
from typer._click.types import StringParamType
from typer.core import TyperCommand, TyperOption

from ..errors import UserError
from . import common

if TYPE_CHECKING:
    from ..model import OptionSpec
    from ..plugins import Registry

_REGISTRY = "trustsweep.registry"
_SPECS = "trustsweep.plugin-options"


class _CommaList(StringParamType):
    """A repeatable string whose environment variable holds ``a,b,c``."""

    envvar_list_splitter = ","


def _param_name(index: int) -> str:
    return f"plugin_option_{index}"


def _option(index: int, spec: OptionSpec) -> TyperOption:
    decl = [f"--{spec.name}", _param_name(index)]
    env = spec.env or None
    if spec.kind == "flag":
        return TyperOption(
            param_decls=decl,
            is_flag=True,
            default=bool(spec.default),
            envvar=env,
            show_envvar=bool(env),
            help=spec.help,
        )
    if spec.kind == "multi":
        return TyperOption(
            param_decls=decl,
            multiple=True,
            type=_CommaList(),
            default=spec.default or (),
            envvar=env,
            show_envvar=bool(env),
            metavar="VALUE",
            help=spec.help if "repeatable" in spec.help else f"{spec.help} (repeatable)",
        )
    return TyperOption(
        param_decls=decl,
        type=StringParamType(),
        default=spec.default,
        envvar=env,
        show_envvar=bool(env),
        metavar="VALUE",
        help=spec.help,
    )


def context_registry(ctx: Context) -> Registry:
    """The registry of this invocation, loaded once (the options and the command share it)."""
    meta = ctx.meta
    if _REGISTRY not in meta:
        meta[_REGISTRY] = common.load_registry()
    registry: Registry = meta[_REGISTRY]
    return registry


class WithPluginOptions(TyperCommand):
    """A command that also takes every installed plugin's provider options."""

    def get_params(self, ctx: Context) -> list[Parameter]:
        params = super().get_params(ctx)
        if _SPECS not in ctx.meta:
            taken = {opt for p in params for opt in getattr(p, "opts", ())}
            specs = sorted(context_registry(ctx).options, key=lambda o: o.name)
            for spec in specs:
                if f"--{spec.name}" in taken:
                    raise UserError(
                        f"provider {spec.provider!r} declares option --{spec.name}, which 'sweep' "
                        "already has; rename it in the plugin"
                    )
            ctx.meta[_SPECS] = [(spec, _option(i, spec)) for i, spec in enumerate(specs)]
        extra = [option for _, option in ctx.meta[_SPECS]]
        # the plugin options go before --help, which Click puts last
        return [*params[:-1], *extra, params[-1]] if params and params[-1].name == "help" else [*params, *extra]

    def invoke(self, ctx: Context) -> Any:
        given: dict[str, tuple[OptionSpec, Any, ParameterSource | None]] = {}
        for spec, option in ctx.meta.get(_SPECS, []):
            name = option.name or ""
            given[name] = (spec, ctx.params.pop(name, None), ctx.get_parameter_source(name))
        ctx.meta[_SPECS + ".given"] = list(given.values())
        return super().invoke(ctx)


def provider_options(ctx: Context, providers: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The parsed plugin options per provider (``{"aws": {"organization": ...}}``).

    An option given on the command line for a provider that is not being swept is bad input.
    """
    out: dict[str, dict[str, Any]] = {}
    for spec, value, source in ctx.meta.get(_SPECS + ".given", []):
        if source is ParameterSource.COMMANDLINE and spec.provider not in providers:
            raise UserError(f"option --{spec.name} is for provider {spec.provider!r}, which is not being swept")
        if source is ParameterSource.DEFAULT and spec.default is None:
            continue
        if spec.kind == "multi":
            value = [v for v in value if v]
        out.setdefault(spec.provider, {})[spec.key] = value
    return out
