"""Input and output files: every failure is a :class:`UserError` naming the file (exit 2).

Inputs must be regular files: a FIFO, socket or device given as a config, mapping, inventory or
OSCAL file is refused at once (opened non-blocking, so a FIFO with no writer never hangs).
Outputs are written to a temporary file beside the target and renamed into place.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from .errors import UserError


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def open_input(path: str | Path) -> BinaryIO:
    """Open a regular file for reading in binary mode."""
    p = Path(path)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise UserError(f"cannot read file: {_reason(exc)}", path=p) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise UserError("is a directory, not a file", path=p)
        if not stat.S_ISREG(mode):
            raise UserError("not a regular file (a FIFO, socket or device); give a file", path=p)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bytes(path: str | Path) -> bytes:
    """The bytes of a regular file."""
    with open_input(path) as fh:
        try:
            return fh.read()
        except OSError as exc:
            raise UserError(f"cannot read file: {_reason(exc)}", path=path) from None


def read_text(path: str | Path) -> str:
    """The UTF-8 text of a regular file."""
    try:
        return read_bytes(path).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"not UTF-8 text (byte {exc.start})", path=path) from None


def require_input(path: str | Path) -> None:
    """Fail now (exit 2) unless ``path`` is a readable regular file."""
    open_input(path).close()


def write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) atomically; a missing folder or unwritable path is a UserError."""
    p = Path(path)
    if p.is_dir():
        raise UserError("is a directory; name a file to write", path=p)
    if not p.parent.is_dir():
        raise UserError(f"cannot write: folder {str(p.parent)!r} does not exist", path=p)
    tmp = p.with_name(f".{p.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, p)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(f"cannot write: {_reason(exc)}", path=p) from None
    return p
