"""What a sweep keeps while it goes: each target's outcome appended to disk, and tallies.

Every :class:`~trustsweep.assess.Assessed` target is appended to two :class:`~trustsweep.spool.Spool`
files (results, resource facts) and counted (per check for aggregation, per status, per
provider); nothing proportional to the estate stays in memory. Each target's facts and results
are appended together, so both are grouped by target in the same order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from .aggregate import Tallies
from .assess import Assessed, Assessment, assess, fact
from .evaluate import COLLECTION_UNIT_TYPE
from .model import CheckResult, CheckSpec, CollectionError, Resource, Target
from .resume import Carried, Checkpoint
from .spool import Spool


def result_spool(memory_items: int | None = None) -> Spool[CheckResult]:
    from .store.canonical import _result_from, dumps_bytes

    return Spool(_result_from, dumps_bytes, memory_items=memory_items)


def resource_spool(memory_items: int | None = None) -> Spool[Resource]:
    from .store.canonical import dumps_bytes

    return Spool(Resource.from_dict, dumps_bytes, memory_items=memory_items)


def provider_types(checks: Iterable[CheckSpec], provider: str) -> tuple[str, ...]:
    return tuple(sorted({t for c in checks if c.provider == provider for t in c.resource_types}))


def found_in_words(targets: Sequence[Target], n_resources: int, provider: str, *, inventory: bool = False) -> str:
    """What was found for a provider, in words ('0 targets found: …', 'empty inventory: …')."""
    n_targets = sum(1 for t in targets if t.provider == provider)
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
    """Keeps each target's outcome as it arrives: results and facts on disk, counts in memory."""

    def __init__(self, assessment: Assessment, checkpoint: Checkpoint | None = None) -> None:
        self.assessment = assessment
        self.checkpoint = checkpoint  # called with each collected target once it is evaluated
        self.resources: Spool[Resource] = resource_spool()
        self.results: Spool[CheckResult] = result_spool()
        self.tallies = Tallies()
        self.errors: list[CollectionError] = []
        self.requests = 0
        self.collected: dict[str, int] = defaultdict(int)  # provider → resources collected
        self.assessed: dict[str, int] = defaultdict(int)  # provider → results on collected resources

    def add_target(self, target: Target, resources: list[Resource], errors: list[CollectionError]) -> None:
        """Evaluate a target here, in the client (an offline inventory, a target that could not be planned)."""
        self.add(assess(target, resources, errors, self.assessment))

    def add(self, outcome: Assessed, *, collected: bool = False) -> None:
        """Keep one target's outcome; a ``collected`` one (not a planning failure) is also checkpointed."""
        self._keep(outcome.target, outcome.facts, outcome.results, outcome.errors)
        self.requests += outcome.requests
        if collected and self.checkpoint is not None:  # last: a checkpointed target is kept too
            self.checkpoint(outcome.target, outcome.facts, outcome.results, outcome.errors)

    def add_carried(self, carried: Carried) -> None:
        """A target checkpointed by the interrupted sweep being resumed: its results as they were."""
        facts = [fact(r, self.assessment.history_types) for r in carried.resources]
        self._keep(carried.target, facts, carried.results, carried.errors)

    def _keep(
        self,
        target: Target,
        facts: list[Resource],
        results: list[CheckResult],
        errors: list[CollectionError],
    ) -> None:
        start = len(self.results)
        for offset, result in enumerate(results):
            self.tallies.add(start + offset, result)
        self.results.extend(results)
        self.resources.extend(facts)
        self.errors.extend(errors)
        self.collected[target.provider] += len(facts)
        self.assessed[target.provider] += sum(1 for r in results if r.resource_type != COLLECTION_UNIT_TYPE)

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

    def close(self) -> None:
        """Delete the spool files (the Sweep built from them can no longer be read)."""
        self.resources.close()
        self.results.close()
