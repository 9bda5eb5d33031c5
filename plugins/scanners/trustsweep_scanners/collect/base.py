"""The collector every format shares: read the unit's report file, add one resource per artifact."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from trustsweep.plugin import Collector, iso

from ..detect import decode
from ..history import merge
from .artifact import ARTIFACT, Artifact, by_id

Parser = Callable[[Any], list[Artifact]]


def scan_time(artifact: Artifact, path: Path) -> str:
    """The report's scan time, else the file's modification time."""
    return artifact.scanned_at or iso(dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)) or ""


def read_files(ctx: Collector, parse: Parser) -> None:
    """Read ``ctx.options["path"]`` and add the artifacts it won (``artifacts``), merged with ``priors``."""
    path = Path(ctx.options["path"])
    wanted = set(ctx.options["artifacts"])
    priors: dict[str, Any] = ctx.options.get("priors") or {}
    raw = path.read_bytes()
    for artifact in by_id(parse(decode(raw, path))).values():
        if artifact.id not in wanted:
            continue  # a newer report of the same artifact is read instead
        scanned = scan_time(artifact, path)
        prior = priors.get(artifact.id)
        findings, remediated = merge(artifact, prior, scanned)
        ctx.add(
            ARTIFACT,
            artifact.id,
            f"{artifact.name}:{artifact.version}" if artifact.version else artifact.name,
            scanner=artifact.scanner,
            kind=artifact.kind,
            artifact=artifact.name,
            version=artifact.version,
            report=ctx.options.get("report", path.name),
            report_sha256=hashlib.sha256(raw).hexdigest(),
            scanned_at=scanned,
            findings=findings,
            remediated=remediated,
            previous_sweep={"sweep": prior["sweep"], "at": prior["at"]} if prior else None,
        )
