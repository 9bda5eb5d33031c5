"""Write a sweep's outputs — the OSCAL bundle, ``summary.md`` and the ``--export`` formats — all or nothing.

Everything is first written into a temporary directory inside ``--out`` (the same file system),
then each file is moved into place with ``os.replace``; a file it replaces (a previous bundle) is
kept aside until :meth:`Staged.finish`, so :meth:`Staged.undo` can restore the directory as it
was — e.g. when the evidence store then refuses the sweep. Other files in ``--out`` are left
alone. A failure while writing leaves ``--out`` untouched and is a :class:`OutputError` (exit 2).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import UserError

if TYPE_CHECKING:
    from .sweep import Sweep

TEMP_PREFIX = ".trustsweep-tmp-"


class OutputError(UserError):
    """The outputs could not be written: nothing was placed in ``--out`` and nothing was stored."""


def check_out_dir(out: Path | None) -> None:
    """Fail early (:class:`UserError`, exit 2) on an output directory that cannot be written; create it."""
    if out is None:
        return
    if out.exists() and not out.is_dir():
        raise UserError("output path exists and is not a directory", path=out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create output directory: {exc.strerror or exc}", path=out) from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise UserError("output directory is not writable", path=out)


class Staged:
    """Files written into a temporary directory of ``out``, to be moved into place together."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.dir = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=out))
        self._aside = self.dir / ".previous"
        self._placed: list[str] = []
        self._kept: list[str] = []

    def place(self) -> None:
        """Move every staged file into ``out`` (all of them, or none on failure)."""
        names = sorted(p.name for p in self.dir.iterdir() if p.name != self._aside.name)
        self._aside.mkdir()
        try:
            for name in names:
                target = self.out / name
                if os.path.lexists(target):
                    os.replace(target, self._aside / name)
                    self._kept.append(name)
                os.replace(self.dir / name, target)
                self._placed.append(name)
        except BaseException:
            self.undo()
            raise

    def undo(self) -> None:
        """Put ``out`` back as it was before :meth:`place`, then remove the temporary directory."""
        for name in reversed(self._placed):
            with contextlib.suppress(OSError):
                os.unlink(self.out / name)
        for name in self._kept:
            os.replace(self._aside / name, self.out / name)
        self._placed, self._kept = [], []
        self.finish()

    def finish(self) -> None:
        """Forget the replaced files: remove the temporary directory."""
        shutil.rmtree(self.dir, ignore_errors=True)


def write_outputs(
    sweep: Sweep,
    out: Path,
    *,
    oscal_version: str,
    fmt: str,
    history: Callable[[], str] = lambda: "",
    extra: Callable[[Path], object] | None = None,
) -> Staged:
    """Write the bundle and ``summary.md`` into ``out`` all at once; the caller then calls
    :meth:`Staged.finish` (or :meth:`Staged.undo` to take them back). ``history``: Markdown
    appended to the summary (from the evidence store); ``extra``: writes more files (the
    ``--export`` formats) into the staging directory it is given, placed with the rest."""
    from .oscal import write_bundle
    from .report.summary import write_summary

    try:
        staged = Staged(out)
    except OSError as exc:
        raise OutputError(f"cannot write the outputs: {exc.strerror or exc}", path=out) from None
    try:
        write_bundle(sweep, staged.dir, oscal_version=oscal_version, fmt=fmt)
        write_summary(sweep, staged.dir / "summary.md", history=history())
        if extra is not None:
            extra(staged.dir)
        staged.place()
    except OSError as exc:
        staged.finish()
        where = Path(exc.filename).name if exc.filename else ""
        detail = f"{where}: {exc.strerror}" if where and exc.strerror else (exc.strerror or str(exc))
        raise OutputError(f"cannot write the outputs ({detail}); nothing was written there", path=out) from None
    except BaseException:
        staged.finish()
        raise
    return staged
