"""A synthetic provider whose collector asks a shared request budget before each "request" and records
when it was let through; imported by the budget cluster test and by every worker.

Options: ``requests`` per unit, ``stamps`` (a folder: each unit writes its send times there, one
file per unit and process) and the budget settings ``shared_rate_limit`` / ``shared_rate_burst``; the
engine gives each unit its ``rate_share`` (:func:`trustsweep.budget.share_for`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from trustsweep.budget import SHARED, Quota, pace, settings, unit_options
from trustsweep.plugin import Collector, ProviderSpec, Target, WorkUnit, hookimpl, setting
from trustsweep.testing import synthetic

QUOTA = Quota(rate=20.0, burst=4)
SETTINGS = {
    **synthetic.SETTINGS,
    **settings(shared=QUOTA),
    "requests": setting("int", 10, "paced requests per unit"),
    "stamps": setting("str", "", "folder for the units' send times"),
}


class PacedProvider(synthetic.SyntheticProvider):
    def work(self, target: Target, regions: Sequence[str]) -> list[WorkUnit]:
        knobs = {"requests": int(self.options.get("requests") or 10), "stamps": str(self.options.get("stamps") or "")}
        knobs.update(unit_options(self.options, shared=QUOTA))
        return [
            replace(u, collector=f"{__name__}:paced_collect", options={**u.options, **knobs})
            for u in super().work(target, regions)
        ]


def paced_collect(ctx: Collector) -> None:
    sent = []
    for _ in range(int(ctx.options["requests"])):
        pace("quota", SHARED)
        sent.append(time.time())
    name = f"{ctx.target.id}-{ctx.region}-{os.getpid()}.txt"
    (Path(ctx.options["stamps"]) / name).write_text("\n".join(f"{t:.6f}" for t in sent), encoding="utf-8")
    synthetic.collect(ctx)


class PacedPlugin(synthetic.SyntheticPlugin):
    @hookimpl
    def trustsweep_providers(self) -> list[ProviderSpec]:
        return [ProviderSpec(synthetic.PROVIDER, "Synthetic, paced", f"{__name__}:PacedProvider", settings=SETTINGS)]


def paced_registry(tmp_dir: Path) -> Any:
    from trustsweep.plugins import Registry

    return Registry.load(extra_plugins=[("synthetic", PacedPlugin(tmp_dir))])
