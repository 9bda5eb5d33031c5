"""``trustsweep demo``: sweep a fictional estate served by local emulators of the clouds.

Each provider plugin that declares an emulator (``trustsweep_emulators``) starts it; the real
provider plugins and real SDK clients then sweep it over the wire. A provider without an emulator
is skipped with a message.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from .collect import make_executor
from .errors import UserError
from .mappings import Mapping
from .model import DemoEnv
from .plugins import Registry
from .provider import load_object
from .sweep import Sweep, run_sweep


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


def run_demo(registry: Registry, mapping: Mapping, out: Path, *, store_url: str | None = None,
             quiet: bool = False) -> Sweep:
    from .report.progress import CliProgress

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
        attestations = demo_attestations(store_url)
        with CliProgress(enabled=not quiet) as progress, make_executor("threads") as pool:
            return run_sweep(registry, mapping, providers=providers, targets=targets, provider_options=options,
                             executor=pool, progress=progress, attestations=attestations)


def demo_attestations(store_url: str | None) -> list:
    """Attestations on record in the demo's store; an empty store is seeded with fictional ones.

    An access review (CC6.2), a vendor review (CC9.2) and the cloud provider's SOC 2 report (CC6.4),
    valid and kept in the store, and an incident response plan (P6.6) that expired a month ago, so
    the demo shows attested, satisfied-by-attestation and expired criteria.
    """
    if store_url is None:
        return []
    import datetime as dt

    from .store import open_store

    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    day = dt.timedelta(days=1)
    seeds = [
        ("CC6.2", "access-review", "q3-access-review.md", "Demo Corp Q3 access review: 41 accounts reviewed, "
         "3 removed (ex-contractors), signed off by the IT lead.\n", "Dana Reviewer", now - 20 * day, now + 70 * day),
        ("CC9.2", "vendor-review", "vendor-review-2026.md", "Demo Corp vendor review 2026: 12 sub-processors, "
         "SOC 2 reports on file for all, 1 replaced.\n", "Sam Security", now - 60 * day, now + 305 * day),
        ("CC6.4", "subservice-soc-report", "cloud-soc2-bridge-letter.txt", "Cloud providers' SOC 2 Type II "
         "reports and bridge letters covering data-centre controls, reviewed.\n", "Sam Security", now - 30 * day,
         now + 335 * day),
        ("P6.6", "incident-response-plan", "ir-plan-v1.md", "Demo Corp incident response plan v1: roles, "
         "severity levels, contact tree, breach notification steps.\n", "Chris CISO", now - 400 * day,
         now - 35 * day),
    ]
    with open_store(store_url) as store, store.translated():
        if not store.attestations():
            for criterion, type_, filename, text, by, created, expires in seeds:
                store.add_attestation(criterion=criterion, type_=type_, data=text.encode(), filename=filename,
                                      attested_by=by, created=created, expires=expires, keep_file=True)
        return store.attestations()
