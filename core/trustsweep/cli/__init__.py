"""The ``trustsweep`` command line (Typer): the app, ``--version`` and :func:`main`.

One module per command group: :mod:`.sweep` (sweep, evaluate, demo), :mod:`.controls`,
:mod:`.validate`, :mod:`.store` (verify, history, export, diff), :mod:`.report`, :mod:`.plugins`,
:mod:`.checks`, :mod:`.attest` (attest, waive, waivers); what they share is in :mod:`.common`.
Commands import cloud SDKs only when they sweep; ``--help``, ``--version``, ``plugins list``,
``checks list`` and ``controls`` never do. Exit codes: 0 every assessed criterion satisfied,
1 some not satisfied, 2 usage or bad input, 3 incomplete (some checks errored; wins over 1).
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Annotated, Any

import typer

from . import attest, checks, controls, plugins, report, store, sweep, validate
from .common import App, err

app = typer.Typer(
    name="trustsweep",
    cls=App,
    help="Prove SOC 2 controls across AWS, GCP and Azure; write OSCAL assessment results.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)
plugins_app = typer.Typer(help="Installed plugins.", no_args_is_help=True)
checks_app = typer.Typer(help="Checks the installed plugins provide.", no_args_is_help=True)


def version_text() -> str:
    """``trustsweep X.Y.Z`` and each installed plugin's distribution and version (no plugin is imported)."""
    import platform
    from importlib import metadata

    from .. import __version__
    from ..plugins import ENTRY_POINT_GROUP

    lines = [f"trustsweep {__version__} (Python {platform.python_version()})"]
    for ep in sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        dist = ep.dist
        lines.append(f"plugin {ep.name}: {dist.name} {dist.version}" if dist else f"plugin {ep.name}")
    return "\n".join(lines)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(version_text())
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            is_eager=True,
            callback=_print_version,
            help="Print the version of trustsweep and its plugins, then exit.",
        ),
    ] = False,
) -> None:
    """Options of ``trustsweep`` itself (``--version``); the commands below do the work."""


sweep.register(app)
controls.register(app)
validate.register(app)
store.register(app)
report.register(app)
plugins.register(plugins_app)
checks.register(checks_app)
app.add_typer(plugins_app, name="plugins")
app.add_typer(checks_app, name="checks")
attest.register(app)


def _forgiving_streams() -> None:
    """A terminal that cannot encode some character (``PYTHONIOENCODING=ascii``) gets an escape, not a crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _interrupted(*_: Any) -> None:
    """Ctrl-C, wherever it lands (a command, start-up, shutdown): one line, exit 130, no waiting on workers."""
    try:
        sys.stdout.flush()
        err("interrupted")
        sys.stderr.flush()
    finally:
        os._exit(130)


def main() -> None:
    """The ``trustsweep`` console script."""
    import signal

    _forgiving_streams()
    try:
        app()  # Typer turns a KeyboardInterrupt inside a command into exit 130
    except KeyboardInterrupt:
        _interrupted()
    except SystemExit as exc:
        if exc.code == 130:
            _interrupted()
        raise
    finally:  # a Ctrl-C while the interpreter shuts down (joining threads, atexit) must not print a traceback
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, _interrupted)


__all__ = ["app", "main", "version_text"]
