"""The assessment-results writer as it was before streaming (main at 9e2236c), frozen as the oracle
the streamed writer must match byte for byte: its passes (the inventory as a list with a dict of
subjects per resource, the observation uuids and subjects planned as lists, the findings' related
observations by list index). The parts that do not grow with the sweep (components, the result's
props and remarks, finding heads, each observation's content) come from the same helpers as the
real writer (``trustsweep.oscal.frame``, ``.observations``). Do not "fix" this file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from trustsweep.model import CheckResult
from trustsweep.oscal.common import as_uuid, gc_paused, prop, prose, uuid5, uuid5_maker
from trustsweep.oscal.frame import (
    attestation_observations,
    collected,
    components,
    finding_head,
    remarks,
    result_head,
)
from trustsweep.oscal.io import Stream
from trustsweep.oscal.observations import test_observations
from trustsweep.sweep import Sweep


class _Builder:
    def __init__(self, sweep: Sweep) -> None:
        self.sweep = sweep
        self.sid = as_uuid(sweep.id, "sweep")
        self.tool_uuid = uuid5(self.sid, "component", "trustsweep")
        self.inventory: list[dict[str, Any]] = []
        self.subject_of: dict[str, list[dict[str, Any]]] = {}  # resource key → shared subjects list
        self.plugin_of_provider = {s.provider: s.plugin for s in sweep.checks.values() if s.plugin}
        self.plugin_uuid: dict[str, str] = {}
        self.item_uuid = uuid5_maker(self.sid, "inventory-item")
        self.resource_uuid = uuid5_maker("resource")

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
        return test_observations(zip(self.sweep.results, uuids, subjects, strict=True), collected(self.sweep))

    def findings(
        self, obs_uuids: list[str], attestation_obs: dict[str, list[str]], lazy: bool = False
    ) -> list[dict[str, Any]]:
        """One finding per criterion; ``lazy``: related-observations as :class:`Stream` objects."""
        s = self.sweep
        n = len(obs_uuids)
        out: list[dict[str, Any]] = []
        origins = [{"actors": [{"type": "tool", "actor-uuid": self.tool_uuid}]}]
        for f in s.findings:
            finding = finding_head(s, self.sid, f, origins)
            if finding is None:
                continue
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
        s = self.sweep
        local: dict[str, Any] = {}
        local["components"], self.plugin_uuid = components(s, self.sid, self.tool_uuid)
        for res in s.resources:
            if res.key not in self.subject_of:
                self.add_item(res.key, res.provider, res.target, res.region, res.type, res.id, res.name)
        obs_uuids, subjects = self.plan_observations()
        observations, attestation_obs = attestation_observations(s, self.sid)
        findings = self.findings(obs_uuids, attestation_obs, lazy)
        if self.inventory:
            local["inventory-items"] = self.inventory
        result = result_head(s, self.sid, local)
        result["observations"] = observations
        if findings:
            result["findings"] = findings
        text = remarks(s)
        if text:
            result["remarks"] = text
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
