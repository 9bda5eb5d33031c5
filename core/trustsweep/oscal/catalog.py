"""``catalog``: the SOC 2 criteria as OSCAL controls, grouped by category (``Security / CC6 ...``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..mappings import Mapping
from .common import DEFAULT_VERSION, line, metadata, prop, token, uuid4


def catalog_document(
    mapping: Mapping,
    *,
    oscal_version: str = DEFAULT_VERSION,
    tool_version: str = "0",
    chain_head: str = "",
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """The catalog of criteria; control ids are the criterion ids (``CC6.1``).

    A category ``Security / CC6 Logical access`` becomes group ``security`` with sub-group
    ``security-cc6-logical-access``.
    """
    now = now or dt.datetime.now(dt.UTC)
    top: dict[str, dict[str, Any]] = {}
    for criterion in mapping.criteria.values():
        path = [p.strip() for p in criterion.category.split("/") if p.strip()] or ["Criteria"]
        groups = top
        group: dict[str, Any] = {}
        for depth in range(len(path)):
            gid = token("-".join(path[: depth + 1]), "group")
            group = groups.get(gid) or groups.setdefault(gid, {"id": gid, "title": line(path[depth]), "_sub": {}})
            groups = group["_sub"]
        entry = mapping.entries[criterion.id]
        parts = [{"id": token(f"{criterion.id}_smt", "smt"), "name": "statement", "prose": line(criterion.title)}]
        if entry.attestations:
            titles = [mapping.attestation_types[t].title for t in entry.attestations if t in mapping.attestation_types]
            parts.append(
                {
                    "id": token(f"{criterion.id}_gdn", "gdn"),
                    "name": "guidance",
                    "prose": "Manual evidence accepted: " + "; ".join(titles) + ".",
                }
            )
        group.setdefault("controls", []).append(
            {
                "id": criterion.id,
                "class": "soc2-criterion",
                "title": line(criterion.title),
                "props": [prop("label", criterion.id, ns=None), prop("category", criterion.category)],
                "parts": parts,
            }
        )
    doc = {
        "uuid": uuid4(),
        "metadata": metadata(
            f"{mapping.framework_title}: criteria catalog",
            oscal_version=oscal_version,
            tool_version=tool_version,
            last_modified=now,
            chain_head=chain_head,
            props=[prop("mapping-digest", mapping.digest)],
        ),
        "groups": [_finish(g) for g in top.values()],
    }
    return {"catalog": doc}


def _finish(group: dict[str, Any]) -> dict[str, Any]:
    sub = group.pop("_sub")
    out = {"id": group["id"], "title": group["title"]}
    if "controls" in group:
        out["controls"] = group["controls"]
    if sub:
        out["groups"] = [_finish(g) for g in sub.values()]
    return out
