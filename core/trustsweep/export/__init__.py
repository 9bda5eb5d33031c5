"""Formats other tools ingest: CSV populations, OCSF findings, JUnit XML and the HTML report.

Export formats are plugins. Each is declared through the ``trustsweep_exporters`` hook as an
:class:`ExporterSpec`; its ``writer`` (``"module:function"``) is imported only when the format is
asked for (``--export NAME``, repeatable). A writer has the signature
``writer(sweep: Sweep, out_dir: Path, ctx: ExportContext) -> list[Path]`` and returns the files it
wrote into ``out_dir``; ``ctx.options`` are the flags given as ``--export NAME:OPTION,OPTION`` among
those the spec declares (``--export ocsf:passes``), ``ctx.window`` the Type II window read from the
evidence store when one is in use.
The built-in formats (``csv``, ``ocsf``, ``junit``, ``html``) are declared the same way by the
``exports`` plugin (:mod:`trustsweep.export.plugin`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..errors import UserError
from ..provider import load_object

if TYPE_CHECKING:
    from ..sweep import Sweep
    from .window import Window


@dataclass(frozen=True, slots=True)
class ExportContext:
    """What a writer gets besides the sweep: its ``--export NAME:OPTION`` flags and the Type II window."""

    options: frozenset[str] = frozenset()
    window: Window | None = None


class Writer(Protocol):
    def __call__(self, sweep: Sweep, out_dir: Path, ctx: ExportContext) -> list[Path]: ...


@dataclass(frozen=True, slots=True)
class ExporterSpec:
    """An export format: its ``--export`` name, the dotted path of its writer, the files it writes."""

    name: str
    writer: str
    files: tuple[str, ...] = ()
    description: str = ""
    options: tuple[str, ...] = ()
    plugin: str = ""


def parse_exports(exporters: Mapping[str, ExporterSpec], requested: Sequence[str]) -> dict[str, frozenset[str]]:
    """``NAME`` or ``NAME:OPTION,OPTION`` per request → options per format, in order.

    An unknown format or option is a usage error (exit 2) before anything runs.
    """
    out: dict[str, frozenset[str]] = {}
    for item in requested:
        name, _, raw = item.partition(":")
        spec = exporters.get(name)
        if spec is None:
            known = ", ".join(sorted(exporters)) or "none"
            raise UserError(f"unknown --export format {name!r} (installed: {known})")
        options = frozenset(o.strip() for o in raw.split(",") if o.strip())
        unknown = sorted(options - set(spec.options))
        if unknown:
            allowed = ", ".join(spec.options) or "none"
            raise UserError(f"--export {name}: unknown option {unknown[0]!r} (options: {allowed})")
        out[name] = out.get(name, frozenset()) | options
    return out


def run_exports(
    exporters: Mapping[str, ExporterSpec],
    requested: Mapping[str, frozenset[str]],
    sweep: Sweep,
    out_dir: Path,
    window: Window | None = None,
) -> list[Path]:
    """Write each requested format (from :func:`parse_exports`) into ``out_dir``; every file written."""
    written: list[Path] = []
    for name, options in requested.items():
        writer: Writer = load_object(exporters[name].writer)
        written.extend(writer(sweep, out_dir, ExportContext(options, window)))
    return written
