"""Evaluate checks over one target's inventory. Checks are pure functions; they never call APIs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from .model import CheckResult, CheckSpec, CollectionError, Outcome, Resource, Status, Waiver
from .provider import CheckContext, CheckFunction, TargetInventory, load_object
from .settings import resolve_all
from .unread import guard, is_partial

COLLECTION_UNIT_TYPE = "trustsweep.collection-unit"
_MAX_EVIDENCE_CHARS = 2000
_FAIL = Status.FAIL


def _small(evidence: dict[str, Any]) -> dict[str, Any]:
    """Keep evidence small: long values are truncated (evidence is a summary, not a dump)."""
    if not evidence:
        return {}
    out: dict[str, Any] = {}
    for key, value in evidence.items():
        if isinstance(value, str) and len(value) > _MAX_EVIDENCE_CHARS:
            value = value[:_MAX_EVIDENCE_CHARS] + "…"
        elif isinstance(value, (list, tuple)) and len(value) > 50:
            value = [*value[:50], f"… {len(value) - 50} more"]
        out[key] = value
    return out


class Evaluator:
    """Runs a set of checks; each check's function is imported once, on first use.

    ``config`` maps check ids and provider names to setting values; each check gets its declared
    settings resolved from it once, here. A check whose settings are invalid reports ``error``.
    """

    def __init__(
        self,
        checks: Iterable[CheckSpec],
        *,
        config: Mapping[str, Any] | None = None,
        now: dt.datetime | None = None,
        waivers: Sequence[Waiver] = (),
    ) -> None:
        self.checks = sorted(checks, key=lambda c: c.id)
        self.config = config or {}
        self.settings, self._invalid = resolve_all(self.checks, self.config)
        self.now = now or dt.datetime.now(dt.UTC)
        self.waivers = list(waivers)
        self._by_type: dict[str, list[CheckSpec]] = {}
        for spec in self.checks:
            for type_ in spec.resource_types:
                self._by_type.setdefault(type_, []).append(spec)
        self._functions: dict[str, CheckFunction | Exception] = {}

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the imported check functions (a worker imports its own)."""
        return {**self.__dict__, "_functions": {}}

    def _function(self, spec: CheckSpec) -> CheckFunction | Exception:
        fn = self._functions.get(spec.id)
        if fn is None:
            try:
                fn = load_object(spec.function)
            except Exception as exc:
                fn = exc
            self._functions[spec.id] = fn
        return fn

    def _waiver(self, check_id: str, resource_id: str) -> Waiver | None:
        for waiver in self.waivers:
            if waiver.applies(check_id, resource_id, self.now):
                return waiver
        return None

    def _judge(self, spec: CheckSpec, resource: Resource, ctx: CheckContext) -> Outcome:
        fn = self._function(spec)
        if isinstance(fn, Exception):
            return Outcome(Status.ERROR, f"check code could not be loaded: {type(fn).__name__}: {fn}")
        if self._invalid and spec.id in self._invalid:
            return Outcome(Status.ERROR, self._invalid[spec.id])
        ctx.check_id = spec.id
        try:
            outcome = fn(resource, ctx)
            if not isinstance(outcome, Outcome):
                outcome = Outcome(Status.ERROR, f"check returned {type(outcome).__name__}, not an Outcome")
        except Exception as exc:
            outcome = Outcome(Status.ERROR, f"check raised {type(exc).__name__}: {exc}")
        return outcome

    def run_one(
        self, spec: CheckSpec, resource: Resource, ctx: CheckContext, partial: bool | None = None
    ) -> CheckResult:
        """One check on one resource; a partially read or vanished resource is guarded (:mod:`.unread`)."""
        if partial is None:
            partial = is_partial(resource)
        if partial:
            outcome = guard(resource, lambda: self._judge(spec, resource, ctx))
        else:
            outcome = self._judge(spec, resource, ctx)
        result = CheckResult(
            spec.id,
            resource.provider,
            resource.target,
            resource.region,
            resource.id,
            resource.type,
            outcome.status,
            outcome.reason,
            _small(outcome.evidence),
        )
        if result.status is _FAIL and self.waivers:
            result.waiver = self._waiver(spec.id, resource.id)
        return result

    def evaluate_target(
        self, inventory: TargetInventory, errors: Sequence[CollectionError] = ()
    ) -> Iterator[CheckResult]:
        """Every applicable check on every resource, then an error result per check a failed unit hid."""
        ctx = CheckContext(inventory=inventory, config=self.settings, now=self.now)
        for resource in inventory:
            partial = is_partial(resource)
            for spec in self._by_type.get(resource.type, ()):
                yield self.run_one(spec, resource, ctx, partial)
        for error in errors:
            for spec in self.checks:
                if spec.provider != error.provider or not set(spec.resource_types) & set(error.resource_types):
                    continue
                yield CheckResult(
                    check_id=spec.id,
                    provider=error.provider,
                    target=error.target,
                    region=error.region,
                    resource_id=error.subject_id,
                    resource_type=COLLECTION_UNIT_TYPE,
                    status=Status.ERROR,
                    reason=f"could not collect {error.service} in {error.region}: {error.reason}",
                    evidence={"service": error.service},
                )
