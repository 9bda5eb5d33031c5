"""The Trivy provider: each target is a report file; one unit of work reads it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from trustsweep.plugin import Provider, Target, UserError, WorkUnit

from .collect import report


class TrivyProvider(Provider):
    name = "trivy"

    def targets(self, requested: Sequence[str]) -> list[Target]:
        paths = [*requested, *(self.options.get("report") or [])]
        if not paths:
            raise UserError("the trivy provider needs a report: --target REPORT.json or --trivy-report REPORT.json")
        return [Target("trivy", str(Path(p)), name=Path(p).name) for p in paths]

    def work(self, target: Target, regions: Sequence[str]) -> list[WorkUnit]:
        return [self.unit(target, "global", "report", report.collect, report.TYPES)]
