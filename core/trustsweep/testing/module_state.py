"""What a plugin keeps in module globals, for tests that prove sweeps leave nothing behind (a
long-lived worker process must not grow from one sweep to the next)."""

from __future__ import annotations

import sys


def held(package: str) -> dict[tuple[str, str], int]:
    """The size of every dict, list and set in a module global of ``package`` and its submodules,
    by (module, name); dunder names aside. Runs anywhere the package is imported (``Client.run``)."""
    return {
        (name, attr): len(value)
        for name, module in list(sys.modules.items())
        if (name == package or name.startswith(package + ".")) and module is not None
        for attr, value in vars(module).items()
        if isinstance(value, (dict, list, set)) and not attr.startswith("__")
    }


def grown(before: dict[tuple[str, str], int], after: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """The globals of ``before`` whose size changed in ``after``, with their new size (a module
    first imported in between is new, not grown)."""
    return {key: after[key] for key, size in before.items() if after.get(key, size) != size}
