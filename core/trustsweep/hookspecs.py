"""The hooks a trustsweep plugin can implement.

Plugins are discovered through the ``trustsweep`` entry-point group; each entry point names a
module (or object) whose ``trustsweep_*`` functions, decorated with :data:`hookimpl`, implement
the hooks below. Registration only *declares*: a plugin must not import a cloud SDK at import time
or in these hooks. Hook arguments may be added in later versions, never renamed or removed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from .export import ExporterSpec
    from .model import CheckSpec, EmulatorSpec, OptionSpec, ProviderSpec
    from .sweep import Sweep

PROJECT = "trustsweep"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def trustsweep_providers() -> list[ProviderSpec]:
    """Declare the providers (clouds or other systems) this plugin can sweep.

    :return: a list of :class:`~trustsweep.model.ProviderSpec`; the provider class named by
        ``factory`` is imported only when a sweep uses it.

    Called once at start-up; results of all plugins are concatenated. Provider names must be
    unique across plugins. Added in 0.1.
    """


@hookspec
def trustsweep_checks() -> list[CheckSpec]:
    """Declare the checks this plugin provides.

    :return: a list of :class:`~trustsweep.model.CheckSpec`. Check ids are globally unique,
        stable and provider-prefixed (``aws.s3.bucket_encryption``); renamed checks keep their
        old id in ``aliases``. The check function named by ``function`` is imported only when a
        check is evaluated.

    Called once at start-up; a check id (or alias) declared twice is an error naming both
    plugins. Added in 0.1.
    """


@hookspec
def trustsweep_options() -> list[OptionSpec]:
    """Declare provider-specific options of ``trustsweep sweep`` (e.g. ``--aws-organization``).

    :return: a list of :class:`~trustsweep.model.OptionSpec`; values reach the provider class
        as ``options[spec.key]``.

    Called when the command line is parsed; results are concatenated. Added in 0.1.
    """


@hookspec
def trustsweep_mapping_files() -> list[Path]:
    """Contribute mapping files (criterion → check ids / attestation types).

    :return: paths of YAML files in the format of ``mappings/soc2/*.yaml``; they are loaded
        after the built-in mappings and validated the same way.

    Results are concatenated. Added in 0.1.
    """


@hookspec
def trustsweep_emulators() -> list[EmulatorSpec]:
    """Declare local emulators of a provider's API serving a demo estate.

    :return: a list of :class:`~trustsweep.model.EmulatorSpec`; ``trustsweep demo`` starts each
        and sweeps it through the real provider plugin and SDK.

    Results are concatenated. Added in 0.1.
    """


@hookspec
def trustsweep_sweep_finished(sweep: Sweep, out_dir: Path | None) -> None:
    """Called after a sweep has been evaluated, stored and written.

    :param sweep: the finished :class:`~trustsweep.sweep.Sweep` (read-only by convention).
    :param out_dir: the output directory, or ``None`` when nothing was written.

    Use it to send notifications or write extra reports. Exceptions raised here are reported
    and do not change the sweep's outcome. Added in 0.1.
    """


@hookspec
def trustsweep_exporters() -> list[ExporterSpec]:
    """Declare export formats that ``--export NAME`` writes beside the OSCAL bundle.

    :return: a list of :class:`~trustsweep.export.ExporterSpec`; ``writer`` is the dotted path of
        ``writer(sweep, out_dir, ctx) -> list[Path]``, imported only when the format is asked for
        (``ctx``: a :class:`~trustsweep.export.ExportContext` with the options and the window).

    Called once at start-up; results are concatenated. Format names are unique across plugins; a
    clash is an error naming both plugins. Added in 0.2.
    """
