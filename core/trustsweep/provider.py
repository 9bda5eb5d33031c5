"""The interface a provider plugin implements, and the context checks are evaluated in.

A provider is declared by a :class:`~trustsweep.model.ProviderSpec` whose ``factory`` points at a
:class:`Provider` subclass. The class is imported only when a sweep uses the provider, so
declaring it costs no cloud SDK import.
"""

from __future__ import annotations

import abc
import datetime as dt
import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .model import Resource, Target, WorkUnit
from .settings import UndeclaredSetting
from .sightings import NO_SIGHTINGS, Sightings


class ProviderError(Exception):
    """A provider could not do what was asked (e.g. no credentials, unknown target).

    The engine turns it into ``error`` results for every check of the provider, never a pass.
    """


class Provider(abc.ABC):
    """One cloud (or other system) that trustsweep can sweep.

    ``context`` is the dotted path of the :class:`~trustsweep.collector.Collector` (sub)class its
    collectors are called with; :meth:`unit` plans one unit of work with it. ``history`` is what
    earlier stored sweeps recorded (:mod:`trustsweep.sightings`), set by the engine before
    :meth:`targets`; it knows nothing when the sweep has no evidence store.
    """

    name: str = ""
    context: str = "trustsweep.collector:Collector"
    history: Sightings = NO_SIGHTINGS

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        self.options: dict[str, Any] = dict(options or {})

    @abc.abstractmethod
    def targets(self, requested: Sequence[str]) -> list[Target]:
        """Resolve the targets to sweep: ``requested`` ids, or the default set when empty."""

    @abc.abstractmethod
    def work(self, target: Target, regions: Sequence[str]) -> list[WorkUnit]:
        """Plan the units of collection work for one target; ``regions`` empty means all."""

    def shared_work(self, targets: Sequence[Target], regions: Sequence[str]) -> list[WorkUnit]:
        """Plan units that collect for several of ``targets`` at once (default: none).

        For APIs that answer for many targets in one query (Azure Resource Graph over a batch of
        subscriptions, a directory shared by a tenant's subscriptions). Build each with
        :meth:`shared_unit`; its collector files every resource under one member
        (``ctx.add(..., target=MEMBER_ID)``). The engine runs each shared unit once per sweep, as a
        task of its own, and evaluates no member before its shared units are in.
        """
        return []

    def unit(
        self,
        target: Target,
        region: str,
        service: str,
        collect: str | Callable[..., Any],
        types: Sequence[str],
        options: Mapping[str, Any] | None = None,
    ) -> WorkUnit:
        """One unit of work: ``collect`` (a function or its ``"module:name"``) over ``types``."""
        path = collect if isinstance(collect, str) else f"{collect.__module__}:{collect.__qualname__}"
        return WorkUnit(
            self.name, target, region, service, path, tuple(types), dict(options or {}), context=self.context
        )

    def shared_unit(
        self,
        members: Sequence[Target],
        region: str,
        service: str,
        collect: str | Callable[..., Any],
        types: Sequence[str],
        options: Mapping[str, Any] | None = None,
    ) -> WorkUnit:
        """A unit that collects ``types`` for every target of ``members`` at once (see :meth:`shared_work`)."""
        if not members:
            raise ValueError("a shared unit needs at least one member target")
        return replace(self.unit(members[0], region, service, collect, types, options), members=tuple(members))


def load_object(dotted: str) -> Any:
    """Import ``"package.module:attr"`` (or ``"package.module.attr"``)."""
    if ":" in dotted:
        module_name, _, attr = dotted.partition(":")
    else:
        module_name, _, attr = dotted.rpartition(".")
    module = importlib.import_module(module_name)
    obj: Any = module
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


@dataclass(slots=True)
class CheckContext:
    """What a check sees besides its resource: the rest of the target's inventory and its settings.

    ``config`` maps each check id to its validated settings (declared defaults overlaid with the
    config file; see :func:`trustsweep.settings.resolve_all`); :meth:`setting` reads the current
    check's.
    """

    inventory: TargetInventory
    config: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    check_id: str = ""

    def resources(self, type_: str, region: str | None = None) -> list[Resource]:
        """Resources of one type in the same target (optionally one region)."""
        return self.inventory.of_type(type_, region)

    def setting(self, name: str) -> Any:
        """The current check's setting ``name``, typed and validated (the declared default if unset).

        A name the check does not declare raises :class:`UndeclaredSetting`,
        which the evaluator reports as an ``error`` result: a bug, never a silent default.
        """
        try:
            return self.config[self.check_id][name]
        except KeyError:
            raise UndeclaredSetting(f"setting {name!r} is not declared by check {self.check_id!r}") from None


class TargetInventory:
    """The resources collected for one target, indexed by type."""

    def __init__(self, provider: str, target: str, resources: Iterable[Resource] = ()) -> None:
        self.provider = provider
        self.target = target
        self._by_type: dict[str, list[Resource]] = {}
        for resource in resources:
            self.add(resource)

    def add(self, resource: Resource) -> None:
        self._by_type.setdefault(resource.type, []).append(resource)

    def of_type(self, type_: str, region: str | None = None) -> list[Resource]:
        items = self._by_type.get(type_, [])
        if region is None:
            return list(items)
        return [r for r in items if r.region == region]

    def types(self) -> list[str]:
        return sorted(self._by_type)

    def __iter__(self) -> Iterator[Resource]:
        for items in self._by_type.values():
            yield from items

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_type.values())


CheckFunction = Callable[[Resource, CheckContext], Any]
