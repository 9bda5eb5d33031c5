"""Errors that end a command with one clear line and exit code 2 (bad input or usage)."""

from __future__ import annotations

from pathlib import Path


class UserError(Exception):
    """Bad input or usage: the CLI prints the message on one line and exits with code 2."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | Path | None = None, place: str = "") -> None:
        self.path = str(path) if path is not None else ""
        self.place = place
        self.detail = message
        where = self.path
        if place:
            where = f"{where}:{place}" if where else place
        super().__init__(f"{where}: {message}" if where else message)
