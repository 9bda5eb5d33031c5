"""``assessment-plan``: the reviewed criteria, the subjects (every resource of each provider),
one activity per check and one task per provider. The results' ``import-ap`` points here.

An assessment plan must import an SSP; trustsweep has none, so ``import-ssp`` points at a
back-matter resource describing the swept targets.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..mappings import Mapping
from ..model import CheckSpec, Target
from .common import DEFAULT_VERSION, control_selection, line, metadata, prop, prose, uuid4, uuid5
from .components import plugin_component_uuid


def activity_uuid(check_id: str) -> str:
    """Stable uuid of the activity that runs one check."""
    return uuid5("activity", check_id)


def assessment_plan(mapping: Mapping, checks: dict[str, CheckSpec], providers: list[str], targets: list[Target], *,
                    oscal_version: str = DEFAULT_VERSION, tool_version: str = "0", chain_head: str = "",
                    now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or dt.datetime.now(dt.timezone.utc)
    index = mapping.check_index()
    system_uuid = uuid4()
    target_list = ", ".join(f"{t.provider}:{t.id}" for t in targets) or "none"
    plugins = sorted({spec.plugin or spec.provider for spec in checks.values()})
    local: dict[str, Any] = {}
    if plugins:
        local["components"] = [{
            "uuid": plugin_component_uuid(name),
            "type": "validation",
            "title": line(f"trustsweep plugin {name}"),
            "description": f"Collects and checks resources for the trustsweep plugin {name}.",
            "status": {"state": "operational"},
        } for name in plugins]
    activities = []
    for spec in sorted(checks.values(), key=lambda c: c.id):
        activity: dict[str, Any] = {
            "uuid": activity_uuid(spec.id),
            "title": line(spec.title),
            "description": prose(spec.rationale),
            "props": [prop("check-id", spec.id), prop("severity", spec.severity.value),
                      prop("resource-types", " ".join(spec.resource_types) or "-")],
        }
        criteria = [c for c in index.get(spec.id, []) if c in mapping.criteria]
        if criteria:
            activity["related-controls"] = control_selection(criteria)
        activities.append(activity)
    if activities:
        local["activities"] = activities
    doc: dict[str, Any] = {
        "uuid": uuid4(),
        "metadata": metadata(f"trustsweep assessment plan for {mapping.framework_title}", oscal_version=oscal_version,
                             tool_version=tool_version, last_modified=now, chain_head=chain_head),
        "import-ssp": {"href": f"#{system_uuid}"},
    }
    if local:
        doc["local-definitions"] = local
    doc["reviewed-controls"] = control_selection(list(mapping.criteria))
    doc["assessment-subjects"] = [{
        "type": "inventory-item",
        "description": prose(f"Every resource that the providers ({', '.join(providers) or 'none'}) collect "
                             f"in the swept targets: {target_list}."),
        "include-all": {},
    }]
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
    if tasks:
        doc["tasks"] = tasks
    doc["back-matter"] = {"resources": [{
        "uuid": system_uuid,
        "title": "System under assessment",
        "description": prose(f"The cloud targets trustsweep swept (no SSP is imported): {target_list}."),
        "props": [prop("targets", len(targets))],
    }]}
    return {"assessment-plan": doc}
