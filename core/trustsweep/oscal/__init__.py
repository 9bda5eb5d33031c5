"""OSCAL output: the bundle of four documents a sweep writes, and the pieces the store reuses.

* :func:`write_bundle` — ``catalog``, ``assessment-plan``, ``component-definition`` and
  ``assessment-results`` (``.json`` or ``.yaml``) into a directory, each written atomically.
* :func:`build_result` — one deterministic OSCAL ``result`` for a Sweep (plain dicts).
* :func:`assessment_results_document` — wrap results (e.g. one per stored sweep of an audit
  window) into an ``assessment-results`` document.
* :func:`dump` — write a document atomically as JSON or YAML.

Validation lives in :mod:`trustsweep.oscal.validate`. See ``docs/oscal.md``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UserError
from .catalog import catalog_document
from .common import DEFAULT_VERSION, NS, SUPPORTED_VERSIONS, TRESTLE_NS, gc_paused
from .components import component_definition
from .io import FORMATS, INDENT_LIMIT, Stream, dump, dump_streaming
from .plan import assessment_plan
from .results import assessment_results_document, build_result, stream_result

if TYPE_CHECKING:
    from ..sweep import Sweep

__all__ = [
    "BUNDLE",
    "DEFAULT_VERSION",
    "NS",
    "SUPPORTED_VERSIONS",
    "TRESTLE_NS",
    "assessment_results_document",
    "build_result",
    "dump",
    "stream_result",
    "write_bundle",
]

#: The documents of a bundle, in the order they are written (file stem).
BUNDLE = ("catalog", "component-definition", "assessment-plan", "assessment-results")


def streamed_results_document(sweep: Sweep, **options: Any) -> dict[str, Any]:
    """The assessment-results document of one sweep with its bulk as :class:`Stream` objects,
    for :func:`~trustsweep.oscal.io.dump_streaming` (options as for
    :func:`assessment_results_document`). Pause the GC while writing it."""
    result, tests = stream_result(sweep)
    doc = assessment_results_document([result], **options)  # back-matter from the EXAMINE observations
    if sweep.results:
        result["observations"] = Stream(tests, result["observations"])
    elif not result["observations"]:
        del result["observations"]  # no empty arrays in OSCAL
    return doc


def write_bundle(sweep: Sweep, out_dir: Path, *, oscal_version: str = DEFAULT_VERSION, fmt: str = "json") -> list[Path]:
    """Write the four OSCAL documents of a sweep into ``out_dir``; return their paths.

    ``sweep.chain_head`` (set by the evidence store) goes into each document's metadata props.
    """
    if oscal_version not in SUPPORTED_VERSIONS:
        raise UserError(f"unsupported OSCAL version {oscal_version!r} (choose {', '.join(SUPPORTED_VERSIONS)})")
    if fmt not in FORMATS:
        raise UserError(f"unsupported format {fmt!r} (json or yaml)")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    common = {
        "oscal_version": oscal_version,
        "tool_version": sweep.tool_version,
        "chain_head": sweep.chain_head,
        "now": now,
    }
    plugins = [(p.name, p.version) for p in sweep.plugins]
    docs = {
        "catalog": catalog_document(sweep.mapping, **common),
        "component-definition": component_definition(
            sweep.mapping, sweep.checks, plugins, catalog_href=f"catalog.{fmt}", **common
        ),
        "assessment-plan": assessment_plan(sweep.mapping, sweep.checks, sweep.providers, sweep.targets, **common),
    }
    paths = [dump(docs[name], out / f"{name}.{fmt}", fmt) for name in BUNDLE[:-1]]
    results_options = {
        "oscal_version": oscal_version,
        "chain_head": sweep.chain_head,
        "import_ap": f"assessment-plan.{fmt}",
        "tool_version": sweep.tool_version,
        "last_modified": now,
    }
    path = out / f"assessment-results.{fmt}"
    if fmt == "json" and len(sweep.results) > INDENT_LIMIT:
        # large: compact JSON, observations built and written chunk by chunk (bounded memory)
        with gc_paused():
            paths.append(dump_streaming(streamed_results_document(sweep, **results_options), path))
    else:
        doc = assessment_results_document([build_result(sweep, oscal_version=oscal_version)], **results_options)
        paths.append(dump(doc, path, fmt))
    return paths
