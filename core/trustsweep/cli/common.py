"""What every command shares: the one-line error handling, output helpers, registry loading, choices and options.

Bad input of any kind — a :class:`UserError` from the engine or a usage error from Click (an unknown
option, a value not among the choices) — is one line on stderr, ``trustsweep: error: ...``, and exit 2.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer._click.exceptions import BadParameter, ClickException, NoArgsIsHelpError
from typer.core import TyperGroup

from ..errors import UserError
from ..report.text import plain, print_table

if TYPE_CHECKING:
    from ..mappings import Mapping
    from ..plugins import Registry


def err(message: str) -> None:
    """``trustsweep: error: MESSAGE`` on stderr, as one line of inert text."""
    typer.echo(f"trustsweep: error: {plain(message)}", err=True)


def _usage_message(exc: ClickException) -> str:
    """Click's usage error as one line: ``invalid value for --format: 'xml' is not one of ...``."""
    if isinstance(exc, BadParameter) and exc.param is not None:
        names = " / ".join(getattr(exc.param, "opts", None) or [exc.param.name or "?"])
        message = f"invalid value for {names}: {exc.message}"
    else:
        message = exc.format_message()
    message = " ".join(message.split()).rstrip(".")
    message = message[:1].lower() + message[1:]
    ctx = getattr(exc, "ctx", None)
    return f"{message} (see '{ctx.command_path} --help')" if ctx is not None else message


class App(TyperGroup):
    """The ``trustsweep`` group: bad input of any kind is one line and exit 2, never a usage dump."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            code = super().main(
                args=args,
                prog_name=prog_name,
                complete_var=complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            )
        except NoArgsIsHelpError as exc:  # a bare group: its help, as Click shows it
            exc.show()
            code = exc.exit_code
        except ClickException as exc:
            err(_usage_message(exc))
            code = 2
        except UserError as exc:
            err(str(exc))
            code = exc.exit_code
        except typer.Abort:
            err("aborted")
            code = 1
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


def load_registry() -> Registry:
    """The installed plugins (tests replace this to run the CLI in-process on another registry)."""
    from ..plugins import Registry

    return Registry.load()


def load_mapping(registry: Registry, user_files: Sequence[Path] = ()) -> Mapping:
    """The built-in and plugins' mappings plus the user's ``--mapping`` files."""
    return registry.mapping(user_files)


def table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    print_table(title, columns, rows)


def json_out(data: Any) -> None:
    import orjson

    sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")


# --------------------------------------------------------------------------------------------
# choices


class OscalVersion(StrEnum):
    """OSCAL versions the documents can be written in (the same as ``oscal.common.SUPPORTED_VERSIONS``)."""

    v1_2_1 = "1.2.1"
    v1_1_3 = "1.1.3"


class DocumentFormat(StrEnum):
    json = "json"
    yaml = "yaml"


class ListFormat(StrEnum):
    table = "table"
    json = "json"


class VerifyFormat(StrEnum):
    text = "text"
    json = "json"


class HistoryFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"


# --------------------------------------------------------------------------------------------
# options several commands take

STORE_HELP = (
    "Evidence store URL: sqlite:///relative/path, sqlite:////absolute/path or postgresql://... "
    "Default: evidence.sqlite in the user data directory (~/.local/share/trustsweep/ on Linux, "
    "~/Library/Application Support/trustsweep/ on macOS). 'trustsweep demo' keeps its own store in "
    "OUT/evidence.sqlite: --store sqlite:///demo-out/evidence.sqlite."
)
StoreOpt = Annotated[str | None, typer.Option("--store", envvar="TRUSTSWEEP_STORE", help=STORE_HELP)]
MappingOpt = Annotated[
    list[Path],
    typer.Option("--mapping", help="Extra mapping file that adds to or overrides the built-in one (repeatable)."),
]
ListFormatOpt = Annotated[ListFormat, typer.Option("--format", help="Output format.")]
OscalVersionOpt = Annotated[OscalVersion, typer.Option("--oscal-version", help="OSCAL version of the documents.")]
DocumentFormatOpt = Annotated[DocumentFormat, typer.Option("--format", help="Document format.")]
