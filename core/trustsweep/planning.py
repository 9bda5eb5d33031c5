"""Planning a sweep: which checks run, which targets each provider finds, and the units of work.

Nothing here collects: providers list their targets and plan units (their own and shared ones,
see :meth:`~trustsweep.provider.Provider.shared_work`). A provider whose targets cannot be listed,
or a target whose work cannot be planned, becomes a failed target (``error`` results), never a
silent gap; bad input is a :class:`~trustsweep.errors.UserError`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .accumulate import provider_types
from .dispatch import Plan
from .errors import UserError
from .model import CheckSpec, CollectionError, Target
from .plugins import Registry
from .redact import redactor

if TYPE_CHECKING:
    from .sightings import Sightings
    from .sweep import Progress


def split_targets(requested: Sequence[str], providers: Sequence[str]) -> dict[str, list[str]]:
    """``aws:123`` goes to aws; a bare id goes to the only provider (ambiguous otherwise)."""
    out: dict[str, list[str]] = {p: [] for p in providers}
    for item in requested:
        prefix, sep, rest = item.partition(":")
        if sep and prefix in out:
            out[prefix].append(rest)
        elif len(providers) == 1:
            out[providers[0]].append(item)
        else:
            raise UserError(f"target {item!r}: with several providers, write PROVIDER:ID (e.g. aws:{item})")
    return out


def checks_for(registry: Registry, providers: Iterable[str], only: Sequence[str]) -> dict[str, CheckSpec]:
    wanted = set(providers)
    selected: dict[str, CheckSpec] = {}
    if only:
        for ident in only:
            current = registry.resolve_check_id(ident)
            if current is None:
                raise UserError(f"unknown check id {ident!r} (see 'trustsweep checks list')")
            spec = registry.checks[current]
            if spec.provider not in wanted:
                raise UserError(f"check {ident!r} belongs to provider {spec.provider!r}, which is not being swept")
            selected[current] = spec
        return selected
    return {c.id: c for c in registry.checks.values() if c.provider in wanted}


@dataclass
class Planned:
    """A sweep's plan, every target found (swept or carried over), and what could not be planned."""

    plan: Plan
    targets: list[Target] = field(default_factory=list)
    failed: list[tuple[Target, CollectionError]] = field(default_factory=list)


def plan_sweep(
    registry: Registry,
    providers: Sequence[str],
    checks: dict[str, CheckSpec],
    requested: Sequence[str],
    regions: Sequence[str],
    all_options: dict[str, dict[str, Any]],
    history: Sightings | None,
    progress: Progress,
    carried: Collection[tuple[str, str]] = (),
) -> Planned:
    """List each provider's targets and plan their units; ``carried`` (provider, target) pairs are
    found but not planned (a resumed sweep has their results already)."""
    per_provider = split_targets(requested, providers)
    swept_targets: list[Target] = []
    plan = Plan()
    failed: list[tuple[Target, CollectionError]] = []  # targets (or their listing) that could not be planned
    for name in providers:
        options = all_options[name]
        types = provider_types(checks.values(), name)
        try:
            provider = registry.make_provider(name, options)
            if history is not None:
                provider.history = history
            found = provider.targets(per_provider[name])
        except UserError:
            raise
        except Exception as exc:
            progress.message(f"{name}: could not list targets: {exc}")
            failed.append(
                (
                    Target(name, "*"),
                    CollectionError(name, "*", "global", "targets", types, f"{type(exc).__name__}: {exc}"),
                )
            )
            continue
        redaction = redactor(registry.provider_spec(name).secret_fields)
        planned = plan.units()
        to_sweep: list[Target] = []
        for target in found:
            swept_targets.append(target)
            if (name, target.id) in carried:
                continue  # finished before the interruption: carried over, not swept again
            try:
                units = [replace(u, redaction=redaction) for u in provider.work(target, regions)]
            except Exception as exc:
                failed.append(
                    (target, CollectionError(name, target.id, "global", "plan", types, f"{type(exc).__name__}: {exc}"))
                )
                continue
            to_sweep.append(target)
            plan.targets.append((target, units))
        try:
            plan.shared.extend(replace(u, redaction=redaction) for u in provider.shared_work(to_sweep, regions))
        except Exception as exc:
            reason = f"{type(exc).__name__}: {exc}"
            failed.extend((t, CollectionError(name, t.id, "global", "plan", types, reason)) for t in to_sweep)
            plan.targets = [(t, u) for t, u in plan.targets if t not in to_sweep]
        progress.planned(name, plan.units() - planned)
    return Planned(plan, swept_targets, failed)
