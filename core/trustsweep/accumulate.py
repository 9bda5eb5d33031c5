"""Results kept as a sweep goes: each target evaluated as soon as all its units are in."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from .evaluate import COLLECTION_UNIT_TYPE, Evaluator
from .inventory import save_target
from .model import CheckResult, CheckSpec, CollectionError, Resource, Target
from .provider import TargetInventory
from .resume import Carried, Checkpoint


def provider_types(checks: Iterable[CheckSpec], provider: str) -> tuple[str, ...]:
    return tuple(sorted({t for c in checks if c.provider == provider for t in c.resource_types}))


def found_in_words(
    targets: Sequence[Target], resources: Sequence[Resource], provider: str, *, inventory: bool = False
) -> str:
    """What was found for a provider, in words ('0 targets found: …', 'empty inventory: …')."""
    n_targets = sum(1 for t in targets if t.provider == provider)
    n_resources = sum(1 for r in resources if r.provider == provider)
    if inventory:
        found = f"{n_targets} inventory file(s)"
        return (
            f"empty inventory: {found} with 0 resources"
            if not n_resources
            else f"{found}, {n_resources} resource(s), none a selected check applies to"
        )
    if not n_targets:
        return "0 targets found: check the scope, the --target ids and what the credential can see"
    if not n_resources:
        return f"{n_targets} target(s) found, 0 resources collected"
    return f"{n_targets} target(s) found, {n_resources} resource(s) collected, none a selected check applies to"


#: The service of the :class:`CollectionError` a provider gets when no resource of it was assessed.
NOTHING_SWEPT = "nothing-swept"


class Accumulator:
    """Evaluates each target as soon as all its units are in, then keeps the results."""

    def __init__(
        self,
        evaluator: Evaluator,
        save_dir: Path | None,
        started: dt.datetime,
        versions: dict[str, int] | None = None,
        checkpoint: Checkpoint | None = None,
    ) -> None:
        self.evaluator = evaluator
        self.save_dir = save_dir
        self.versions = versions or {}
        self.checkpoint = checkpoint  # called with each collected target once it is evaluated
        self.started = started
        self.resources: list[Resource] = []
        self.results: list[CheckResult] = []
        self.errors: list[CollectionError] = []
        self.requests = 0
        self.assessed: dict[str, int] = defaultdict(int)  # provider → results on collected resources

    def add_target(
        self, target: Target, resources: list[Resource], errors: list[CollectionError], *, collected: bool = False
    ) -> None:
        """Evaluate a target; a ``collected`` one (not a planning failure) is also checkpointed."""
        inventory = TargetInventory(target.provider, target.id, resources)
        results = list(self.evaluator.evaluate_target(inventory, errors))
        self._keep(target, resources, results, errors)
        if self.save_dir is not None:
            save_target(
                self.save_dir,
                target,
                resources,
                errors,
                self.started,
                properties_version=self.versions.get(target.provider, 1),
            )
        if collected and self.checkpoint is not None:  # last: a checkpointed target is saved too
            self.checkpoint(target, resources, results, errors)

    def add_carried(self, carried: Carried) -> None:
        """A target checkpointed by the interrupted sweep being resumed: its results as they were."""
        self._keep(carried.target, carried.resources, carried.results, carried.errors)

    def _keep(
        self, target: Target, resources: list[Resource], results: list[CheckResult], errors: list[CollectionError]
    ) -> None:
        self.results.extend(results)
        self.assessed[target.provider] += sum(1 for r in results if r.resource_type != COLLECTION_UNIT_TYPE)
        self.resources.extend(resources)
        self.errors.extend(errors)

    def check_something_swept(
        self, providers: Iterable[str], checks: Iterable[CheckSpec], what: dict[str, str]
    ) -> None:
        """A provider none of whose resources was assessed gets a ``nothing-swept`` error.

        Its checks then report ``error``, the criteria they evidence are incomplete and the exit
        code is 3: an empty sweep (a wrong scope, a credential that sees nothing, an empty
        inventory) is never a pass. ``what`` says, per provider, what was found.
        """
        specs = list(checks)
        for name in providers:
            # a provider whose targets could not be listed already has its error (target "*")
            already = any(e.provider == name and e.target == "*" for e in self.errors)
            if self.assessed[name] or already:
                continue
            reason = f"no resource was assessed ({what.get(name) or 'nothing found'})"
            self.add_target(
                Target(name, "*"),
                [],
                [CollectionError(name, "*", "global", NOTHING_SWEPT, provider_types(specs, name), reason)],
            )
