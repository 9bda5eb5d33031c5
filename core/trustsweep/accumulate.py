"""Results kept as a sweep goes: each target evaluated as soon as all its units are in."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from .evaluate import COLLECTION_UNIT_TYPE, Evaluator
from .inventory import save_target
from .model import CheckResult, CheckSpec, CollectionError, Resource, Target
from .provider import TargetInventory


def provider_types(checks: Iterable[CheckSpec], provider: str) -> tuple[str, ...]:
    return tuple(sorted({t for c in checks if c.provider == provider for t in c.resource_types}))


#: The service of the :class:`CollectionError` a provider gets when no resource of it was assessed.
NOTHING_SWEPT = "nothing-swept"


class Accumulator:
    """Evaluates each target as soon as all its units are in, then keeps the results."""

    def __init__(
        self, evaluator: Evaluator, save_dir: Path | None, started: dt.datetime, versions: dict[str, int] | None = None
    ) -> None:
        self.evaluator = evaluator
        self.save_dir = save_dir
        self.versions = versions or {}
        self.started = started
        self.resources: list[Resource] = []
        self.results: list[CheckResult] = []
        self.errors: list[CollectionError] = []
        self.requests = 0
        self.assessed: dict[str, int] = defaultdict(int)  # provider → results on collected resources

    def add_target(self, target: Target, resources: list[Resource], errors: list[CollectionError]) -> None:
        inventory = TargetInventory(target.provider, target.id, resources)
        start = len(self.results)
        self.results.extend(self.evaluator.evaluate_target(inventory, errors))
        self.assessed[target.provider] += sum(
            1 for r in self.results[start:] if r.resource_type != COLLECTION_UNIT_TYPE
        )
        self.resources.extend(resources)
        self.errors.extend(errors)
        if self.save_dir is not None:
            save_target(
                self.save_dir,
                target,
                resources,
                errors,
                self.started,
                properties_version=self.versions.get(target.provider, 1),
            )

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
