"""The assessment-results writer as it was before streaming (main at 9e2236c), frozen as the oracle
the streamed writer must match byte for byte. Only the builder's passes are kept here (inventory,
observation uuids and subjects, findings' related observations, the result's frame); the
per-observation content comes from the same helpers as the real writer. Do not "fix" this file.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from operator import attrgetter
from typing import Any

from trustsweep import provenance
from trustsweep.aggregate import Basis
from trustsweep.model import Attestation, CheckResult, Status
from trustsweep.oscal.common import (
    as_uuid,
    control_selection,
    gc_paused,
    line,
    prop,
    prose,
    timestamp,
    uuid5,
    uuid5_maker,
)
from trustsweep.oscal.io import Stream
from trustsweep.oscal.observations import attestation_observation, test_observations
from trustsweep.oscal.results import finding_status
from trustsweep.sweep import Sweep


def _collected(sweep: Sweep) -> str:
    raw = sweep.stats.get("collected_at") if isinstance(sweep.stats, dict) else None
    if isinstance(raw, str):
        try:
            return timestamp(dt.datetime.fromisoformat(raw))
        except ValueError:
            pass
    return timestamp(sweep.started)


class _Builder:
    """Builds one result; kept as a class so the caches live only as long as one build."""

    def __init__(self, sweep: Sweep) -> None:
        self.sweep = sweep
        self.sid = as_uuid(sweep.id, "sweep")
        self.collected = _collected(sweep)
        self.tool_uuid = uuid5(self.sid, "component", "trustsweep")
        self.inventory: list[dict[str, Any]] = []
        self.subject_of: dict[str, list[dict[str, Any]]] = {}  # resource key → shared subjects list
        self.plugin_of_provider = {s.provider: s.plugin for s in sweep.checks.values() if s.plugin}
        self.plugin_uuid: dict[str, str] = {}
        self.item_uuid = uuid5_maker(self.sid, "inventory-item")
        self.resource_uuid = uuid5_maker("resource")

    # -- local definitions --------------------------------------------------------------------

    def components(self) -> list[dict[str, Any]]:
        s = self.sweep
        out = [
            {
                "uuid": self.tool_uuid,
                "type": "software",
                "title": "trustsweep",
                "description": prose(
                    f"trustsweep {s.tool_version}: sweeps clouds read-only and evaluates SOC 2 checks."
                ),
                "props": [prop("version", s.tool_version, ns=None)],
                "status": {"state": "operational"},
            }
        ]
        for info in s.plugins:
            if info.name in self.plugin_uuid:  # one component per plugin name
                continue
            cid = uuid5(self.sid, "component", "plugin", info.name)
            self.plugin_uuid[info.name] = cid
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
        return out

    def add_item(
        self, key: str, provider: str, target: str, region: str, type_: str, native_id: str, name: str
    ) -> list[dict[str, Any]]:
        item_uuid = self.item_uuid(key)
        props = [
            prop("asset-id", native_id, ns=None),
            prop("asset-type", type_, ns=None),
            prop("provider", provider),
            prop("target", target),
            prop("region", region or "global"),
            prop("resource-uuid", self.resource_uuid(key)),  # the same for this resource in every sweep
        ]
        item: dict[str, Any] = {
            "uuid": item_uuid,
            "description": prose(name if name and name != native_id else native_id),
            "props": props,
        }
        plugin = self.plugin_uuid.get(self.plugin_of_provider.get(provider, ""))
        if plugin:
            item["implemented-components"] = [{"component-uuid": plugin}]
        self.inventory.append(item)
        subjects = [{"subject-uuid": item_uuid, "type": "inventory-item"}]
        self.subject_of[key] = subjects
        return subjects

    def subjects_for(self, r: CheckResult, key: str) -> list[dict[str, Any]]:
        found = self.subject_of.get(key)
        if found is not None:
            return found
        # a result without a collected resource: a failed unit of collection (or a stray result)
        return self.add_item(key, r.provider, r.target, r.region, r.resource_type, r.resource_id, "")

    # -- observations -------------------------------------------------------------------------

    def plan_observations(self) -> tuple[list[str], list[list[dict[str, Any]]]]:
        """First pass: each result's observation uuid and subject (creating items for strays)."""
        observation_uuid = uuid5_maker(self.sid, "observation")
        subject_of = self.subject_of
        uuids: list[str] = []
        subjects: list[list[dict[str, Any]]] = []
        seen: set[str] = set()
        repeats: dict[str, int] = {}
        for r in self.sweep.results:
            key = f"{r.provider}|{r.target}|{r.resource_id}"  # == r.resource_key, without the property call
            natural = f"{r.check_id}|{key}"
            ouuid = observation_uuid(natural)
            if ouuid in seen:  # the same check on the same resource twice: keep both, distinct uuids
                n = repeats[natural] = repeats.get(natural, 0) + 1
                ouuid = uuid5(self.sid, "observation", natural, str(n))
            seen.add(ouuid)
            uuids.append(ouuid)
            subjects.append(subject_of.get(key) or self.subjects_for(r, key))
        return uuids, subjects

    def iter_observations(self, uuids: list[str], subjects: list[list[dict[str, Any]]]) -> Iterator[dict[str, Any]]:
        """Second pass: one TEST observation per check result, in the order of ``sweep.results``."""
        return test_observations(zip(self.sweep.results, uuids, subjects, strict=True), self.collected)

    def attestation_observation(self, criterion: str, state: str, att: Attestation) -> dict[str, Any]:
        return attestation_observation(self.sid, self.sweep.mapping, criterion, state, att)

    # -- findings -----------------------------------------------------------------------------

    def findings(
        self, obs_uuids: list[str], attestation_obs: dict[str, list[str]], lazy: bool = False
    ) -> list[dict[str, Any]]:
        """One finding per criterion; ``lazy``: related-observations as :class:`Stream` objects."""
        s = self.sweep
        n = len(obs_uuids)
        out: list[dict[str, Any]] = []
        origins = [{"actors": [{"type": "tool", "actor-uuid": self.tool_uuid}]}]
        for f in s.findings:
            status = finding_status(f)
            if status is None:
                continue
            criterion = s.mapping.criteria.get(f.criterion_id)
            props = [prop("basis", f.basis.value)]
            props += [prop(f"count-{k.replace('_', '-')}", v) for k, v in sorted(f.counts.items()) if v]
            if f.waived:
                props.append(prop("count-waived", f.waived))
            for a in f.attestations:
                props.append(prop("attestation", f"{a.type}: {a.state}"))
            finding: dict[str, Any] = {
                "uuid": uuid5(self.sid, "finding", f.criterion_id),
                "title": line(f"{f.criterion_id}: {criterion.title}" if criterion else f.criterion_id),
                "description": prose(f.reason or f"{f.criterion_id}: {f.basis.value}"),
                "props": props,
                "origins": origins,
                "target": {"type": "objective-id", "target-id": f.criterion_id, "status": status},
            }
            indices = [i for i in f.results if 0 <= i < n]
            examined = [{"observation-uuid": u} for u in attestation_obs.get(f.criterion_id, [])]
            if lazy and indices:
                finding["related-observations"] = Stream(
                    ({"observation-uuid": obs_uuids[i]} for i in indices), examined
                )
            elif indices or examined:
                finding["related-observations"] = [{"observation-uuid": obs_uuids[i]} for i in indices] + examined
            out.append(finding)
        return out

    def build(self) -> dict[str, Any]:
        """The whole result, every observation included."""
        result, tests = self.build_streamed(lazy=False)
        observations = [*tests, *result.pop("observations")]
        return self._place_observations(result, observations)

    @staticmethod
    def _place_observations(result: dict[str, Any], observations: Any) -> dict[str, Any]:
        """Put ``observations`` in its place (before ``findings``), or leave it out when empty."""
        findings = result.pop("findings", None)
        remarks = result.pop("remarks", None)
        if observations:
            result["observations"] = observations
        if findings:
            result["findings"] = findings
        if remarks:
            result["remarks"] = remarks
        return result

    def build_streamed(self, lazy: bool = True) -> tuple[dict[str, Any], Iterator[dict[str, Any]]]:
        """The result with only the attestation observations in ``observations``, and an
        iterator over the TEST observations that belong before them (built lazily). ``lazy``:
        each finding's related-observations is a :class:`Stream` too."""
        s = self.sweep
        components = self.components()
        for res in s.resources:
            if res.key not in self.subject_of:
                self.add_item(res.key, res.provider, res.target, res.region, res.type, res.id, res.name)
        obs_uuids, subjects = self.plan_observations()
        observations: list[dict[str, Any]] = []
        attestation_obs: dict[str, list[str]] = {}
        done: set[str] = set()
        for f in s.findings:
            for a in f.attestations:
                if a.attestation is None:
                    continue
                o = self.attestation_observation(f.criterion_id, a.state, a.attestation)
                if o["uuid"] in done:
                    continue
                done.add(o["uuid"])
                observations.append(o)
                attestation_obs.setdefault(f.criterion_id, []).append(o["uuid"])
        findings = self.findings(obs_uuids, attestation_obs, lazy)
        tally = Counter(map(attrgetter("status"), s.results))
        counts = {st.value: tally.get(st, 0) for st in Status}  # == s.counts(), without 100k .value
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
        not_assessed = [f.criterion_id for f in s.findings if f.basis is Basis.NOT_ASSESSED]
        if not_assessed:
            props.append(prop("count-not-assessed", len(not_assessed)))
        local: dict[str, Any] = {"components": components}
        if self.inventory:
            local["inventory-items"] = self.inventory
        result: dict[str, Any] = {
            "uuid": self.sid,
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
        result["observations"] = observations
        if findings:
            result["findings"] = findings
        remarks = []
        if not_assessed:
            remarks.append(f"Not assessed (no evidence, hence no finding): {', '.join(not_assessed)}.")
        if s.collection_errors:
            remarks.append(
                "Collection errors (every check on what they hid is an error, never a pass):\n\n"
                + "\n".join(
                    f"- {e.provider} {e.target} {e.region} {e.service}: {' '.join(e.reason.split())}"
                    for e in s.collection_errors
                )
            )
        if remarks:
            result["remarks"] = "\n\n".join(remarks)
        return result, self.iter_observations(obs_uuids, subjects)


def reference_result(sweep: Sweep) -> dict[str, Any]:
    """``build_result(sweep)`` as the writer before streaming gave it."""
    with gc_paused():
        return _Builder(sweep).build()


def reference_streamed(sweep: Sweep) -> tuple[dict[str, Any], Iterator[dict[str, Any]]]:
    """``stream_result(sweep)`` as the writer before streaming gave it."""
    return _Builder(sweep).build_streamed(lazy=True)


def reference_streamed_document(sweep: Sweep, **options: Any) -> dict[str, Any]:
    """``streamed_results_document(sweep, **options)`` as the writer before streaming gave it."""
    from trustsweep.oscal.document import assessment_results_document

    result, tests = reference_streamed(sweep)
    doc = assessment_results_document([result], **options)
    if sweep.results:
        result["observations"] = Stream(tests, result["observations"])
    elif not result["observations"]:
        del result["observations"]
    return doc
