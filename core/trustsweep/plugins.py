"""Plugin discovery and the registry of what plugins declare.

Every plugin, built-in or third-party, is found through the ``trustsweep`` entry-point group. A
fresh :class:`pluggy.PluginManager` is made per :class:`Registry` (no global manager), so tests
are not order-dependent.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import pluggy

from . import hookspecs
from .declare import named
from .errors import UserError
from .export import ExporterSpec
from .model import CheckSpec, EmulatorSpec, OptionSpec, ProviderSpec, SettingSpec
from .provider import Provider, load_object
from .settings import declaration_problem

if TYPE_CHECKING:
    from .mappings import Mapping
    from .sweep import Sweep

ENTRY_POINT_GROUP = "trustsweep"
DISABLE_ENV = "TRUSTSWEEP_DISABLE_PLUGINS"


@dataclass(frozen=True, slots=True)
class PluginInfo:
    name: str
    module: str
    distribution: str
    version: str


def new_plugin_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    return pm


def _disabled_from_env() -> set[str]:
    raw = os.environ.get(DISABLE_ENV, "")
    return {name.strip() for name in raw.split(",") if name.strip()}


def _check_declarations(owner: str, settings: Sequence[SettingSpec]) -> None:
    """A plugin's setting declarations must be usable: known type, valid default, unique names."""
    seen: set[str] = set()
    for spec in settings:
        problem = declaration_problem(spec) if spec.name not in seen else "declared twice"
        if problem:
            raise UserError(f"{owner}: setting {spec.name!r}: {problem}")
        seen.add(spec.name)


T = TypeVar("T")


class Hooks:
    """Typed calls of the hooks of :mod:`trustsweep.hookspecs`.

    The declaring hooks are called plugin by plugin so that each result is attributed to the
    plugin that declared it (clashes name both plugins).
    """

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self.pm = pm

    def _each(self, hook: pluggy.HookCaller, kind: type[T]) -> list[tuple[str, list[T]]]:
        out: list[tuple[str, list[T]]] = []
        for impl in hook.get_hookimpls():
            name = self.pm.get_name(impl.plugin) or "?"
            try:
                result = cast("Iterable[T] | None", impl.function())
            except UserError:
                raise
            except Exception as exc:  # a plugin's declaration bug: one line naming the plugin, not a traceback
                raise UserError(f"plugin {name!r}: {hook.name} failed: {type(exc).__name__}: {exc}") from exc
            if result:
                out.append((name, list(result)))
        return out

    def providers(self) -> list[tuple[str, list[ProviderSpec]]]:
        return self._each(self.pm.hook.trustsweep_providers, ProviderSpec)

    def checks(self) -> list[tuple[str, list[CheckSpec]]]:
        return self._each(self.pm.hook.trustsweep_checks, CheckSpec)

    def options(self) -> list[tuple[str, list[OptionSpec]]]:
        return self._each(self.pm.hook.trustsweep_options, OptionSpec)

    def mapping_files(self) -> list[tuple[str, list[Path]]]:
        return self._each(self.pm.hook.trustsweep_mapping_files, Path)

    def emulators(self) -> list[tuple[str, list[EmulatorSpec]]]:
        return self._each(self.pm.hook.trustsweep_emulators, EmulatorSpec)

    def exporters(self) -> list[tuple[str, list[ExporterSpec]]]:
        return self._each(self.pm.hook.trustsweep_exporters, ExporterSpec)

    def sweep_finished(self, sweep: Sweep, out_dir: Path | None) -> None:
        """Tell every plugin a sweep is done; exceptions propagate to the caller (the pipeline reports them)."""
        self.pm.hook.trustsweep_sweep_finished(sweep=sweep, out_dir=out_dir)


@dataclass
class Registry:
    """What the loaded plugins declare: providers, checks, options, mapping files, emulators."""

    pm: pluggy.PluginManager
    plugins: list[PluginInfo] = field(default_factory=list)
    providers: dict[str, ProviderSpec] = field(default_factory=dict)
    checks: dict[str, CheckSpec] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    options: list[OptionSpec] = field(default_factory=list)
    mapping_files: list[Path] = field(default_factory=list)
    emulators: dict[str, EmulatorSpec] = field(default_factory=dict)
    exporters: dict[str, ExporterSpec] = field(default_factory=dict)

    @classmethod
    def load(
        cls, *, entry_points: bool = True, extra_plugins: Iterable[tuple[str, Any]] = (), disable: Sequence[str] = ()
    ) -> Registry:
        """Discover plugins through entry points (plus ``extra_plugins``) and collect declarations."""
        pm = new_plugin_manager()
        disabled = set(disable) | _disabled_from_env()
        infos: list[PluginInfo] = []
        if entry_points:
            for ep in sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
                if ep.name in disabled or pm.get_plugin(ep.name) is not None:
                    continue
                try:
                    plugin = ep.load()
                except Exception as exc:  # a broken third-party plugin must not hide the rest
                    raise UserError(f"plugin {ep.name!r} ({ep.value}) failed to load: {exc}") from exc
                pm.register(plugin, name=ep.name)
                dist = ep.dist
                infos.append(
                    PluginInfo(
                        name=ep.name,
                        module=ep.value,
                        distribution=dist.metadata["Name"] if dist else "",
                        version=dist.version if dist else "",
                    )
                )
        for name, plugin in extra_plugins:
            if name in disabled:
                continue
            pm.register(plugin, name=name)
            infos.append(
                PluginInfo(name=name, module=getattr(plugin, "__name__", repr(plugin)), distribution="", version="")
            )
        try:
            pm.check_pending()
        except pluggy.PluginValidationError as exc:
            raise UserError(f"plugin error: {exc}") from exc
        registry = cls(pm=pm, plugins=infos)
        registry._collect()
        return registry

    @property
    def hooks(self) -> Hooks:
        """The hooks, called through typed methods (no hook names as strings)."""
        return Hooks(self.pm)

    def _collect(self) -> None:
        hooks = self.hooks
        for plugin_name, providers in hooks.providers():
            for provider in providers:
                if provider.name in self.providers:
                    other = self.providers[provider.name].plugin
                    raise UserError(
                        f"provider {provider.name!r} is declared by both plugin {other!r} and plugin {plugin_name!r}"
                    )
                settings = named(provider.settings)
                _check_declarations(f"plugin {plugin_name!r}: provider {provider.name!r}", settings)
                self.providers[provider.name] = replace(provider, plugin=plugin_name, settings=settings)
        owner: dict[str, str] = {}
        for plugin_name, checks in hooks.checks():
            for check in checks:
                settings = named(check.settings)
                check = replace(
                    check, plugin=plugin_name, resource_types=tuple(check.resource_types), settings=settings
                )
                _check_declarations(f"plugin {plugin_name!r}: check {check.id!r}", settings)
                for ident in (check.id, *check.aliases):
                    if ident in owner:
                        raise UserError(
                            f"check id {ident!r} is declared by both plugin {owner[ident]!r} and plugin {plugin_name!r}"
                        )
                    owner[ident] = plugin_name
                self.checks[check.id] = check
                for alias in check.aliases:
                    self.aliases[alias] = check.id
        for _plugin_name, options in hooks.options():
            self.options.extend(options)
        for _plugin_name, paths in hooks.mapping_files():
            self.mapping_files.extend(Path(p) for p in paths)
        for _plugin_name, emulators in hooks.emulators():
            for emulator in emulators:
                self.emulators[emulator.provider] = emulator
        for plugin_name, exporters in hooks.exporters():
            for exporter in exporters:
                if exporter.name in self.exporters:
                    other = self.exporters[exporter.name].plugin
                    raise UserError(
                        f"export format {exporter.name!r} is declared by both plugin {other!r} and plugin {plugin_name!r}"
                    )
                self.exporters[exporter.name] = replace(exporter, plugin=plugin_name)

    # -- lookups -------------------------------------------------------------------------------

    def resolve_check_id(self, check_id: str) -> str | None:
        """The current id of a check id or alias, or None when unknown."""
        if check_id in self.checks:
            return check_id
        return self.aliases.get(check_id)

    def checks_for(self, provider: str | None = None) -> list[CheckSpec]:
        return sorted(
            (c for c in self.checks.values() if provider is None or c.provider == provider), key=lambda c: c.id
        )

    def provider_spec(self, name: str) -> ProviderSpec:
        try:
            return self.providers[name]
        except KeyError:
            known = ", ".join(sorted(self.providers)) or "none"
            raise UserError(f"unknown provider {name!r} (installed: {known})") from None

    def make_provider(self, name: str, options: dict[str, Any] | None = None) -> Provider:
        """Import and instantiate a provider class (this is where cloud SDKs may get imported)."""
        spec = self.provider_spec(name)
        cls = load_object(spec.factory)
        provider: Provider = cls(options or {})
        return provider

    def mapping(self, user_files: Sequence[Path] = (), *, base_dir: Path | None = None) -> Mapping:
        """The built-in catalog and mappings, every plugin's mapping files, then ``user_files``,
        validated against the checks (and their aliases) and providers installed."""
        from .mappings import load_mapping

        known = {cid: cid for cid in self.checks} | dict(self.aliases)
        return load_mapping(
            known_checks=known,
            installed_providers=self.providers,
            plugin_files=self.mapping_files,
            user_files=user_files,
            base_dir=base_dir,
        )

    def options_for(self, provider: str) -> list[OptionSpec]:
        return [o for o in self.options if o.provider == provider]
