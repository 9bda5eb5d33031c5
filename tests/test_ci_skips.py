"""Under CI (``CI=true``) a skipped test fails the run; elsewhere a skip is reported and the run passes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CONFTEST = Path(__file__).resolve().parent / "conftest.py"


@pytest.mark.parametrize(("ci", "code"), [("", 0), ("true", 1)])
def test_a_skip_fails_the_run_only_under_ci(tmp_path: Path, ci: str, code: int) -> None:
    shutil.copy(CONFTEST, tmp_path / "conftest.py")
    (tmp_path / "test_one.py").write_text(
        "import pytest\n\ndef test_ok():\n    pass\n\ndef test_skipped():\n    pytest.skip('no server')\n"
    )
    env = {**os.environ, "CI": ci}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:trustsweep", "-rs", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == code, proc.stdout + proc.stderr
    assert "1 passed, 1 skipped" in proc.stdout
    assert ("CI: 1 test(s) skipped" in proc.stdout) is bool(ci)
