"""``trustsweep report``: the HTML report of any stored sweep, with its Type II window.

The chain is verified before anything is read (exit 1 when it does not verify) and the sweep is
rebuilt from the store with every digest re-checked, as ``trustsweep export`` does.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from ..errors import UserError
from ..report.text import plain
from .common import StoreOpt
from .stored import FromOpt, ToOpt, opened, window

DEFAULT_WINDOW_DAYS = 365


def report(
    sweep_id: Annotated[str, typer.Argument(help="A stored sweep's id (or a unique prefix of it), or 'latest'.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write (e.g. report.html).")],
    start: FromOpt = None,
    end: ToOpt = None,
    store: StoreOpt = None,
) -> None:
    """Write one self-contained HTML report of a stored sweep, with each criterion over the window.

    The window defaults to the 365 days up to the sweep; --from/--to choose another.
    """
    from ..export.html import write_report
    from ..export.window import build_window
    from ..store.history import load_history
    from ..store.ledger import TamperedError
    from ..store.verify import verify

    lo, hi = window(start, end)
    if out.exists() and out.is_dir():
        raise UserError("is a directory; --out names the HTML file to write", path=out)
    if not out.parent.is_dir():
        raise UserError("the folder to write into does not exist", path=out.parent)
    with opened(store) as st:
        chain = verify(st, rows=False)
        if not chain.ok:
            raise TamperedError(chain.problems[0])
        if sweep_id == "latest":
            entries = st.entries("sweep")
            if not entries:
                raise UserError(f"no sweep is recorded in {st.where}")
            entry = entries[-1]
        else:
            entry = st.find_sweep(sweep_id)
        sweep = st.load_sweep(entry)
        sweep.chain_head = chain.head
        hi = hi or sweep.started + dt.timedelta(microseconds=1)
        lo = lo or sweep.started - dt.timedelta(days=DEFAULT_WINDOW_DAYS)
        chart = build_window(load_history(st, lo, hi), lo, min(hi, dt.datetime.now(dt.UTC)))
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        write_report(sweep, tmp, chart)
        tmp.replace(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(f"cannot write the report: {exc.strerror or exc}", path=out) from None
    typer.echo(plain(f"wrote {out} (sweep {sweep.id}, {len(chart.sweeps)} sweep(s) in the window)"))


def register(app: typer.Typer) -> None:
    """Add ``report`` to the CLI."""
    app.command("report")(report)
