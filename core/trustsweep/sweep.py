"""The pipeline: targets → collect → inventory → evaluate → aggregate → a :class:`Sweep`.

Data flows one way. Writing OSCAL, reports and the evidence store happens after, from the Sweep.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from . import __version__
from . import provenance as prov
from .accumulate import NOTHING_SWEPT, Accumulator, found_in_words
from .aggregate import CriterionFinding, aggregate
from .assess import Assessment
from .config import Config
from .dispatch import run_plan
from .errors import UserError
from .evaluate import Evaluator
from .inventory import InventoryFile, inventory_files, load_file
from .mappings import Mapping
from .model import (
    Attestation,
    CheckResult,
    CheckSpec,
    Collected,
    CollectionError,
    Resource,
    Status,
    Target,
    Waiver,
)
from .planning import checks_for, plan_sweep
from .plugins import PluginInfo, Registry
from .redact import redactor
from .resume import CheckpointFactory, ResumeState, mark_resumed, plan_digest, refuse_other_plan
from .sightings import Sightings

#: Reads the attestations and waivers on record (the evidence store); called once all input is
#: checked and the targets are listed, so bad input never opens (or creates) a store.
EvidenceReader = Callable[[], tuple[Sequence[Attestation], Sequence[Waiver]]]


class Progress(Protocol):
    """What the engine reports while it works (the CLI draws progress bars from it)."""

    def planned(self, provider: str, units: int) -> None: ...
    def unit_done(self, collected: Collected) -> None: ...
    def message(self, text: str) -> None: ...


class _Silent:
    def planned(self, provider: str, units: int) -> None:
        pass

    def unit_done(self, collected: Collected) -> None:
        pass

    def message(self, text: str) -> None:
        pass


@dataclass
class Sweep:
    """Everything one sweep produced; the input of OSCAL, reports and the evidence store."""

    id: str
    started: dt.datetime
    finished: dt.datetime
    providers: list[str]
    targets: list[Target]
    #: one compact fact per resource (properties only for the providers' ``history_types``); may
    #: live on disk (:class:`~trustsweep.spool.Spool`): iterate it, grouped by target as ``results``
    resources: Sequence[Resource]
    results: Sequence[CheckResult]  #: may live on disk too: iterate, avoid ``results[i]`` in loops
    findings: list[CriterionFinding]
    collection_errors: list[CollectionError]
    mapping: Mapping
    checks: dict[str, CheckSpec]
    plugins: list[PluginInfo]
    attestations: list[Attestation] = field(default_factory=list)
    waivers: list[Waiver] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    tool_version: str = __version__
    chain_head: str = ""  # set by the evidence store: hash of this sweep in the chain
    #: how the evidence was obtained: a live sweep, or a saved inventory evaluated offline
    #: (its digest, collection time and seal integrity); see :mod:`trustsweep.provenance`
    provenance: dict[str, Any] = field(default_factory=prov.live)
    #: results per status, when kept while the results arrived (else counted from ``results``)
    tally: dict[str, int] | None = field(default=None, repr=False)

    @property
    def incomplete(self) -> bool:
        return bool(self.collection_errors) or self.counts()[Status.ERROR.value] > 0

    @property
    def exit_code(self) -> int:
        """0 all assessed criteria satisfied; 1 some not satisfied; 3 incomplete: a check errored or
        nothing of a provider was assessed (wins over 1)."""
        if self.incomplete:
            return 3
        if any(f.blocking for f in self.findings):
            return 1
        return 0

    def counts(self) -> dict[str, int]:
        """Results per status (every status named, 0 included)."""
        if self.tally is None:
            tally: dict[str, int] = {}
            for result in self.results:
                tally[result.status.value] = tally.get(result.status.value, 0) + 1
            self.tally = tally
        return {s.value: self.tally.get(s.value, 0) for s in Status}

    def failing(self, limit: int) -> list[CheckResult]:
        """The first ``limit`` ``fail`` and ``error`` results (one pass; the rest are in the OSCAL and the store)."""
        out: list[CheckResult] = []
        if limit <= 0 or not (self.counts()[Status.FAIL.value] or self.counts()[Status.ERROR.value]):
            return out
        for result in self.results:
            if result.status in (Status.FAIL, Status.ERROR):
                out.append(result)
                if len(out) >= limit:
                    break
        return out


def nothing_swept(sweep: Sweep) -> list[str]:
    """One line per provider of which no resource was assessed: 'gcp: no resource was assessed (…)'."""
    return [f"{e.provider}: {e.reason}" for e in sweep.collection_errors if e.service == NOTHING_SWEPT]


def run_sweep(
    registry: Registry,
    mapping: Mapping,
    *,
    providers: Sequence[str],
    targets: Sequence[str] = (),
    regions: Sequence[str] = (),
    provider_options: dict[str, dict[str, Any]] | None = None,
    config: Config | None = None,
    executor: Executor,
    progress: Progress | None = None,
    save_inventory: Path | None = None,
    only_checks: Sequence[str] = (),
    attestations: Sequence[Attestation] = (),
    waivers: Sequence[Waiver] = (),
    evidence: EvidenceReader | None = None,
    history: Sightings | None = None,
    now: dt.datetime | None = None,
    unit_timeout: float | None = None,
    sweep_id: str | None = None,
    checkpoints: CheckpointFactory | None = None,
    resume: ResumeState | None = None,
) -> Sweep:
    """Sweep live targets through the providers' plugins.

    ``evidence`` adds the stored attestations and waivers; it is called after every provider has
    listed its targets (where a plugin refuses bad input) and before any collection. ``history``
    (what earlier stored sweeps recorded) becomes each provider's ``history`` while it plans.
    ``unit_timeout``: seconds a unit of work may take before it becomes an ``error`` (default
    ``TRUSTSWEEP_UNIT_TIMEOUT`` or :data:`~trustsweep.collect.DEFAULT_UNIT_TIMEOUT`).
    ``checkpoints(sweep_id, started, plan_sha256)`` gives what records each collected target as it
    finishes; ``resume`` (an interrupted sweep with the same plan) carries its finished targets
    over and sweeps only the rest, under its id and start (:mod:`trustsweep.resume`).
    """
    progress = progress or _Silent()
    config = config or Config()
    for name in providers:
        registry.provider_spec(name)  # unknown provider → UserError before any work
    checks = checks_for(registry, providers, only_checks)
    all_options = {p: {**config.settings.get(p, {}), **(provider_options or {}).get(p, {})} for p in providers}
    plan_sha = plan_digest(providers, targets, regions, all_options, list(checks))
    judged = now or dt.datetime.now(dt.UTC)  # the time new results are evaluated at
    started = judged
    if resume is not None:
        refuse_other_plan(resume, providers, plan_sha)
        sweep_id, started = resume.sweep_id, resume.started
    sweep_id = sweep_id or str(uuid.uuid4())
    done = set(resume.carried) if resume is not None else set()
    planned = plan_sweep(registry, providers, checks, targets, regions, all_options, history, progress, done)
    plan, swept_targets = planned.plan, planned.targets

    attestations, waivers = _with_stored(attestations, waivers, evidence)
    all_waivers = [*config.waivers, *waivers]
    evaluator = Evaluator(checks.values(), config=config.check_config(), now=judged, waivers=all_waivers)
    assessment = Assessment(
        evaluator,
        judged,
        save_inventory,
        {p: registry.provider_spec(p).properties_version for p in providers},
        _history_types(registry, providers),
    )
    acc = Accumulator(assessment, checkpoints(sweep_id, started, plan_sha) if checkpoints is not None else None)
    for carried in resume.carried.values() if resume is not None else ():
        acc.add_carried(carried)
        if carried.target not in swept_targets:
            swept_targets.append(carried.target)
    for target, error in planned.failed:
        acc.add_target(target, [], [error])
    for outcome in run_plan(
        plan, executor, assessment, on_unit=progress.unit_done, sweep_id=sweep_id, timeout=unit_timeout
    ):
        acc.add(outcome, collected=True)
    acc.check_something_swept(
        providers, checks.values(), {p: found_in_words(swept_targets, acc.collected[p], p) for p in providers}
    )

    sweep = _finish(
        registry,
        mapping,
        started,
        list(providers),
        swept_targets,
        acc,
        checks,
        attestations,
        all_waivers,
        {"units": plan.units(), "requests": acc.requests},
        sweep_id=sweep_id,
    )
    if resume is not None:
        sweep.provenance = mark_resumed(sweep.provenance, resume, judged)
    return sweep


def _history_types(registry: Registry, providers: Iterable[str]) -> frozenset[str]:
    return frozenset(t for p in providers for t in registry.provider_spec(p).history_types)


def evaluate_inventory(
    registry: Registry,
    mapping: Mapping,
    directory: Path,
    *,
    config: Config | None = None,
    only_checks: Sequence[str] = (),
    attestations: Sequence[Attestation] = (),
    waivers: Sequence[Waiver] = (),
    evidence: EvidenceReader | None = None,
    accept_edited: bool = False,
    now: dt.datetime | None = None,
) -> Sweep:
    """Re-evaluate a saved inventory offline (no cloud API is called).

    Every file is read and checked before ``evidence`` (the stored attestations and waivers) is
    called and before anything is evaluated. A file that does not match its seal (edited, or
    saved without one) is refused unless ``accept_edited``; the Sweep's provenance says which.
    """
    config = config or Config()
    files = inventory_files(directory)
    loaded = [_header(load_file(path)) for path in files]  # validate every file before evaluating any
    providers = sorted({inv.target.provider for inv in loaded})
    for name in providers:
        if name not in registry.providers:
            path = next(inv.path for inv in loaded if inv.target.provider == name)
            raise UserError(
                f"provider {name!r} is not installed (installed: {', '.join(sorted(registry.providers)) or 'none'})",
                path=path,
            )
    for inv in loaded:
        wanted = registry.provider_spec(inv.target.provider).properties_version
        if inv.properties_version != wanted:
            raise UserError(
                f"collected with {inv.target.provider} properties version {inv.properties_version}; this trustsweep's "
                f"{inv.target.provider} plugin reads version {wanted}, and its checks would misread the older shape: "
                "collect the inventory again",
                path=inv.path,
            )
    checks = checks_for(registry, providers, only_checks)
    prov.refuse_unsealed(loaded, accept_edited)
    started = now or dt.datetime.now(dt.UTC)
    attestations, waivers = _with_stored(attestations, waivers, evidence)
    all_waivers = [*config.waivers, *waivers]
    evaluator = Evaluator(checks.values(), config=config.check_config(), now=started, waivers=all_waivers)
    acc = Accumulator(Assessment(evaluator, started, history_types=_history_types(registry, providers)))
    redactions = {name: redactor(registry.provider_spec(name).secret_fields) for name in providers}
    for header in loaded:  # read again, one file at a time: only one target's resources in memory
        inv = load_file(header.path) if header.path is not None else header
        if inv.sha256 != header.sha256:
            raise UserError("the file changed while it was being evaluated", path=header.path)
        redaction = redactions[inv.target.provider]  # an inventory saved before redaction must not carry secrets
        acc.add_target(inv.target, [redaction.resource(r) for r in inv.resources], inv.errors)
        del inv
    targets = [inv.target for inv in loaded]
    acc.check_something_swept(
        providers,
        checks.values(),
        {p: found_in_words(targets, acc.collected[p], p, inventory=True) for p in providers},
    )
    collected_at = min(inv.collected_at for inv in loaded)
    sweep = _finish(
        registry,
        mapping,
        started,
        providers,
        [inv.target for inv in loaded],
        acc,
        checks,
        attestations,
        all_waivers,
        {"inventory": str(directory), "collected_at": collected_at.isoformat()},
    )
    sweep.provenance = prov.offline(directory, loaded)
    return sweep


def _header(inv: InventoryFile) -> InventoryFile:
    """A validated inventory file without its resources (read again when it is evaluated)."""
    return replace(inv, resources=[])


def _with_stored(
    attestations: Sequence[Attestation], waivers: Sequence[Waiver], evidence: EvidenceReader | None
) -> tuple[list[Attestation], list[Waiver]]:
    stored_attestations, stored_waivers = evidence() if evidence is not None else ((), ())
    return [*attestations, *stored_attestations], [*waivers, *stored_waivers]


def _finish(
    registry: Registry,
    mapping: Mapping,
    started: dt.datetime,
    providers: list[str],
    targets: list[Target],
    acc: Accumulator,
    checks: dict[str, CheckSpec],
    attestations: Sequence[Attestation],
    waivers: list[Waiver],
    stats: dict[str, Any],
    sweep_id: str | None = None,
) -> Sweep:
    findings = aggregate(mapping, acc.tallies, attestations=attestations, now=started, available_checks=set(checks))
    finished = dt.datetime.now(dt.UTC)
    stats = {
        **stats,
        "resources": sum(acc.collected.values()),
        "results": len(acc.results),
        "seconds": round((finished - started).total_seconds(), 3),
    }
    return Sweep(
        id=sweep_id or str(uuid.uuid4()),
        started=started,
        finished=max(finished, started),
        providers=providers,
        targets=targets,
        resources=acc.resources,
        results=acc.results,
        findings=findings,
        collection_errors=acc.errors,
        mapping=mapping,
        checks=checks,
        plugins=registry.plugins,
        attestations=list(attestations),
        waivers=waivers,
        stats=stats,
        tally=dict(acc.tallies.counts),
    )
