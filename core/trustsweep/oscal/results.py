"""``assessment-results``: one ``result`` per sweep, built as plain dicts (fast, small).

Per result: ``local-definitions`` (the tool and each plugin as components, one inventory item
per resource with ``asset-id`` = the native id), ``reviewed-controls`` (every criterion), one
observation per check × resource (``TEST``), one per attestation (``EXAMINE``), and one finding
per criterion that has evidence (a criterion not assessed has none: see :func:`finding_status`).
Everything in a result is deterministic for a given Sweep: the result uuid is ``sweep.id`` and the
other uuids are v5 from natural keys that include it.

The observations are built in :mod:`.observations` (their evidence text in :mod:`.evidence`), the
document around the results in :mod:`.document`. The bulk (inventory, observations, findings'
related observations) is made by generators over ``sweep.resources`` and ``sweep.results`` that
hold nothing proportional to the sweep (see :class:`_Builder`): :func:`stream_result` hands them
to the JSON streaming writer, :func:`build_result` turns the same generators into lists.
Identical small objects (a check's ``check-id`` prop, a subject list) are shared between
observations to save memory; treat the returned dicts as read-only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .. import provenance
from ..aggregate import SATISFIED, Basis, CriterionFinding
from ..model import Attestation, CheckResult
from .common import (
    DEFAULT_VERSION,
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
from .document import assessment_results_document, back_matter_resources, evidence_resource_uuid
from .io import Stream
from .layout import Layout, scan
from .observations import attestation_observation, test_observations
from .uuidfile import UuidFile

if TYPE_CHECKING:
    from ..sweep import Sweep


def _collected(sweep: Sweep) -> str:
    raw = sweep.stats.get("collected_at") if isinstance(sweep.stats, dict) else None
    if isinstance(raw, str):
        try:
            return timestamp(dt.datetime.fromisoformat(raw))
        except ValueError:
            pass
    return timestamp(sweep.started)


class _Builder:
    """Builds one result as streams; kept as a class so its state lives only as long as one build.

    Passes: :func:`.layout.scan` (strays, whether the sweep is grouped by target), then, in
    document order, the inventory (``sweep.resources``), the TEST observations
    (``sweep.results``; each uuid goes to a :class:`.uuidfile.UuidFile`), and each finding's
    related observations (read back from that file by index). The de-duplication state is kept
    per target when the sweep is grouped (as the engine writes it), per sweep otherwise.
    """

    def __init__(self, sweep: Sweep) -> None:
        self.sweep = sweep
        self.sid = as_uuid(sweep.id, "sweep")
        self.collected = _collected(sweep)
        self.tool_uuid = uuid5(self.sid, "component", "trustsweep")
        self.plugin_of_provider = {s.provider: s.plugin for s in sweep.checks.values() if s.plugin}
        self.plugin_uuid: dict[str, str] = {}
        self.item_uuid = uuid5_maker(self.sid, "inventory-item")
        self.resource_uuid = uuid5_maker("resource")
        self.layout = Layout(grouped=True)
        self.uuids = UuidFile()

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

    def item(
        self, key: str, provider: str, target: str, region: str, type_: str, native_id: str, name: str
    ) -> dict[str, Any]:
        """The inventory item of the resource ``key`` (its uuid is a function of the key)."""
        props = [
            prop("asset-id", native_id, ns=None),
            prop("asset-type", type_, ns=None),
            prop("provider", provider),
            prop("target", target),
            prop("region", region or "global"),
            prop("resource-uuid", self.resource_uuid(key)),  # the same for this resource in every sweep
        ]
        item: dict[str, Any] = {
            "uuid": self.item_uuid(key),
            "description": prose(name if name and name != native_id else native_id),
            "props": props,
        }
        plugin = self.plugin_uuid.get(self.plugin_of_provider.get(provider, ""))
        if plugin:
            item["implemented-components"] = [{"component-uuid": plugin}]
        return item

    def inventory(self) -> Iterator[dict[str, Any]]:
        """One item per resource key, in the order of ``sweep.resources``, then one per stray
        (a result without a resource fact: a failed unit of collection in an older Sweep)."""
        grouped, group = self.layout.grouped, ("", "")
        seen: set[str] = set()
        for res in self.sweep.resources:
            if grouped and (res.provider != group[0] or res.target != group[1]):
                group, seen = (res.provider, res.target), set()
            key = f"{res.provider}|{res.target}|{res.id}"
            if key not in seen:
                seen.add(key)
                yield self.item(key, res.provider, res.target, res.region, res.type, res.id, res.name)
        for key, (provider, target, region, type_, native_id) in self.layout.strays.items():
            yield self.item(key, provider, target, region, type_, native_id, "")

    # -- observations -------------------------------------------------------------------------

    def planned(self) -> Iterator[tuple[CheckResult, str, list[dict[str, Any]]]]:
        """Each result with its observation uuid (also appended to the uuid file) and subjects."""
        observation_uuid = uuid5_maker(self.sid, "observation")
        item_uuid, append = self.item_uuid, self.uuids.append
        grouped, group = self.layout.grouped, ("", "")
        seen: set[str] = set()
        repeats: dict[str, int] = {}
        subject_of: dict[str, list[dict[str, Any]]] = {}  # resource key → shared subjects list
        for r in self.sweep.results:
            if grouped and (r.provider != group[0] or r.target != group[1]):
                group, seen, repeats, subject_of = (r.provider, r.target), set(), {}, {}
            key = f"{r.provider}|{r.target}|{r.resource_id}"  # == r.resource_key, without the property call
            natural = f"{r.check_id}|{key}"
            ouuid = observation_uuid(natural)
            if ouuid in seen:  # the same check on the same resource twice: keep both, distinct uuids
                n = repeats[natural] = repeats.get(natural, 0) + 1
                ouuid = uuid5(self.sid, "observation", natural, str(n))
            seen.add(ouuid)
            subjects = subject_of.get(key)
            if subjects is None:
                subjects = subject_of[key] = [{"subject-uuid": item_uuid(key), "type": "inventory-item"}]
            append(ouuid)
            yield r, ouuid, subjects
        self.uuids.flush()

    def attestation_observation(self, criterion: str, state: str, att: Attestation) -> dict[str, Any]:
        return attestation_observation(self.sid, self.sweep.mapping, criterion, state, att)

    # -- findings -----------------------------------------------------------------------------

    def related(self, f: CriterionFinding, n: int) -> Iterator[dict[str, str]]:
        """The finding's TEST observations (``f.results`` in range), read back from the uuid file."""
        valid = (i for i in f.results if 0 <= i < n)
        for ouuid in self.uuids.select(valid, n):
            yield {"observation-uuid": ouuid}

    def findings(self, attestation_obs: dict[str, list[str]]) -> list[dict[str, Any]]:
        """One finding per criterion; related-observations as :class:`Stream` objects."""
        s = self.sweep
        n = len(s.results)
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
            examined = [{"observation-uuid": u} for u in attestation_obs.get(f.criterion_id, [])]
            if examined or any(0 <= i < n for i in f.results):
                finding["related-observations"] = Stream(self.related(f, n), examined)
            out.append(finding)
        return out

    def build(self) -> dict[str, Any]:
        """The whole result, every observation included, from the same streams."""
        result, tests = self.build_streamed()
        local = result["local-definitions"]
        if "inventory-items" in local:
            local["inventory-items"] = _materialised(local["inventory-items"])
        observations = [*tests, *result.pop("observations")]
        for finding in result.get("findings", ()):
            if "related-observations" in finding:
                finding["related-observations"] = _materialised(finding["related-observations"])
        self.uuids.close()
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

    def build_streamed(self) -> tuple[dict[str, Any], Iterator[dict[str, Any]]]:
        """The result with its inventory and each finding's related-observations as :class:`Stream`
        objects, only the attestation observations in ``observations``, and an iterator over the
        TEST observations that belong before them; consume them in document order."""
        s = self.sweep
        components = self.components()
        self.layout = scan(s.resources, s.results)
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
        findings = self.findings(attestation_obs)
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
        not_assessed = [f.criterion_id for f in s.findings if f.basis is Basis.NOT_ASSESSED]
        if not_assessed:
            props.append(prop("count-not-assessed", len(not_assessed)))
        local: dict[str, Any] = {"components": components}
        if len(s.resources) or self.layout.strays:
            local["inventory-items"] = Stream(self.inventory())
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
        return result, test_observations(self.planned(), self.collected)


def _materialised(value: Any) -> list[Any]:
    """A :class:`Stream`'s items then its tail, as a list."""
    return [*value.items, *value.tail] if isinstance(value, Stream) else list(value)


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


def build_result(sweep: Sweep, *, oscal_version: str = DEFAULT_VERSION) -> dict[str, Any]:
    """One OSCAL ``result`` for a sweep; deterministic for a given Sweep (uuid = ``sweep.id``).

    Attestation evidence is referenced by ``#uuid`` hrefs; :func:`assessment_results_document`
    derives the back-matter resources (with their SHA-256) from those observations.
    The structure is the same for OSCAL 1.2.1 and 1.1.3.
    """
    del oscal_version  # the result's shape does not differ between the supported versions
    with gc_paused():
        return _Builder(sweep).build()


def stream_result(sweep: Sweep) -> tuple[dict[str, Any], Iterator[dict[str, Any]]]:
    """The result of :func:`build_result` without its TEST observations, and an iterator that
    builds them lazily (they go before the result's ``observations``, which holds the EXAMINE
    ones); the inventory items and each finding's ``related-observations`` are
    :class:`~trustsweep.oscal.io.Stream` objects. For writing very large results with bounded
    memory (:func:`~trustsweep.oscal.io.dump_streaming`), which consumes them in document order
    (inventory, observations, findings: findings read the observation uuids back from disk);
    pause the GC while consuming."""
    return _Builder(sweep).build_streamed()


__all__ = [
    "assessment_results_document",
    "back_matter_resources",
    "build_result",
    "evidence_resource_uuid",
    "finding_status",
    "stream_result",
]
