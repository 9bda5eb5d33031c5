"""The scanners provider: a target is a report file or a folder of them; a unit reads one file.

Every file is read and recognised while the targets are listed, so a malformed or unknown file
stops the sweep with one line naming it (exit 2) before anything is collected. Of several
reports of the same artifact by the same scanner in one target, the newest is read. The previous
stored record of each artifact (``self.history``, asked once for all of them) is handed to the
unit reading it, so first-seen times carry across runs (:mod:`trustsweep_scanners.history`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from trustsweep.plugin import Provider, Sighting, Target, UserError, WorkUnit

from .collect import grype, snyk, trivy
from .collect.artifact import ARTIFACT, TYPES, ShapeError
from .collect.base import scan_time
from .detect import read_report, report_files
from .history import slim

COLLECTORS = {"trivy": trivy, "grype": grype, "snyk": snyk}


class ScannersProvider(Provider):
    name = "scanners"

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self._files: dict[str, list[dict[str, Any]]] = {}
        self._seen: dict[str, Sighting] = {}

    def targets(self, requested: Sequence[str]) -> list[Target]:
        root = Path(self.options.get("root") or ".")
        given = list(dict.fromkeys([*requested, *(self.options.get("reports") or ())]))
        if not given:
            raise UserError(
                "the scanners provider needs report files or folders: --target PATH (Trivy, Grype or Snyk JSON)"
            )
        targets = []
        for item in given:
            base = root / item
            files = [self._read(path, base) for path in report_files(base)]
            self._files[item] = _newest(files)
            targets.append(Target(self.name, item, name=Path(item).name or item, attrs={"reports": len(files)}))
        # one look at the store for every artifact; a store that does not verify is an exit-2 line here
        ids = sorted({a for files in self._files.values() for f in files for a in f["artifacts"]})
        days = int(self.options.get("history_days") or 400)
        self._seen = self.history.last_seen(self.name, ARTIFACT, ids, dt.datetime.now(dt.UTC) - dt.timedelta(days=days))
        return targets

    @staticmethod
    def _read(path: Path, base: Path) -> dict[str, Any]:
        scanner, doc = read_report(path)
        try:
            artifacts = COLLECTORS[scanner].parse(doc)
        except ShapeError as exc:
            raise UserError(f"not a valid {scanner.capitalize()} report: {exc}", path=path, place=exc.place) from None
        relative = path.relative_to(base).as_posix() if path != base else path.name
        return {
            "path": str(path),
            "report": relative,
            "scanner": scanner,
            "artifacts": {a.id: scan_time(a, path) for a in artifacts},
        }

    def work(self, target: Target, regions: Sequence[str]) -> list[WorkUnit]:
        files, seen = self._files[target.id], self._seen
        return [
            self.unit(
                target,
                "global",
                f["report"],
                COLLECTORS[f["scanner"]].collect,
                TYPES,
                {
                    "path": f["path"],
                    "report": f["report"],
                    "artifacts": sorted(f["artifacts"]),
                    "priors": {a: slim(seen[a]) for a in f["artifacts"] if a in seen},
                },
            )
            for f in files
            if f["artifacts"]
        ]


def _newest(files: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each artifact read from its newest report only (ties: the later file name)."""
    best: dict[str, tuple[str, str]] = {}
    for f in files:
        for artifact, scanned in f["artifacts"].items():
            if artifact not in best or (scanned, f["path"]) > best[artifact]:
                best[artifact] = (scanned, f["path"])
    return [{**f, "artifacts": {a: t for a, t in f["artifacts"].items() if best[a][1] == f["path"]}} for f in files]
