"""``assessment-plan``: the reviewed criteria, the subjects (every resource of each provider),
one activity per check (NIST method ``TEST``), one per attestation type (``EXAMINE``, related to
the criteria it evidences), one task per provider and one collecting the attestations. The
results' ``import-ap`` points here.

An assessment plan must import an SSP; trustsweep does not author one, so ``import-ssp`` points
at a back-matter resource that carries the description of the system under assessment (the
swept targets) inline as ``base64`` JSON: it resolves within the document (docs/oscal.md).
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import orjson

from ..mappings import Mapping
from ..model import CheckSpec, Target
from .common import DEFAULT_VERSION, control_selection, line, metadata, prop, prose, uuid4, uuid5
from .components import plugin_component_uuid


def activity_uuid(check_id: str) -> str:
    """Stable uuid of the activity that runs one check."""
    return uuid5("activity", check_id)


def attestation_activity_uuid(type_id: str) -> str:
    """Stable uuid of the activity that examines one type of attestation."""
    return uuid5("activity", "attestation", type_id)


def _method(value: str) -> dict[str, Any]:
    """NIST's ``method`` prop every activity needs (oscal-activity-type-cardinality)."""
    return prop("method", value, ns=None)


def attestation_activities(mapping: Mapping) -> list[dict[str, Any]]:
    """One ``EXAMINE`` activity per attestation type, related to the criteria it would evidence:
    the plan says which attestation covers a criterion no automated check decides."""
    covers: dict[str, list[str]] = {}
    for cid, entry in mapping.entries.items():
        if cid in mapping.criteria:
            for type_id in entry.attestations:
                covers.setdefault(type_id, []).append(cid)
    out = []
    for type_id in sorted(covers):
        kind = mapping.attestation_types.get(type_id)
        title = kind.title if kind else type_id
        validity = f" An attestation is valid for {kind.validity_days} days." if kind else ""
        out.append(
            {
                "uuid": attestation_activity_uuid(type_id),
                "title": line(f"Examine attestation: {title}"),
                "description": prose(
                    f"Examine the recorded attestation {type_id!r} ({title}) and the SHA-256 of its file "
                    f"(trustsweep attest add).{validity}"
                ),
                "props": [_method("EXAMINE"), prop("attestation-type", type_id)],
                "related-controls": control_selection(covers[type_id]),
            }
        )
    return out


def assessment_plan(
    mapping: Mapping,
    checks: dict[str, CheckSpec],
    providers: list[str],
    targets: list[Target],
    *,
    oscal_version: str = DEFAULT_VERSION,
    tool_version: str = "0",
    chain_head: str = "",
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    now = now or dt.datetime.now(dt.UTC)
    index = mapping.check_index()
    system_uuid = uuid4()
    target_list = ", ".join(f"{t.provider}:{t.id}" for t in targets) or "none"
    plugins = sorted({spec.plugin or spec.provider for spec in checks.values()})
    local: dict[str, Any] = {}
    if plugins:
        local["components"] = [
            {
                "uuid": plugin_component_uuid(name),
                "type": "validation",
                "title": line(f"trustsweep plugin {name}"),
                "description": f"Collects and checks resources for the trustsweep plugin {name}.",
                "status": {"state": "operational"},
            }
            for name in plugins
        ]
    activities = []
    for spec in sorted(checks.values(), key=lambda c: c.id):
        activity: dict[str, Any] = {
            "uuid": activity_uuid(spec.id),
            "title": line(spec.title),
            "description": prose(spec.rationale),
            "props": [
                _method("TEST"),
                prop("check-id", spec.id),
                prop("severity", spec.severity.value),
                prop("resource-types", " ".join(spec.resource_types) or "-"),
            ],
        }
        criteria = [c for c in index.get(spec.id, []) if c in mapping.criteria]
        if criteria:
            activity["related-controls"] = control_selection(criteria)
        activities.append(activity)
    examined = attestation_activities(mapping)
    activities += examined
    if activities:
        local["activities"] = activities
    doc: dict[str, Any] = {
        "uuid": uuid4(),
        "metadata": metadata(
            f"trustsweep assessment plan for {mapping.framework_title}",
            oscal_version=oscal_version,
            tool_version=tool_version,
            last_modified=now,
            chain_head=chain_head,
        ),
        "import-ssp": {"href": f"#{system_uuid}"},
    }
    if local:
        doc["local-definitions"] = local
    doc["reviewed-controls"] = control_selection(list(mapping.criteria))
    doc["assessment-subjects"] = [
        {
            "type": "inventory-item",
            "description": prose(
                f"Every resource that the providers ({', '.join(providers) or 'none'}) collect "
                f"in the swept targets: {target_list}."
            ),
            "include-all": {},
        }
    ]
    tasks = []
    for provider in providers:
        mine = sorted(c.id for c in checks.values() if c.provider == provider)
        task: dict[str, Any] = {
            "uuid": uuid5("task", provider),
            "type": "action",
            "title": line(f"Sweep {provider}"),
            "description": prose(f"Collect the {provider} inventory read-only and evaluate {len(mine)} check(s)."),
        }
        if mine:
            task["associated-activities"] = [
                {"activity-uuid": activity_uuid(c), "subjects": [{"type": "inventory-item", "include-all": {}}]}
                for c in mine
            ]
        tasks.append(task)
    if examined:
        tasks.append(
            {
                "uuid": uuid5("task", "attestations"),
                "type": "action",
                "title": "Examine attestations",
                "description": "Examine the manual evidence recorded for the criteria no API can evidence.",
                "associated-activities": [
                    {"activity-uuid": a["uuid"], "subjects": [{"type": "party", "include-all": {}}]} for a in examined
                ],
            }
        )
    if tasks:
        doc["tasks"] = tasks
    doc["back-matter"] = {"resources": [system_resource(system_uuid, providers, targets, target_list)]}
    return {"assessment-plan": doc}


def system_resource(
    resource_uuid: str, providers: list[str], targets: list[Target], target_list: str
) -> dict[str, Any]:
    """The back-matter resource ``import-ssp`` points at: the system under assessment, described
    inline (``base64`` JSON of the providers and targets swept) since trustsweep authors no SSP."""
    described = {"providers": providers, "targets": [{"provider": t.provider, "id": t.id} for t in targets]}
    return {
        "uuid": resource_uuid,
        "title": "System under assessment",
        "description": prose(f"The cloud targets trustsweep swept (trustsweep authors no SSP): {target_list}."),
        "props": [prop("targets", len(targets))],
        "base64": {
            "filename": "system-under-assessment.json",
            "media-type": "application/json",
            "value": base64.b64encode(orjson.dumps(described, option=orjson.OPT_SORT_KEYS)).decode(),
        },
    }
