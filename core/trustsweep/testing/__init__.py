"""The test kit for trustsweep plugins (built-in and third-party alike).

``run_check`` (one check on one resource, as the engine runs it), ``run_cli`` (the installed command,
as a user runs it), ``assert_valid_oscal`` (NIST's schemas and constraints) and, in
:mod:`trustsweep.testing.conformance`, the conformance suite every plugin runs. Each plugin's emulator
lives in the plugin (``<plugin>/emulator/``). Nothing here imports a cloud SDK at import time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .checks import run_check
    from .cli import run_cli
    from .inventory import in_memory, saved_resources
    from .oscal import assert_valid_oscal

__all__ = ["assert_valid_oscal", "in_memory", "run_check", "run_cli", "saved_resources"]

_WHERE = {
    "run_check": ".checks",
    "run_cli": ".cli",
    "assert_valid_oscal": ".oscal",
    "saved_resources": ".inventory",
    "in_memory": ".inventory",
}


def __getattr__(name: str) -> Any:  # lazy: importing the kit costs nothing until a helper is used
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name], __name__), name)
    raise AttributeError(name)
