"""One pipeline for the library and the CLI: sweep (or evaluate), write the outputs, record, tell the plugins.

    from trustsweep.pipeline import Outputs, run
    from trustsweep.plugins import Registry

    sweep = run(Registry.load(), providers=["aws"], outputs=Outputs(out=Path("out"), store="sqlite:///ev.sqlite"))
    sys.exit(sweep.exit_code)

:func:`run` sweeps live clouds, :func:`evaluate` a saved inventory; both end in :func:`publish`,
which writes the OSCAL bundle, ``summary.md`` and the ``--export`` formats into ``outputs.out``,
appends the sweep to the evidence store (the outputs are placed inside its transaction, so they
carry the chain head) and then fires ``trustsweep_sweep_finished``. The ``trustsweep`` commands
call exactly these functions.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import UserError
from .outputs import check_out_dir

if TYPE_CHECKING:
    from .config import Config
    from .export.window import Window
    from .mappings import Mapping
    from .plugins import Registry
    from .resume import ResumeState
    from .sightings import Sightings
    from .store.checkpoints import Checkpointer
    from .store.ledger import EvidenceStore
    from .sweep import EvidenceReader, Progress, Sweep

DOCUMENT_FORMATS = ("json", "yaml")

#: Where a problem that does not change the outcome is reported (a failing notification hook).
Warn = Callable[[str], None]


def _stderr(text: str) -> None:
    from .report.text import plain

    sys.stderr.write(f"trustsweep: warning: {plain(text)}\n")


@dataclass(frozen=True)
class Outputs:
    """Where a sweep's results go.

    ``out``: folder for the OSCAL bundle, ``summary.md`` and ``exports`` (``None``: nothing written);
    ``store``: evidence store URL (``None``: the default store in the user data directory);
    ``record``: ``False`` neither records the sweep nor reads the stored attestations and waivers;
    ``exports``: ``NAME`` or ``NAME:OPTION,...`` of the installed export formats (need ``out``).
    """

    out: Path | None = None
    oscal_version: str = "1.2.1"
    fmt: str = "json"
    store: str | None = None
    record: bool = True
    exports: Sequence[str] = ()

    def check(self, registry: Registry) -> dict[str, frozenset[str]]:
        """Refuse bad output settings before any work (:class:`UserError`); the parsed exports."""
        from .export import parse_exports
        from .oscal.common import SUPPORTED_VERSIONS

        if self.oscal_version not in SUPPORTED_VERSIONS:
            choose = ", ".join(SUPPORTED_VERSIONS)
            raise UserError(f"unsupported --oscal-version {self.oscal_version!r} (choose {choose})")
        if self.fmt not in DOCUMENT_FORMATS:
            raise UserError(f"unsupported --format {self.fmt!r} (json or yaml)")
        check_out_dir(self.out)
        parsed = parse_exports(registry.exporters, self.exports)
        if parsed and self.out is None:
            raise UserError("--export writes into the output folder: add --out DIR")
        return parsed

    def evidence(self) -> EvidenceReader | None:
        """What reads the store's attestations and waivers once all input is checked (``None``: no store).

        The URL is checked now (bad input before any work); the store is neither opened nor created
        until the reader is called, and a SQLite store that does not exist yet is not created then.
        """
        if not self.record:
            return None
        from .store import recorded_evidence
        from .store.urls import parse_url

        parse_url(self.store)
        url = self.store
        return lambda: recorded_evidence(url)

    def resume_state(self, sweep_id: str) -> ResumeState:
        """The interrupted sweep ``sweep_id`` read back from the store (UserError if it cannot be resumed)."""
        if not self.record:
            raise UserError("--resume reads the sweep's checkpoints from the evidence store: drop --no-store")
        from .store.checkpoints import load_resume

        return load_resume(self.store, sweep_id)

    def history(self) -> Sightings | None:
        """What the store recorded before, for the providers to plan with (``None``: no store).

        The store is opened only when a provider asks, and never created (:mod:`trustsweep.sightings`).
        """
        if not self.record:
            return None
        from .store.sightings import StoreSightings

        return StoreSightings(self.store)


def run(
    registry: Registry,
    *,
    providers: Sequence[str],
    targets: Sequence[str] = (),
    provider_options: dict[str, dict[str, Any]] | None = None,
    mapping: Mapping | None = None,
    config: Config | None = None,
    executor: Executor | str | None = None,
    workers: int | None = None,
    unit_timeout: float | None = None,
    progress: Progress | None = None,
    save_inventory: Path | None = None,
    only_checks: Sequence[str] = (),
    outputs: Outputs | None = None,
    warn: Warn = _stderr,
    sweep_id: str | None = None,
    resume: str | None = None,
) -> Sweep:
    """Sweep live targets, then :func:`publish` the sweep.

    ``executor``: a pool of yours, or the name of one to start for this sweep and shut down before
    publishing (``threads``, the default; ``processes``; ``dask-local``; ``tcp://host:8786``) with
    ``workers`` workers. ``unit_timeout``: seconds a unit of work may take before it becomes an
    ``error`` (default ``$TRUSTSWEEP_UNIT_TIMEOUT`` or an hour). Bad input raises :class:`UserError`
    before any work.

    With a store, each target is checkpointed as it finishes; ``resume`` (the id of an interrupted
    sweep) carries its finished targets over and sweeps only the rest (see :mod:`trustsweep.resume`).
    ``sweep_id``: the id of a new sweep (default: a new UUID), e.g. to tell the user how to resume it.
    """
    from .collect import make_executor
    from .collect import unit_timeout as check_timeout
    from .sweep import run_sweep

    outputs = outputs or Outputs()
    outputs.check(registry)
    check_timeout(unit_timeout)  # a bad deadline is bad input before any work
    mapping = mapping if mapping is not None else registry.mapping()
    state = outputs.resume_state(resume) if resume is not None else None
    checkpointers: list[Checkpointer] = []

    def checkpoints(ident: str, started: dt.datetime, plan: str) -> Checkpointer:
        from .store.checkpoints import Checkpointer

        checkpointers.append(Checkpointer(outputs.store, ident, started, plan, list(providers)))
        return checkpointers[-1]

    pools = make_executor(executor, workers) if executor is None or isinstance(executor, str) else nullcontext(executor)
    try:
        with pools as pool:
            sweep = run_sweep(
                registry,
                mapping,
                providers=providers,
                targets=targets,
                provider_options=provider_options,
                config=config,
                executor=pool,
                progress=progress,
                save_inventory=save_inventory,
                only_checks=only_checks,
                evidence=outputs.evidence(),
                history=outputs.history(),
                unit_timeout=unit_timeout,
                sweep_id=sweep_id,
                checkpoints=checkpoints if outputs.record else None,
                resume=state,
            )
    finally:
        for checkpointer in checkpointers:
            checkpointer.close()
    publish(sweep, registry, outputs, warn=warn)
    return sweep


def evaluate(
    registry: Registry,
    inventory: Path,
    *,
    mapping: Mapping | None = None,
    config: Config | None = None,
    only_checks: Sequence[str] = (),
    accept_edited: bool = False,
    outputs: Outputs | None = None,
    warn: Warn = _stderr,
) -> Sweep:
    """Re-evaluate a saved inventory offline (no cloud API is called), then :func:`publish` it."""
    from .sweep import evaluate_inventory

    outputs = outputs or Outputs()
    outputs.check(registry)
    mapping = mapping if mapping is not None else registry.mapping()
    sweep = evaluate_inventory(
        registry,
        mapping,
        inventory,
        config=config,
        only_checks=only_checks,
        evidence=outputs.evidence(),
        accept_edited=accept_edited,
    )
    publish(sweep, registry, outputs, warn=warn)
    return sweep


def publish(sweep: Sweep, registry: Registry, outputs: Outputs, *, warn: Warn = _stderr) -> None:
    """Outputs, then the evidence store, then the plugins' ``trustsweep_sweep_finished``; in that order.

    The bundle and ``summary.md`` are written to a temporary directory and moved into ``out``
    inside the store's append transaction (so they carry the chain head and the summary the
    history including this sweep): if writing them fails nothing is stored (``OutputError``);
    if the store then fails, the outputs are taken back and ``out`` is as it was. A failing hook
    is reported through ``warn`` and does not change the outcome.
    """
    from .outputs import Staged, write_outputs

    exports = outputs.check(registry)
    out = outputs.out
    staged: Staged | None = None

    def place(store: EvidenceStore | None = None) -> None:
        nonlocal staged
        if out is None:
            return
        from .store import history_markdown

        def extra(staging: Path) -> None:
            from .export import run_exports

            window = _recent_window(store, sweep) if store is not None else None
            run_exports(registry.exporters, exports, sweep, staging, window=window)

        staged = write_outputs(
            sweep,
            out,
            oscal_version=outputs.oscal_version,
            fmt=outputs.fmt,
            extra=extra if exports else None,
            history=(lambda: history_markdown(store)) if store is not None else (lambda: ""),
        )

    if not outputs.record:
        place()
    else:
        from .store import record_sweep

        try:
            record_sweep(sweep, outputs.store, before_commit=place)
        except BaseException:
            if staged is not None:
                staged.undo()
            raise
    if staged is not None:
        staged.finish()
    try:
        registry.hooks.sweep_finished(sweep, out)
    except Exception as exc:  # a notification plugin must not change the outcome
        warn(f"a trustsweep_sweep_finished hook failed: {type(exc).__name__}: {exc}")


def _recent_window(store: EvidenceStore, sweep: Sweep) -> Window:
    """The Type II window of the report written with a sweep: the stored sweeps of the last 365 days."""
    from .export.window import build_window
    from .store.history import load_history

    start = sweep.started - dt.timedelta(days=365)
    return build_window(load_history(store, start, None), start, sweep.finished)
