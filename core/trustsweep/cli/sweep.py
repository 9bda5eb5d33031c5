"""``trustsweep sweep``, ``evaluate`` and ``demo``: a sweep through :mod:`trustsweep.pipeline`, then its summary.

Exit codes: 0 every assessed criterion satisfied, 1 some not satisfied, 2 bad input, 3 incomplete
(some checks errored, or nothing of a provider was assessed; wins over 1).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import UserError
from ..outputs import check_out_dir
from ..report.text import plain
from . import common
from .common import DocumentFormat, DocumentFormatOpt, MappingOpt, OscalVersion, OscalVersionOpt, StoreOpt
from .options import WithPluginOptions, context_registry, provider_options

if TYPE_CHECKING:
    from ..pipeline import Outputs
    from ..sweep import Sweep

EXIT_MEANING = {
    0: "all assessed criteria satisfied",
    1: "some criteria not satisfied",
    3: "incomplete: some checks could not run, or nothing of a provider was assessed",
}

ProviderOpt = Annotated[list[str], typer.Option("--provider", "-p", help="Provider to sweep (repeatable).")]
TargetOpt = Annotated[
    list[str],
    typer.Option(
        "--target", "-t", help="Account, project or subscription id; PROVIDER:ID with several providers (repeatable)."
    ),
]
RegionOpt = Annotated[
    list[str],
    typer.Option("--region", "-r", help="Limit to these regions; PROVIDER:REGION with several providers (repeatable)."),
]
OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="Write the OSCAL bundle and summary.md here.")]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config", "-c", envvar="TRUSTSWEEP_CONFIG", help="Config file: settings, check thresholds, waivers."
    ),
]
CheckOpt = Annotated[list[str], typer.Option("--check", help="Run only these check ids (repeatable).")]
NoStoreOpt = Annotated[bool, typer.Option("--no-store", help="Do not record this sweep in the evidence store.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")]
ExportOpt = Annotated[
    list[str],
    typer.Option(
        "--export",
        "-e",
        help=(
            "Also write this format into --out: html, csv, ocsf, junit or a plugin's; NAME:OPTION adds an option, "
            "e.g. ocsf:passes (repeatable)."
        ),
    ),
]


def _outputs(
    out: Path | None,
    oscal_version: OscalVersion,
    fmt: DocumentFormat,
    store: str | None,
    no_store: bool,
    export: list[str],
) -> Outputs:
    from ..pipeline import Outputs

    return Outputs(
        out=out,
        oscal_version=oscal_version.value,
        fmt=fmt.value,
        store=store,
        record=not no_store,
        exports=tuple(export),
    )


def _warn(text: str) -> None:
    typer.echo(f"trustsweep: warning: {plain(text)}", err=True)


def _finish(sweep: Sweep, out: Path | None) -> None:
    """The summary tables, then one line on stderr per provider of which nothing was assessed."""
    from ..report.summary import print_summary
    from ..sweep import nothing_swept

    print_summary(sweep, out)
    for text in nothing_swept(sweep):
        typer.echo(f"trustsweep: incomplete: {plain(text)}", err=True)


def sweep(
    ctx: typer.Context,
    provider: ProviderOpt = [],
    target: TargetOpt = [],
    region: RegionOpt = [],
    out: OutOpt = None,
    mapping: MappingOpt = [],
    config: ConfigOpt = None,
    save_inventory: Annotated[
        Path | None, typer.Option("--save-inventory", help="Save the collected inventory (JSONL.gz) here.")
    ] = None,
    oscal_version: OscalVersionOpt = OscalVersion.v1_2_1,
    fmt: DocumentFormatOpt = DocumentFormat.json,
    check: CheckOpt = [],
    executor: Annotated[
        str | None,
        typer.Option(
            "--executor", help=("threads (default), processes, dask-local or a Dask scheduler address tcp://host:8786.")
        ),
    ] = None,
    workers: Annotated[int, typer.Option("--workers", help="Concurrent units of collection work.")] = 16,
    unit_timeout: Annotated[
        float | None,
        typer.Option(
            "--unit-timeout",
            metavar="SECONDS",
            help="Seconds a unit of work may take before it becomes an error result "
            "(default $TRUSTSWEEP_UNIT_TIMEOUT or 3600).",
        ),
    ] = None,
    store: StoreOpt = None,
    no_store: NoStoreOpt = False,
    quiet: QuietOpt = False,
    export: ExportOpt = [],
    resume: Annotated[
        str | None,
        typer.Option(
            "--resume",
            metavar="SWEEP_ID",
            help="Finish an interrupted sweep: the targets it recorded are carried over, only the rest is swept "
            "(same providers and options; needs the store).",
        ),
    ] = None,
) -> None:
    """Sweep live clouds, evaluate every check, map the results to SOC 2 criteria."""
    import uuid

    from ..config import load_config
    from ..pipeline import run
    from ..planning import split_targets
    from ..report.progress import CliProgress

    outputs = _outputs(out, oscal_version, fmt, store, no_store, export)
    if workers < 1:
        raise UserError(f"--workers must be at least 1, not {workers}")
    if unit_timeout is not None and not unit_timeout > 0:
        raise UserError(f"--unit-timeout must be more than 0 seconds, not {unit_timeout:g}")
    check_out_dir(out)
    check_out_dir(save_inventory)
    registry = context_registry(ctx)
    mapping_ = common.load_mapping(registry, mapping)
    cfg = load_config(config, registry)
    outputs.check(registry)
    if not provider:
        known = ", ".join(sorted(registry.providers)) or "none"
        raise UserError(f"name at least one --provider (installed: {known})")
    for name in provider:
        registry.provider_spec(name)
        if save_inventory is not None:
            check_out_dir(save_inventory / name)
    options = provider_options(ctx, provider)
    for name, regions in split_targets(region, provider).items():
        if regions:
            options.setdefault(name, {})["regions"] = regions
    outputs.evidence()  # a bad --store URL is bad input before any work
    sweep_id = resume or str(uuid.uuid4())
    try:
        with CliProgress(enabled=not quiet) as progress:
            result = run(
                registry,
                providers=provider,
                targets=target,
                provider_options=options,
                mapping=mapping_,
                config=cfg,
                executor=executor,
                workers=workers,
                unit_timeout=unit_timeout,
                progress=progress,
                save_inventory=save_inventory,
                only_checks=check,
                outputs=outputs,
                warn=_warn,
                sweep_id=sweep_id,
                resume=resume,
            )
    except KeyboardInterrupt:
        if no_store:
            raise  # nothing recorded to resume from: the command's own one line, exit 130
        hint = f"; the finished targets are recorded: trustsweep sweep --resume {sweep_id} (same options)"
        typer.echo(f"trustsweep: interrupted{hint}", err=True)
        raise typer.Exit(130) from None
    _finish(result, out)
    raise typer.Exit(result.exit_code)


def evaluate(
    inventory: Annotated[Path, typer.Option("--inventory", "-i", help="Directory written by --save-inventory.")],
    out: OutOpt = None,
    mapping: MappingOpt = [],
    config: ConfigOpt = None,
    oscal_version: OscalVersionOpt = OscalVersion.v1_2_1,
    fmt: DocumentFormatOpt = DocumentFormat.json,
    check: CheckOpt = [],
    store: StoreOpt = None,
    no_store: NoStoreOpt = False,
    accept_edited: Annotated[
        bool,
        typer.Option(
            "--accept-edited",
            help=(
                "Evaluate inventory files that do not match their seal (edited, or saved without one); "
                "the results say so."
            ),
        ),
    ] = False,
    export: ExportOpt = [],
) -> None:
    """Re-evaluate a saved inventory offline; no cloud API is called."""
    from ..config import load_config
    from ..pipeline import evaluate as evaluate_offline
    from ..provenance import warnings

    outputs = _outputs(out, oscal_version, fmt, store, no_store, export)
    check_out_dir(out)
    registry = common.load_registry()
    mapping_ = common.load_mapping(registry, mapping)
    cfg = load_config(config, registry)
    result = evaluate_offline(
        registry,
        inventory,
        mapping=mapping_,
        config=cfg,
        only_checks=check,
        accept_edited=accept_edited,
        outputs=outputs,
        warn=_warn,
    )
    for line in warnings(result.provenance, inventory):
        typer.echo(f"trustsweep: warning: {plain(line)}", err=True)
    _finish(result, out)
    raise typer.Exit(result.exit_code)


def demo(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Where to write the demo's OSCAL bundle and summary.")
    ] = Path("demo-out"),
    oscal_version: OscalVersionOpt = OscalVersion.v1_2_1,
    fmt: DocumentFormatOpt = DocumentFormat.json,
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            help=(
                "Evidence store URL (default: OUT/evidence.sqlite). A store holding anything the demo did not write "
                "is refused, unchanged."
            ),
        ),
    ] = None,
    quiet: QuietOpt = False,
    export: ExportOpt = [],
) -> None:
    """Sweep a bundled fictional estate served by local cloud emulators (no account, no network)."""
    import shlex

    from ..demo import run_demo
    from ..pipeline import publish
    from ..store.urls import parse_url

    store_url = store or f"sqlite:///{(out / 'evidence.sqlite').resolve()}"
    outputs = _outputs(out, oscal_version, fmt, store_url, False, export)
    registry = common.load_registry()
    mapping_ = common.load_mapping(registry)
    outputs.check(registry)
    result = run_demo(registry, mapping_, out, store_url=store_url, quiet=quiet)
    publish(result, registry, outputs, warn=_warn)
    _finish(result, out)
    typer.echo(
        f"demo: a real sweep of this estate would exit {result.exit_code} "
        f"({EXIT_MEANING.get(result.exit_code, '')}); the demo itself succeeded."
    )
    shown = shlex.quote(parse_url(store_url).redacted())
    typer.echo(f"demo: evidence store {shown}; inspect it with: trustsweep history --store {shown}")


def register(app: typer.Typer) -> None:
    """Add ``sweep`` (with the plugins' provider options), ``evaluate`` and ``demo`` to the CLI."""
    app.command(cls=WithPluginOptions)(sweep)
    app.command()(evaluate)
    app.command()(demo)
