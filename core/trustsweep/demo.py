"""``trustsweep demo``: sweep a fictional estate served by local emulators of the clouds.

Each provider plugin that declares an emulator (``trustsweep_emulators``) starts it; the real
provider plugins and real SDK clients then sweep it over the wire. A provider without an emulator
is skipped with a message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from .collect import make_executor
from .errors import UserError
from .mappings import Mapping
from .model import DemoEnv
from .plugins import Registry
from .provider import load_object
from .sweep import Sweep, run_sweep

if TYPE_CHECKING:
    from .model import Attestation
    from .store.ledger import EvidenceStore


@contextmanager
def patched_env(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of the block, then restore them."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def run_demo(
    registry: Registry, mapping: Mapping, out: Path, *, store_url: str | None = None, quiet: bool = False
) -> Sweep:
    from .report.progress import CliProgress
    from .store.sightings import StoreSightings

    for name in sorted(registry.providers):
        if name not in registry.emulators:
            print(f"demo: provider {name!r} has no emulator; skipped", file=sys.stderr)
    if not registry.emulators:
        raise UserError("no installed plugin provides an emulator; install trustsweep[all]")
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="trustsweep-demo-")))
        envs: dict[str, DemoEnv] = {}
        for provider, spec in sorted(registry.emulators.items()):
            factory = load_object(spec.factory)
            envs[provider] = stack.enter_context(factory(workdir / provider))
            if not quiet:
                print(f"demo: {provider}: {envs[provider].description or spec.description}", file=sys.stderr)
        env: dict[str, str] = {}
        for demo_env in envs.values():
            env.update(demo_env.env)
        stack.enter_context(patched_env(env))
        providers = sorted(envs)
        targets = [f"{p}:{t}" for p, e in envs.items() for t in e.targets]
        options = {p: {**e.options, **({"regions": e.regions} if e.regions else {})} for p, e in envs.items()}
        attestations = demo_attestations(store_url, {(p, t) for p, e in envs.items() for t in e.targets})
        history = StoreSightings(store_url) if store_url is not None else None  # first seen across demo runs
        with CliProgress(enabled=not quiet) as progress, make_executor("threads") as pool:
            return run_sweep(
                registry,
                mapping,
                providers=providers,
                targets=targets,
                provider_options=options,
                executor=pool,
                progress=progress,
                attestations=attestations,
                history=history,
            )


# criterion, type, file name, text, attested by, created and expiry (days from now)
SEEDS = (
    (
        "CC6.2",
        "access-review",
        "q3-access-review.md",
        "Demo Corp Q3 access review: 41 accounts reviewed, 3 removed (ex-contractors), signed off by the IT lead.\n",
        "Dana Reviewer",
        -20,
        70,
    ),
    (
        "CC9.2",
        "vendor-review",
        "vendor-review-2026.md",
        "Demo Corp vendor review 2026: 12 sub-processors, SOC 2 reports on file for all, 1 replaced.\n",
        "Sam Security",
        -60,
        305,
    ),
    (
        "CC6.4",
        "subservice-soc-report",
        "cloud-soc2-bridge-letter.txt",
        "Cloud providers' SOC 2 Type II reports and bridge letters covering data-centre controls, reviewed.\n",
        "Sam Security",
        -30,
        335,
    ),
    (
        "P6.6",
        "incident-response-plan",
        "ir-plan-v1.md",
        "Demo Corp incident response plan v1: roles, severity levels, contact tree, breach notification steps.\n",
        "Chris CISO",
        -400,
        -35,
    ),
)


def demo_attestations(store_url: str | None, targets: set[tuple[str, str]]) -> list[Attestation]:
    """Attestations on record in the demo's store; an empty store is seeded with fictional ones.

    An access review (CC6.2), a vendor review (CC9.2) and the cloud provider's SOC 2 report (CC6.4),
    valid and kept in the store, and an incident response plan (P6.6) that expired a month ago, so
    the demo shows attested, satisfied-by-attestation and expired criteria. A store holding anything
    the demo did not write (see :func:`foreign_entries`) is refused, unchanged: fictional evidence
    never mixes with real.
    """
    if store_url is None:
        return []
    from .store import open_store

    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    day = dt.timedelta(days=1)
    with open_store(store_url) as store, store.translated():
        foreign = foreign_entries(store, targets)
        if foreign:
            count = f"{len(foreign)} entr{'y' if len(foreign) == 1 else 'ies'}"
            raise UserError(
                f"{store.where} holds {count} the demo did not write (first: "
                f"{foreign[0]}); the demo adds fictional evidence, so it only uses a store of its "
                "own: pass another --store, or none for OUT/evidence.sqlite"
            )
        if not store.attestations():
            for criterion, type_, filename, text, by, created, expires in SEEDS:
                store.add_attestation(
                    criterion=criterion,
                    type_=type_,
                    data=text.encode(),
                    filename=filename,
                    attested_by=by,
                    created=now + created * day,
                    expires=now + expires * day,
                    keep_file=True,
                )
        return store.attestations()


def foreign_entries(store: EvidenceStore, targets: set[tuple[str, str]]) -> list[str]:
    """Labels of the entries the demo did not write: a sweep of anything but the demo estate
    (``targets``: provider, id), an attestation that is not one of :data:`SEEDS`, any other kind."""
    seeds = {(c, t, hashlib.sha256(text.encode()).hexdigest()) for c, t, _, text, *_ in SEEDS}
    out = []
    for entry in store.entries():
        data = entry.data
        if entry.kind == "sweep":
            swept = {(t["provider"], t["id"]) for t in data.get("targets") or []}
            if swept and swept <= targets:
                continue
        elif entry.kind == "attestation" and (data.get("criterion"), data.get("type"), data.get("sha256")) in seeds:
            continue
        out.append(entry.label())
    return out
