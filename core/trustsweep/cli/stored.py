"""Opening the evidence store for a command, and the dates and windows commands read it by."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import UserError
from .common import err

if TYPE_CHECKING:
    from ..store.ledger import EvidenceStore

FromOpt = Annotated[str | None, typer.Option("--from", help="Start of the window (YYYY-MM-DD or ISO datetime, UTC).")]
ToOpt = Annotated[
    str | None, typer.Option("--to", help="End of the window, inclusive (YYYY-MM-DD or ISO datetime, UTC).")
]
NoVerifyOpt = Annotated[
    bool,
    typer.Option(
        "--no-verify", help="Read the store without first checking the chain and the rows read (unverified evidence)."
    ),
]


def parse_date(value: str, what: str) -> dt.datetime:
    """A command-line date or datetime (UTC); bad input is a :class:`UserError` naming ``what``."""
    from ..config import parse_datetime

    try:
        return parse_datetime(value, what=what)
    except ValueError as exc:
        raise UserError(str(exc)) from None


def window(start: str | None, end: str | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    """``--from``/``--to`` as ``[start, end)``; a bare ``--to`` date includes that whole day."""
    lo = parse_date(start, "--from") if start else None
    hi = None
    if end:
        hi = parse_date(end, "--to")
        hi += dt.timedelta(days=1) if len(end.strip()) == 10 else dt.timedelta(microseconds=1)
    if lo and hi and lo >= hi:
        raise UserError(f"the window is the wrong way round: --from {start} is after --to {end}")
    return lo, hi


@contextmanager
def opened(url: str | None, *, create: bool = False) -> Iterator[EvidenceStore]:
    """The store at ``url``; evidence that does not verify is one line and exit 1."""
    from ..store import open_store
    from ..store.ledger import TamperedError

    store = open_store(url, create=create)
    try:
        with store.translated():
            yield store
    except TamperedError as exc:
        err(f"evidence does not verify: {exc} (see 'trustsweep verify')")
        raise typer.Exit(1) from None
    finally:
        store.close()


def short(ts: str) -> str:
    """An ISO timestamp as ``YYYY-MM-DD HH:MM:SS``."""
    return ts[:19].replace("T", " ")
