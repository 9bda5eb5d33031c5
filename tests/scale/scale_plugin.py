"""The synthetic provider with knobs for cluster tests; imported by the test and by every worker.

``delay`` (seconds per unit), ``poison`` (targets whose collection kills the worker process) and
``secret`` (put into each target's ``secret_token`` attr, as AWS puts an external id) — the same
checks and outcomes as :mod:`trustsweep.testing.synthetic`.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from trustsweep.plugin import Collector, ProviderSpec, Target, WorkUnit, hookimpl, setting
from trustsweep.testing import synthetic

HERE = Path(__file__).resolve().parent
#: What the workers hold in their environment and the client passes as the targets' secret_token.
SECRET = "s3cr3t-token-never-on-the-wire"
WORKER_ENV = {"TRUSTSWEEP_SYNTHETIC_SECRET_TOKEN": SECRET}

SETTINGS = {
    **synthetic.SETTINGS,
    "delay": setting("float", 0.0, "seconds each unit sleeps"),
    "poison": setting("list[str]", (), "targets whose collection kills the worker process"),
    "secret": setting("str", "", "a secret put into every target's secret_token attr"),
    "shared": setting("bool", False, "plan a shared 'directory' unit per pair of targets"),
    "shared_fail": setting("list[str]", (), "targets whose directory unit raises (for its whole pair)"),
    "shared_log": setting("str", "", "a file each run of a directory unit appends a line to"),
}


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


class SlowProvider(synthetic.SyntheticProvider):
    def targets(self, requested: Sequence[str]) -> list[Target]:
        found = super().targets(requested)
        if self.options.get("secret"):
            for target in found:
                target.attrs["secret_token"] = self.options["secret"]
        return found

    def shared_work(self, targets: Sequence[Target], regions: Sequence[str]) -> list[WorkUnit]:
        """With ``shared``: one 'directory' unit per pair of targets, collecting for both at once."""
        if not self.options.get("shared"):
            return []
        knobs = {k: self.options.get(k) for k in ("shared_fail", "shared_log")}
        return [
            self.shared_unit(targets[i : i + 2], "global", "directory", directory_collect, (DIRECTORY,), knobs)
            for i in range(0, len(targets), 2)
        ]

    def work(self, target: Target, regions: Sequence[str]) -> list[WorkUnit]:
        knobs = {"delay": float(self.options.get("delay") or 0), "poison": list(self.options.get("poison") or [])}
        return [
            replace(u, collector=f"{__name__}:slow_collect", options={**u.options, **knobs})
            for u in super().work(target, regions)
        ]


def slow_collect(ctx: Collector) -> None:
    time.sleep(float(ctx.options.get("delay") or 0))
    if ctx.target.id in ctx.options.get("poison", []):
        os._exit(17)  # a worker dying mid-task (OOM killer, lost machine)
    synthetic.collect(ctx)
    token = ctx.target.attrs.get("secret_token")
    if isinstance(token, str):
        for resource in ctx.resources:
            resource.properties["token_digest"] = digest(token)


#: The type of what a directory unit adds for each member (the synthetic checks judge it like a bucket).
DIRECTORY = "synthetic.bucket"


def directory_collect(ctx: Collector) -> None:
    """A shared unit: one 'directory' resource for each member target, read in one go."""
    if ctx.options.get("shared_log"):
        with open(ctx.options["shared_log"], "a", encoding="utf-8") as log:
            log.write(" ".join(m.id for m in ctx.members) + "\n")
    ctx.count()
    if any(m.id in (ctx.options.get("shared_fail") or ()) for m in ctx.members):
        raise ConnectionError("synthetic directory outage")
    for member in ctx.members:
        ctx.add(
            DIRECTORY, f"syn:{member.id}:directory", "directory", target=member.id, encrypted=True, tags={"env": "x"}
        )


class SlowPlugin(synthetic.SyntheticPlugin):
    @hookimpl
    def trustsweep_providers(self) -> list[ProviderSpec]:
        return [ProviderSpec(synthetic.PROVIDER, "Synthetic, slow", f"{__name__}:SlowProvider", settings=SETTINGS)]


def slow_registry(tmp_dir: Path) -> Any:
    from trustsweep.plugins import Registry

    return Registry.load(extra_plugins=[("synthetic", SlowPlugin(tmp_dir))])


def payloads(prefix: str, dask_scheduler: Any = None) -> list[bytes]:
    """On the scheduler: the pickled task specs of the tasks whose key starts with ``prefix``."""
    import cloudpickle

    return [cloudpickle.dumps(ts.run_spec) for key, ts in dask_scheduler.tasks.items() if str(key).startswith(prefix)]


def task_keys(dask_scheduler: Any = None) -> list[str]:
    """On the scheduler: every task key it holds."""
    return [str(k) for k in dask_scheduler.tasks]
