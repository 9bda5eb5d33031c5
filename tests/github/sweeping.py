"""Run ``trustsweep sweep -p github`` as a user would and read its results back from the OSCAL output."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from trustsweep.testing.cli import run_cli

Results = dict[tuple[str, str], tuple[str, str]]
Sweep = Callable[..., tuple[subprocess.CompletedProcess[str], Results]]


def sweep(
    env: dict[str, str], tmp_path: Path, *args: str, config: str = ""
) -> tuple[subprocess.CompletedProcess[str], Results]:
    """``trustsweep sweep -p github ARGS`` into ``tmp_path/out``: the process and
    ``{(check, resource): (status, reason)}`` read from the OSCAL assessment results."""
    out = tmp_path / "out"
    shutil.rmtree(out, ignore_errors=True)  # a sweep that writes nothing must not be read as the last one
    extra = []
    if config:
        (tmp_path / "trustsweep.yaml").write_text(config, encoding="utf-8")
        extra = ["--config", str(tmp_path / "trustsweep.yaml")]
    proc = run_cli(
        "sweep",
        "-p",
        "github",
        "--out",
        str(out),
        "--store",
        f"sqlite:///{tmp_path / 'ev.sqlite'}",
        "--quiet",
        *extra,
        *args,
        env=env,
    )
    results: dict[tuple[str, str], tuple[str, str]] = {}
    path = out / "assessment-results.json"
    if path.exists():
        doc = json.loads(path.read_text())["assessment-results"]["results"][0]
        for obs in doc.get("observations", []):
            props = {p["name"]: p["value"] for p in obs.get("props", [])}
            if "check-id" in props:
                resource = obs["title"].split(" on ", 1)[1]
                results[(props["check-id"], resource)] = (props.get("result", ""), obs.get("description", ""))
    return proc, results
