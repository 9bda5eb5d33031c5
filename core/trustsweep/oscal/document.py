"""The ``assessment-results`` document around results, and its back-matter of attestation evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .common import DEFAULT_VERSION, NS, line, metadata, prop, prose, timestamp, uuid4, uuid5

if TYPE_CHECKING:
    from ..model import Attestation


def evidence_resource_uuid(att: Attestation) -> str:
    """Stable uuid of the back-matter resource holding an attestation's file hash."""
    return uuid5("evidence", att.id, att.sha256)


def back_matter_resources(results: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Back-matter resources (file name + SHA-256) for the attestation evidence the results cite."""
    resources: dict[str, dict[str, Any]] = {}
    for result in results:
        for obs in result.get("observations") or ():
            if "EXAMINE" not in (obs.get("methods") or ()):
                continue
            for ev in obs.get("relevant-evidence") or ():
                href = ev.get("href") or ""
                values = {p["name"]: p["value"] for p in ev.get("props") or () if p.get("ns") == NS}
                if not href.startswith("#") or "sha256" not in values or href[1:] in resources:
                    continue
                filename = values.get("filename", "evidence")
                resources[href[1:]] = {
                    "uuid": href[1:],
                    "title": line(filename),
                    "description": prose(f"Attestation evidence file {filename}."),
                    "props": [prop("sha256", values["sha256"])],
                    "rlinks": [
                        {
                            "href": quote(filename) or "evidence",
                            "hashes": [{"algorithm": "SHA-256", "value": values["sha256"]}],
                        }
                    ],
                }
    return list(resources.values())


def assessment_results_document(
    results: list[dict[str, Any]],
    *,
    oscal_version: str = DEFAULT_VERSION,
    chain_head: str = "",
    title: str = "trustsweep SOC 2 assessment results",
    import_ap: str = "assessment-plan.json",
    tool_version: str | None = None,
    last_modified: dt.datetime | None = None,
) -> dict[str, Any]:
    """Wrap results (from :func:`build_result`) in an ``assessment-results`` document.

    ``import_ap`` is the (relative) href of the assessment plan; the evidence store exporting an
    audit window passes one result per stored sweep. The document uuid is a fresh v4.
    """
    from .. import __version__

    doc: dict[str, Any] = {
        "uuid": uuid4(),
        "metadata": metadata(
            title,
            oscal_version=oscal_version,
            tool_version=tool_version or __version__,
            last_modified=last_modified or dt.datetime.now(dt.UTC),
            chain_head=chain_head,
        ),
        "import-ap": {"href": import_ap},
    }
    if results:
        doc["results"] = results
    else:  # results is required and may not be empty: say that nothing was swept
        doc["results"] = [
            {
                "uuid": uuid4(),
                "title": "No sweep in this window",
                "description": "No sweep was recorded for the requested period.",
                "start": timestamp(last_modified or dt.datetime.now(dt.UTC)),
                "reviewed-controls": {"control-selections": [{"include-all": {}}]},
            }
        ]
    resources = back_matter_resources(results)
    if resources:
        doc["back-matter"] = {"resources": resources}
    return {"assessment-results": doc}
