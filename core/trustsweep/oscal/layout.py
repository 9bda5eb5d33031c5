"""How a Sweep's resources and results are laid out, learnt in one pass over each (bounded memory).

The engine appends each target's resource facts and results together, so both sequences come in
one run per target (``provider``, ``target``), in the same order. The writer relies on that to keep
its de-duplication sets per target instead of per sweep: :func:`scan` checks it, and finds the
*strays* (results whose resource has no fact, e.g. in a Sweep decoded from an older store entry).
When the layout does not hold, everything falls back to sets over the whole sweep (memory
proportional to that sweep, which is then an in-memory list anyway).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby

from ..model import CheckResult, Resource

#: a stray's inventory fields: provider, target, region, type, native id
StrayFields = tuple[str, str, str, str, str]


@dataclass
class Layout:
    """``grouped``: resources and results each in one run per target, in the same order.
    ``strays``: the result keys without a resource fact, in order of first appearance."""

    grouped: bool
    strays: dict[str, StrayFields] = field(default_factory=dict)


def _resource_group(r: Resource) -> tuple[str, str]:
    return r.provider, r.target


def _result_group(r: CheckResult) -> tuple[str, str]:
    return r.provider, r.target


def _stray(r: CheckResult) -> StrayFields:
    return r.provider, r.target, r.region, r.resource_type, r.resource_id


def _scan_grouped(resources: Iterable[Resource], results: Iterable[CheckResult]) -> dict[str, StrayFields] | None:
    """The strays, holding one target's resource keys at a time; None when the layout does not hold."""
    groups: Iterator[tuple[tuple[str, str], Iterator[Resource]]] = groupby(resources, _resource_group)
    passed: set[tuple[str, str]] = set()  # targets (few): a second run of one means "not grouped"
    current: tuple[str, str] | None = None
    keys: set[str] = set()
    strays: dict[str, StrayFields] = {}
    done: set[tuple[str, str]] = set()
    for group, run in groupby(results, _result_group):
        if group in done:
            return None
        done.add(group)
        while current != group:  # skip targets without results
            nxt = next(groups, None)
            if nxt is None or nxt[0] in passed:
                return None  # results of a target without facts, or out of order
            current = nxt[0]
            passed.add(current)
            keys = {f"{r.provider}|{r.target}|{r.id}" for r in nxt[1]}
        for r in run:
            key = f"{r.provider}|{r.target}|{r.resource_id}"
            if key not in keys and key not in strays:
                strays[key] = _stray(r)
    for group, _ in groups:  # the remaining targets (without results) must not repeat either
        if group in passed:
            return None
        passed.add(group)
    return strays


def scan(resources: Iterable[Resource], results: Iterable[CheckResult]) -> Layout:
    """One pass over each sequence (two more only when the layout does not hold)."""
    strays = _scan_grouped(resources, results)
    if strays is not None:
        return Layout(True, strays)
    known = {r.key for r in resources}
    everywhere: dict[str, StrayFields] = {}
    for r in results:
        key = r.resource_key
        if key not in known and key not in everywhere:
            everywhere[key] = _stray(r)
    return Layout(False, everywhere)
