"""``component-definition``: one component per plugin, its checks as rules in trestle's convention.

Each check becomes a rule set on the plugin's component: props ``Rule_Id``, ``Rule_Description``,
``Check_Id``, ``Check_Description`` in compliance-trestle's namespace sharing ``remarks:
rule_set_<n>``. Each criterion the plugin's checks evidence gets an implemented-requirement whose
``Rule_Id`` props name those checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from ..mappings import Mapping
from ..model import CheckSpec
from .common import DEFAULT_VERSION, TRESTLE_NS, line, metadata, prop, prose, uuid4, uuid5


def plugin_component_uuid(plugin: str) -> str:
    """Stable uuid of a plugin's component (the same in every bundle)."""
    return uuid5("component", "plugin", plugin)


def rule_props(checks: Iterable[CheckSpec]) -> list[dict[str, Any]]:
    props: list[dict[str, Any]] = []
    for n, spec in enumerate(sorted(checks, key=lambda c: c.id)):
        rule_set = f"rule_set_{n:03d}"
        props += [
            prop("Rule_Id", spec.id, ns=TRESTLE_NS, remarks=rule_set),
            prop("Rule_Description", spec.title, ns=TRESTLE_NS, remarks=rule_set),
            prop("Check_Id", spec.id, ns=TRESTLE_NS, remarks=rule_set),
            prop(
                "Check_Description",
                f"{spec.title}. {spec.rationale}".replace("..", "."),
                ns=TRESTLE_NS,
                remarks=rule_set,
            ),
        ]
    return props


def component_definition(
    mapping: Mapping,
    checks: dict[str, CheckSpec],
    plugins: Iterable[tuple[str, str]],
    *,
    oscal_version: str = DEFAULT_VERSION,
    tool_version: str = "0",
    chain_head: str = "",
    catalog_href: str = "catalog.json",
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """``plugins``: (name, version) of every plugin; those declaring no check get no component."""
    now = now or dt.datetime.now(dt.UTC)
    index = mapping.check_index()
    by_plugin: dict[str, list[CheckSpec]] = {}
    for spec in checks.values():
        by_plugin.setdefault(spec.plugin or spec.provider, []).append(spec)
    versions = dict(plugins)
    components: list[dict[str, Any]] = []
    for name in sorted(by_plugin):
        specs = by_plugin[name]
        requirements: dict[str, list[str]] = {}
        for spec in sorted(specs, key=lambda c: c.id):
            for criterion in index.get(spec.id, []):
                requirements.setdefault(criterion, []).append(spec.id)
        component: dict[str, Any] = {
            "uuid": plugin_component_uuid(name),
            "type": "validation",
            "title": line(f"trustsweep plugin {name}"),
            "description": prose(
                f"Checks of the trustsweep plugin {name!r}"
                f"{' version ' + versions[name] if versions.get(name) else ''}: "
                f"{len(specs)} check(s) over providers {', '.join(sorted({s.provider for s in specs}))}."
            ),
            "props": rule_props(specs),
        }
        ordered = [c for c in mapping.criteria if c in requirements]
        if ordered:
            component["control-implementations"] = [
                {
                    "uuid": uuid5("control-implementation", name, mapping.framework),
                    "source": catalog_href,
                    "description": f"SOC 2 criteria evidenced by the checks of plugin {name}.",
                    "implemented-requirements": [
                        {
                            "uuid": uuid5("implemented-requirement", name, cid),
                            "control-id": cid,
                            "description": prose(f"{cid} is evidenced by: {', '.join(requirements[cid])}."),
                            "props": [prop("Rule_Id", c, ns=TRESTLE_NS) for c in requirements[cid]],
                        }
                        for cid in ordered
                    ],
                }
            ]
        components.append(component)
    doc: dict[str, Any] = {
        "uuid": uuid4(),
        "metadata": metadata(
            f"trustsweep checks as rules for {mapping.framework_title}",
            oscal_version=oscal_version,
            tool_version=tool_version,
            last_modified=now,
            chain_head=chain_head,
        ),
    }
    if components:
        doc["components"] = components
    return {"component-definition": doc}
