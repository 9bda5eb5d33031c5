"""Run the installed ``trustsweep`` command in a subprocess, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """``trustsweep ARGS…`` with the current interpreter's environment plus ``env``."""
    exe = Path(sys.executable).with_name("trustsweep")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "trustsweep.cli"]
    return subprocess.run(
        [*command, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
