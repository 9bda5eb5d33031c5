"""Access to the project's reference material in ``../shared`` (beside the checkout) from tests.

Tests that read it call :func:`require_shared`: where the folder is absent they skip with a
reason, except under CI (``CI=true``), where its absence is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path


def shared_dir() -> Path:
    """``$TRUSTSWEEP_SHARED_DIR``, else ``shared/`` beside the checkout this package runs from."""
    env = os.environ.get("TRUSTSWEEP_SHARED_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3].parent / "shared"


def require_shared(*parts: str) -> Path:
    """The path ``shared/<parts>``; skip (or fail under CI) when it does not exist."""
    import pytest

    path = shared_dir().joinpath(*parts)
    if not path.exists():
        message = f"reference material {path} is absent (the ../shared folder beside the checkout)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message + "; it must be present under CI")
        pytest.skip(message)
    return path
