"""CLI start-up with every built-in plugin installed: `--help` and `checks list` (median wall).

Run: .venv/bin/python bench/cli_startup.py
Targets (issue 2): --help under 250 ms, checks list under 400 ms.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _measure import median_wall

EXE = str(Path(sys.executable).with_name("trustsweep"))


def main() -> None:
    for label, argv in [
        ("--help", [EXE, "--help"]),
        ("checks list", [EXE, "checks", "list"]),
        ("plugins list", [EXE, "plugins", "list"]),
        ("controls", [EXE, "controls"]),
    ]:
        med, best = median_wall(argv)
        print(f"trustsweep {label:<13} median {med * 1000:6.0f} ms   min {best * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
