"""The ``trustsweep`` command line (Typer).

Commands import cloud SDKs only when they sweep; ``--help``, ``plugins list``, ``checks list`` and
``controls`` never do. Exit codes: 0 every assessed criterion satisfied, 1 some not satisfied,
2 usage or bad input, 3 incomplete (some checks errored; wins over 1).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from .errors import UserError
from .report.text import plain, print_table

if TYPE_CHECKING:
    from .mappings import Mapping
    from .plugins import Registry
    from .sweep import Sweep

app = typer.Typer(
    name="trustsweep",
    help="Prove SOC 2 controls across AWS, GCP and Azure; write OSCAL assessment results.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)
plugins_app = typer.Typer(help="Installed plugins.", no_args_is_help=True)
checks_app = typer.Typer(help="Checks the installed plugins provide.", no_args_is_help=True)
app.add_typer(plugins_app, name="plugins")
app.add_typer(checks_app, name="checks")

OSCAL_VERSIONS = ("1.2.1", "1.1.3")
EXIT_MEANING = {0: "all assessed criteria satisfied", 1: "some criteria not satisfied",
                3: "incomplete: some checks could not run, or nothing of a provider was assessed"}


def version_text() -> str:
    """``trustsweep X.Y.Z`` and each installed plugin's distribution and version (no plugin is imported)."""
    import platform
    from importlib import metadata

    from . import __version__
    from .plugins import ENTRY_POINT_GROUP

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
    version: Annotated[bool, typer.Option("--version", "-V", is_eager=True, callback=_print_version,
                                          help="Print the version of trustsweep and its plugins, then exit.")] = False,
) -> None:
    """Options of ``trustsweep`` itself (``--version``); the commands below do the work."""


def _err(message: str) -> None:
    typer.echo(f"trustsweep: error: {plain(message)}", err=True)


@contextmanager
def handled() -> Iterator[None]:
    """Bad input → one line on stderr and exit 2, never a traceback (Ctrl-C: see :func:`main`)."""
    try:
        yield
    except UserError as exc:
        _err(str(exc))
        raise typer.Exit(2) from None


def _registry() -> Registry:
    from .plugins import Registry

    return Registry.load()


def _mapping(registry: Registry, user_files: Sequence[Path] = ()) -> Mapping:
    return registry.mapping(user_files)


def _check_out_dir(out: Path | None) -> None:
    """Fail early (exit 2) on an output directory that cannot be written."""
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


def _check_oscal_version(version: str) -> None:
    if version not in OSCAL_VERSIONS:
        raise UserError(f"unsupported --oscal-version {version!r} (choose {', '.join(OSCAL_VERSIONS)})")


def _env_value(raw: str, kind: str) -> Any:
    if kind == "flag":
        return raw.lower() in ("1", "true", "yes")
    return [v for v in raw.split(",") if v] if kind == "multi" else raw


def _parse_provider_options(registry: Registry, args: Sequence[str], providers: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Parse ``--aws-organization`` style options declared by plugins (passed as extra args).

    Precedence: command line, then the option's environment variable, then its default.
    """
    specs = {f"--{o.name}": o for o in registry.options}
    given: dict[str, dict[str, Any]] = {}
    i = 0
    while i < len(args):
        name, eq, inline = args[i].partition("=")
        spec = specs.get(name)
        if spec is None:
            known = ", ".join(sorted(specs)) or "none"
            raise UserError(f"unknown option {name!r} (provider options: {known})")
        if spec.provider not in providers:
            raise UserError(f"option {name} is for provider {spec.provider!r}, which is not being swept")
        if spec.kind == "flag":
            if eq:
                raise UserError(f"option {name} takes no value")
            value: Any = True
        elif eq:
            value = inline
        elif i + 1 < len(args):
            i += 1
            value = args[i]
        else:
            raise UserError(f"option {name} needs a value")
        bucket = given.setdefault(spec.provider, {})
        if spec.kind == "multi":
            bucket.setdefault(spec.key, []).append(value)
        else:
            bucket[spec.key] = value
        i += 1
    out: dict[str, dict[str, Any]] = {}
    for spec in registry.options:
        bucket = out.setdefault(spec.provider, {})
        if spec.key in given.get(spec.provider, {}):
            bucket[spec.key] = given[spec.provider][spec.key]
        elif spec.env and os.environ.get(spec.env):
            bucket[spec.key] = _env_value(os.environ[spec.env], spec.kind)
        elif spec.default is not None:
            bucket[spec.key] = spec.default
    return out


# --------------------------------------------------------------------------------------------
# sweep / evaluate / demo


ProviderOpt = Annotated[list[str], typer.Option("--provider", "-p", help="Provider to sweep (repeatable).")]
TargetOpt = Annotated[list[str], typer.Option("--target", "-t", help="Account, project or subscription id; PROVIDER:ID with several providers (repeatable).")]
RegionOpt = Annotated[list[str], typer.Option("--region", "-r", help="Limit to these regions; PROVIDER:REGION with several providers (repeatable).")]
OutOpt = Annotated[Optional[Path], typer.Option("--out", "-o", help="Write the OSCAL bundle and summary.md here.")]
MappingOpt = Annotated[list[Path], typer.Option("--mapping", help="Extra mapping file that adds to or overrides the built-in one (repeatable).")]
ConfigOpt = Annotated[Optional[Path], typer.Option("--config", "-c", envvar="TRUSTSWEEP_CONFIG", help="Config file: settings, check thresholds, waivers.")]
OscalVersionOpt = Annotated[str, typer.Option("--oscal-version", help="OSCAL version of the documents: 1.2.1 or 1.1.3.")]
FormatOpt = Annotated[str, typer.Option("--format", help="Document format: json or yaml.")]
CheckOpt = Annotated[list[str], typer.Option("--check", help="Run only these check ids (repeatable).")]
STORE_HELP = ("Evidence store URL: sqlite:///relative/path, sqlite:////absolute/path or postgresql://... "
              "Default: evidence.sqlite in the user data directory (~/.local/share/trustsweep/ on Linux, "
              "~/Library/Application Support/trustsweep/ on macOS). 'trustsweep demo' keeps its own store in "
              "OUT/evidence.sqlite: --store sqlite:///demo-out/evidence.sqlite.")
StoreOpt = Annotated[Optional[str], typer.Option("--store", envvar="TRUSTSWEEP_STORE", help=STORE_HELP)]
NoStoreOpt = Annotated[bool, typer.Option("--no-store", help="Do not record this sweep in the evidence store.")]
ExportOpt = Annotated[list[str], typer.Option("--export", "-e", help="Also write this format into --out: html, csv, ocsf, junit or a plugin's; NAME:OPTION adds an option, e.g. ocsf:passes (repeatable).")]


def _emit(sweep: Sweep, registry: Registry, out: Path | None, oscal_version: str, fmt: str,
          store_url: str | None, no_store: bool, quiet: bool = False,
          exports: dict[str, frozenset[str]] | None = None) -> None:
    """Outputs, then the ledger, then plugins and the summary; one direction, in that order.

    The bundle and ``summary.md`` are written to a temporary directory and moved into ``out``
    inside the store's append transaction (so they carry the chain head and the summary the
    history including this sweep): if writing them fails nothing is stored (exit 2); if the
    store then fails, the outputs are taken back and ``out`` is as it was.
    """
    from .outputs import Staged, write_outputs
    from .report.summary import print_summary

    staged: Staged | None = None

    def place(store: Any = None) -> None:
        nonlocal staged
        if out is not None:
            from .store import history_markdown

            extra = None
            if exports:
                from .export import run_exports

                def extra(staging: Path) -> None:
                    run_exports(registry.exporters, exports, sweep, staging,
                                window=_recent_window(store, sweep) if store is not None else None)

            staged = write_outputs(sweep, out, oscal_version=oscal_version, fmt=fmt, extra=extra,
                                   history=(lambda: history_markdown(store)) if store is not None else (lambda: ""))

    if no_store:
        place()
    else:
        from .store import record_sweep

        try:
            record_sweep(sweep, store_url, before_commit=place)
        except BaseException:
            if staged is not None:
                staged.undo()
            raise
    if staged is not None:
        staged.finish()
    try:
        registry.hooks.sweep_finished(sweep, out)
    except Exception as exc:  # a notification plugin must not change the outcome
        _err(f"a trustsweep_sweep_finished hook failed: {type(exc).__name__}: {exc}")
    if not quiet:
        print_summary(sweep, out)


def _recent_window(store: Any, sweep: Sweep) -> Any:
    """The Type II window of the report written with a sweep: the stored sweeps of the last 365 days."""
    import datetime as dt

    from .export.window import build_window
    from .store.history import load_history

    start = sweep.started - dt.timedelta(days=365)
    return build_window(load_history(store, start, None), start, sweep.finished)


def _check_exports(registry: Registry, exports: Sequence[str], out: Path | None) -> dict[str, frozenset[str]]:
    """``--export`` names and options, checked before any work (they need ``--out``)."""
    from .export import parse_exports

    parsed = parse_exports(registry.exporters, exports)
    if parsed and out is None:
        raise UserError("--export writes into the output folder: add --out DIR")
    return parsed


def _say_what_was_empty(sweep: Sweep) -> None:
    """One line on stderr per provider of which nothing was assessed (the exit code is then 3)."""
    from .sweep import nothing_swept

    for text in nothing_swept(sweep):
        typer.echo(f"trustsweep: incomplete: {plain(text)}", err=True)


def _load_context(mapping_files: Sequence[Path], config: Path | None) -> tuple[Registry, Mapping, Any]:
    from .config import load_config

    registry = _registry()
    mapping = _mapping(registry, mapping_files)
    cfg = load_config(config, registry)
    return registry, mapping, cfg


def _validate_common(oscal_version: str, fmt: str, out: Path | None) -> None:
    _check_oscal_version(oscal_version)
    if fmt not in ("json", "yaml"):
        raise UserError(f"unsupported --format {fmt!r} (json or yaml)")
    _check_out_dir(out)


def _stored_evidence(store_url: str | None, no_store: bool) -> Any:
    """What reads the store's attestations and waivers, once all input is checked (``None``: no store).

    The URL is checked now (bad input before any work); the store is neither opened nor created
    until the reader is called, and a SQLite store that does not exist yet is not created then.
    """
    if no_store:
        return None
    from .store import recorded_evidence
    from .store.urls import parse_url

    parse_url(store_url)
    return lambda: recorded_evidence(store_url)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def sweep(
    ctx: typer.Context,
    provider: ProviderOpt = [],
    target: TargetOpt = [],
    region: RegionOpt = [],
    out: OutOpt = None,
    mapping: MappingOpt = [],
    config: ConfigOpt = None,
    save_inventory: Annotated[Optional[Path], typer.Option("--save-inventory", help="Save the collected inventory (JSONL.gz) here.")] = None,
    oscal_version: OscalVersionOpt = "1.2.1",
    fmt: FormatOpt = "json",
    check: CheckOpt = [],
    executor: Annotated[Optional[str], typer.Option("--executor", help="threads (default), processes, dask-local or a Dask scheduler address tcp://host:8786.")] = None,
    workers: Annotated[int, typer.Option("--workers", help="Concurrent units of collection work.")] = 16,
    store: StoreOpt = None,
    no_store: NoStoreOpt = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
    export: ExportOpt = [],
) -> None:
    """Sweep live clouds, evaluate every check, map the results to SOC 2 criteria."""
    with handled():
        from .collect import make_executor
        from .sweep import run_sweep, split_targets

        _validate_common(oscal_version, fmt, out)
        if workers < 1:
            raise UserError(f"--workers must be at least 1, not {workers}")
        if save_inventory is not None:
            _check_out_dir(save_inventory)
        registry, mapping_, cfg = _load_context(mapping, config)
        exports = _check_exports(registry, export, out)
        if not provider:
            known = ", ".join(sorted(registry.providers)) or "none"
            raise UserError(f"name at least one --provider (installed: {known})")
        for name in provider:
            registry.provider_spec(name)
            if save_inventory is not None:
                _check_out_dir(save_inventory / name)
        options = _parse_provider_options(registry, ctx.args, provider)
        for name, regions in split_targets(region, provider).items():
            if regions:
                options.setdefault(name, {})["regions"] = regions
        evidence = _stored_evidence(store, no_store)
        from .report.progress import CliProgress

        with CliProgress(enabled=not quiet) as progress, make_executor(executor, workers) as pool:
            result = run_sweep(
                registry, mapping_, providers=provider, targets=target, provider_options=options,
                config=cfg, executor=pool, progress=progress, save_inventory=save_inventory,
                only_checks=check, evidence=evidence,
            )
        _emit(result, registry, out, oscal_version, fmt, store, no_store, exports=exports)
        _say_what_was_empty(result)
    raise typer.Exit(result.exit_code)


@app.command()
def evaluate(
    inventory: Annotated[Path, typer.Option("--inventory", "-i", help="Directory written by --save-inventory.")],
    out: OutOpt = None,
    mapping: MappingOpt = [],
    config: ConfigOpt = None,
    oscal_version: OscalVersionOpt = "1.2.1",
    fmt: FormatOpt = "json",
    check: CheckOpt = [],
    store: StoreOpt = None,
    no_store: NoStoreOpt = False,
    accept_edited: Annotated[bool, typer.Option("--accept-edited", help="Evaluate inventory files that do not match their seal (edited, or saved without one); the results say so.")] = False,
    export: ExportOpt = [],
) -> None:
    """Re-evaluate a saved inventory offline; no cloud API is called."""
    with handled():
        from .sweep import evaluate_inventory

        _validate_common(oscal_version, fmt, out)
        registry, mapping_, cfg = _load_context(mapping, config)
        exports = _check_exports(registry, export, out)
        result = evaluate_inventory(registry, mapping_, inventory, config=cfg, only_checks=check,
                                    evidence=_stored_evidence(store, no_store), accept_edited=accept_edited)
        from .provenance import warnings

        for line in warnings(result.provenance, inventory):
            typer.echo(f"trustsweep: warning: {plain(line)}", err=True)
        _emit(result, registry, out, oscal_version, fmt, store, no_store, exports=exports)
        _say_what_was_empty(result)
    raise typer.Exit(result.exit_code)


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the demo's OSCAL bundle and summary.")] = Path("demo-out"),
    oscal_version: OscalVersionOpt = "1.2.1",
    fmt: FormatOpt = "json",
    store: Annotated[Optional[str], typer.Option("--store", help="Evidence store URL (default: OUT/evidence.sqlite). A store holding anything the demo did not write is refused, unchanged.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
    export: ExportOpt = [],
) -> None:
    """Sweep a bundled fictional estate served by local cloud emulators (no account, no network)."""
    with handled():
        import shlex

        from .demo import run_demo
        from .store.urls import parse_url

        _validate_common(oscal_version, fmt, out)
        registry = _registry()
        mapping_ = _mapping(registry)
        exports = _check_exports(registry, export, out)
        store_url = store or f"sqlite:///{(out / 'evidence.sqlite').resolve()}"
        result = run_demo(registry, mapping_, out, store_url=store_url, quiet=quiet)
        _emit(result, registry, out, oscal_version, fmt, store_url, False, exports=exports)
        typer.echo(f"demo: a real sweep of this estate would exit {result.exit_code} "
                   f"({EXIT_MEANING.get(result.exit_code, '')}); the demo itself succeeded.")
        shown = shlex.quote(parse_url(store_url).redacted())
        typer.echo(f"demo: evidence store {shown}; inspect it with: trustsweep history --store {shown}")


# --------------------------------------------------------------------------------------------
# listing commands (no cloud SDK import)


def _table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    print_table(title, columns, rows)


def _json_out(data: Any) -> None:
    import orjson

    sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")


def _format(fmt: str) -> str:
    if fmt not in ("table", "json"):
        raise UserError(f"unsupported --format {fmt!r} (table or json)")
    return fmt


@plugins_app.command("list")
def plugins_list(fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table") -> None:
    """Installed plugins, the providers and checks each declares."""
    with handled():
        _format(fmt)
        registry = _registry()
        rows = []
        for info in registry.plugins:
            providers = [p.name for p in registry.providers.values() if p.plugin == info.name]
            checks = [c for c in registry.checks.values() if c.plugin == info.name]
            rows.append({"name": info.name, "module": info.module, "distribution": info.distribution,
                         "version": info.version, "providers": providers, "checks": len(checks),
                         "emulator": any(e.provider in providers for e in registry.emulators.values())})
        if fmt == "json":
            _json_out(rows)
        else:
            _table("Plugins", ["name", "distribution", "version", "providers", "checks", "emulator"],
                   [[r["name"], r["distribution"], r["version"], ", ".join(r["providers"]), r["checks"],
                     "yes" if r["emulator"] else ""] for r in rows])


@app.command()
def controls(
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    mapping: MappingOpt = [],
) -> None:
    """The 61 SOC 2 criteria × providers: how many checks and which attestation types evidence each."""
    with handled():
        _format(fmt)
        registry = _registry()
        mapping_ = _mapping(registry, mapping)
        providers = sorted(registry.providers)
        rows = []
        for cid, criterion in mapping_.criteria.items():
            entry = mapping_.entries[cid]
            per = {p: sum(1 for c in entry.checks if registry.checks[c].provider == p) for p in providers}
            rows.append({"id": cid, "category": criterion.category, "title": criterion.title,
                         "checks": per, "attestations": list(entry.attestations)})
        if fmt == "json":
            _json_out(rows)
        else:
            _table("SOC 2 criteria coverage", ["criterion", *providers, "attestations", "title"],
                   [[r["id"], *[r["checks"][p] or "" for p in providers], ", ".join(r["attestations"]),
                     r["title"]] for r in rows])


@app.command()
def validate(
    file: Annotated[Path, typer.Argument(help="An OSCAL JSON or YAML document, ours or not.")],
    schema_dir: Annotated[Optional[Path], typer.Option("--schema-dir", envvar="TRUSTSWEEP_OSCAL_SCHEMA_DIR", help="Directory holding NIST's OSCAL JSON schemas (per version subfolders or flat).")] = None,
    oscal_version: Annotated[Optional[str], typer.Option("--oscal-version", help="Validate against this OSCAL version (default: the document's own).")] = None,
) -> None:
    """Validate an OSCAL document: NIST's JSON schema plus uuid uniqueness and references."""
    with handled():
        from .files import require_input
        from .oscal.validate import validate_file

        require_input(file)
        problems = validate_file(file, schema_dir=schema_dir, oscal_version=oscal_version)
        if problems:
            for problem in problems:
                typer.echo(plain(problem))
            typer.echo(plain(f"{file}: {len(problems)} problem(s)"), err=True)
            raise typer.Exit(2)
        typer.echo(plain(f"{file}: valid"))


def _register_extensions() -> None:
    """Commands that live in their own modules (checks, evidence store, reports)."""
    from . import cli_checks, cli_report, cli_store

    cli_checks.register(checks_app)
    cli_store.register(app)
    cli_report.register(app)


def _describe_provider_options() -> None:
    """List the plugins' provider options in ``sweep --help`` (only loaded when asked for)."""
    registry = _registry()
    lines = ["Provider options (from the installed plugins):", ""]
    for spec in sorted(registry.options, key=lambda o: o.name):
        value = "" if spec.kind == "flag" else " VALUE" + (" (repeatable)" if spec.kind == "multi" else "")
        env = f" [env {spec.env}]" if spec.env else ""
        lines.append(f"--{spec.name}{value}: {spec.help}{env}")
    for info in app.registered_commands:
        if info.name == "sweep" or (info.name is None and info.callback is sweep):
            info.epilog = "\n\n".join(lines)


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
        _err("interrupted")
        sys.stderr.flush()
    finally:
        os._exit(130)


def main() -> None:
    import signal

    _forgiving_streams()
    try:
        _register_extensions()
        argv = sys.argv[1:]
        if argv[:1] == ["sweep"] and ("--help" in argv or "-h" in argv):
            with handled():
                _describe_provider_options()
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


if __name__ == "__main__":
    main()
