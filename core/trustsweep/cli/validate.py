"""``trustsweep validate``: an OSCAL document against NIST's JSON schema, uuid uniqueness and references."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..report.text import plain
from .common import OscalVersion


def validate(
    file: Annotated[Path, typer.Argument(help="An OSCAL JSON or YAML document, ours or not.")],
    schema_dir: Annotated[
        Path | None,
        typer.Option(
            "--schema-dir",
            envvar="TRUSTSWEEP_OSCAL_SCHEMA_DIR",
            help=("Directory holding NIST's OSCAL JSON schemas (per version subfolders or flat)."),
        ),
    ] = None,
    oscal_version: Annotated[
        OscalVersion | None,
        typer.Option("--oscal-version", help="Validate against this OSCAL version (default: the document's own)."),
    ] = None,
) -> None:
    """Validate an OSCAL document: NIST's JSON schema plus uuid uniqueness and references."""
    from ..files import require_input
    from ..oscal.validate import validate_file

    require_input(file)
    version = oscal_version.value if oscal_version is not None else None
    problems = validate_file(file, schema_dir=schema_dir, oscal_version=version)
    if problems:
        for problem in problems:
            typer.echo(plain(problem))
        typer.echo(plain(f"{file}: {len(problems)} problem(s)"), err=True)
        raise typer.Exit(2)
    typer.echo(plain(f"{file}: valid"))


def register(app: typer.Typer) -> None:
    """Add ``validate`` to the CLI."""
    app.command()(validate)
