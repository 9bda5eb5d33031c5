"""The parts of a sweep's OSCAL ``result`` that do not grow with the number of resources or results:
the components, the result's own fields (props, description, remarks), the attestation (EXAMINE)
observations, and each finding without its related observations. :mod:`.results` streams the bulk
around them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .. import provenance
from ..aggregate import SATISFIED, Basis, CriterionFinding
from .common import control_selection, line, prop, prose, timestamp, uuid5
from .observations import attestation_observation

if TYPE_CHECKING:
    from ..sweep import Sweep


def collected(sweep: Sweep) -> str:
    """When the evidence was collected: ``stats["collected_at"]`` (offline evaluation), else the start."""
    raw = sweep.stats.get("collected_at") if isinstance(sweep.stats, dict) else None
    if isinstance(raw, str):
        try:
            return timestamp(dt.datetime.fromisoformat(raw))
        except ValueError:
            pass
    return timestamp(sweep.started)


def components(sweep: Sweep, sid: str, tool_uuid: str) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The tool and each plugin (one per name) as components, and each plugin name's component uuid."""
    out = [
        {
            "uuid": tool_uuid,
            "type": "software",
            "title": "trustsweep",
            "description": prose(
                f"trustsweep {sweep.tool_version}: sweeps clouds read-only and evaluates SOC 2 checks."
            ),
            "props": [prop("version", sweep.tool_version, ns=None)],
            "status": {"state": "operational"},
        }
    ]
    plugin_uuid: dict[str, str] = {}
    for info in sweep.plugins:
        if info.name in plugin_uuid:
            continue
        cid = plugin_uuid[info.name] = uuid5(sid, "component", "plugin", info.name)
        props = [prop("plugin", info.name)]
        if info.version:
            props.append(prop("version", info.version, ns=None))
        if info.distribution:
            props.append(prop("distribution", info.distribution))
        out.append(
            {
                "uuid": cid,
                "type": "software",
                "title": line(f"trustsweep plugin {info.name}"),
                "description": prose(f"Plugin {info.name} ({info.module})."),
                "props": props,
                "status": {"state": "operational"},
            }
        )
    return out, plugin_uuid


def result_head(sweep: Sweep, sid: str, local: dict[str, Any]) -> dict[str, Any]:
    """The result's fields up to ``reviewed-controls`` (``local`` = its local-definitions)."""
    s = sweep
    counts = s.counts()
    targets = ", ".join(f"{t.provider}:{t.id}" for t in s.targets) or "none"
    props = [
        prop("sweep-id", s.id),
        prop("exit-code", s.exit_code),
        prop("incomplete", str(s.incomplete).lower()),
        prop("mapping-digest", s.mapping.digest),
    ]
    props += [prop(name, value) for name, value in provenance.props(s.provenance)]
    props += [prop("provider", p) for p in s.providers]
    props += [prop(f"count-{k.replace('_', '-')}", v) for k, v in counts.items()]
    if s.collection_errors:
        props.append(prop("collection-errors", len(s.collection_errors)))
    not_assessed = not_assessed_criteria(s)
    if not_assessed:
        props.append(prop("count-not-assessed", len(not_assessed)))
    return {
        "uuid": sid,
        "title": line(f"trustsweep sweep of {', '.join(s.providers) or 'no provider'} at {timestamp(s.started)}"),
        "description": prose(
            f"{provenance.describe(s.provenance)} of {len(s.targets)} target(s) ({targets}) by trustsweep {s.tool_version}: "
            f"{len(s.resources)} resource(s), {len(s.results)} check result(s) "
            f"({', '.join(f'{v} {k}' for k, v in counts.items())})."
        ),
        "start": timestamp(s.started),
        "end": timestamp(max(s.finished, s.started)),
        "props": props,
        "local-definitions": local,
        "reviewed-controls": control_selection(list(s.mapping.criteria)),
    }


def not_assessed_criteria(sweep: Sweep) -> list[str]:
    return [f.criterion_id for f in sweep.findings if f.basis is Basis.NOT_ASSESSED]


def remarks(sweep: Sweep) -> str:
    """The criteria not assessed and the collection errors ("" when neither)."""
    out = []
    not_assessed = not_assessed_criteria(sweep)
    if not_assessed:
        out.append(f"Not assessed (no evidence, hence no finding): {', '.join(not_assessed)}.")
    if sweep.collection_errors:
        out.append(
            "Collection errors (every check on what they hid is an error, never a pass):\n\n"
            + "\n".join(
                f"- {e.provider} {e.target} {e.region} {e.service}: {' '.join(e.reason.split())}"
                for e in sweep.collection_errors
            )
        )
    return "\n\n".join(out)


def attestation_observations(sweep: Sweep, sid: str) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """One EXAMINE observation per attestation that evidences a criterion, and their uuids by criterion."""
    observations: list[dict[str, Any]] = []
    by_criterion: dict[str, list[str]] = {}
    done: set[str] = set()
    for f in sweep.findings:
        for a in f.attestations:
            if a.attestation is None:
                continue
            o = attestation_observation(sid, sweep.mapping, f.criterion_id, a.state, a.attestation)
            if o["uuid"] in done:
                continue
            done.add(o["uuid"])
            observations.append(o)
            by_criterion.setdefault(f.criterion_id, []).append(o["uuid"])
    return observations, by_criterion


def finding_head(sweep: Sweep, sid: str, f: CriterionFinding, origins: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A criterion's finding without its related observations; None when it gets none."""
    status = finding_status(f)
    if status is None:
        return None
    criterion = sweep.mapping.criteria.get(f.criterion_id)
    props = [prop("basis", f.basis.value)]
    props += [prop(f"count-{k.replace('_', '-')}", v) for k, v in sorted(f.counts.items()) if v]
    if f.waived:
        props.append(prop("count-waived", f.waived))
    for a in f.attestations:
        props.append(prop("attestation", f"{a.type}: {a.state}"))
    return {
        "uuid": uuid5(sid, "finding", f.criterion_id),
        "title": line(f"{f.criterion_id}: {criterion.title}" if criterion else f.criterion_id),
        "description": prose(f.reason or f"{f.criterion_id}: {f.basis.value}"),
        "props": props,
        "origins": origins,
        "target": {"type": "objective-id", "target-id": f.criterion_id, "status": status},
    }


def finding_status(f: CriterionFinding) -> dict[str, str] | None:
    """The OSCAL ``status`` of a criterion's finding, or None when it gets no finding.

    * not assessed (no evidence at all): no finding; the criterion stays in ``reviewed-controls``
      and the plan's attestation activities say what would cover it;
    * satisfied: ``satisfied`` / ``pass``;
    * a failing check or an expired attestation: ``not-satisfied`` / ``fail``;
    * otherwise (some check could not run, or a required attestation is missing beside other
      evidence): ``not-satisfied`` / ``other``, never satisfied on partial evidence.
    """
    if f.basis is Basis.NOT_ASSESSED:
        return None
    if f.state == SATISFIED:
        return {"state": "satisfied", "reason": "pass"}
    failed = f.counts.get("fail", 0) - f.waived > 0 or any(a.state == "expired" for a in f.attestations)
    return {"state": "not-satisfied", "reason": "fail" if failed else "other"}
