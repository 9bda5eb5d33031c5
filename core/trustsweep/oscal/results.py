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

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..aggregate import CriterionFinding
from ..model import CheckResult
from .common import DEFAULT_VERSION, as_uuid, gc_paused, prop, prose, uuid5, uuid5_maker
from .document import assessment_results_document, back_matter_resources, evidence_resource_uuid
from .frame import (
    attestation_observations,
    collected,
    components,
    finding_head,
    finding_status,
    remarks,
    result_head,
)
from .io import Stream
from .layout import Layout, scan
from .observations import test_observations
from .uuidfile import UuidFile

if TYPE_CHECKING:
    from ..sweep import Sweep


class _Builder:
    """Builds one result as streams; kept as a class so its state lives only as long as one build.

    Passes: :func:`.layout.scan` (strays, repeated facts, check × resource pairs that may
    repeat), then, in document order, the inventory (``sweep.resources``), the TEST observations
    (``sweep.results``; each uuid goes to a :class:`.uuidfile.UuidFile`), and each finding's
    related observations (read back from that file by index). Only what :func:`.layout.scan`
    flagged is tracked while streaming.
    """

    def __init__(self, sweep: Sweep) -> None:
        self.sweep = sweep
        self.sid = as_uuid(sweep.id, "sweep")
        self.tool_uuid = uuid5(self.sid, "component", "trustsweep")
        self.plugin_of_provider = {s.provider: s.plugin for s in sweep.checks.values() if s.plugin}
        self.plugin_uuid: dict[str, str] = {}
        self.item_uuid = uuid5_maker(self.sid, "inventory-item")
        self.resource_uuid = uuid5_maker("resource")
        self.layout = Layout()
        self.uuids = UuidFile()

    # -- local definitions --------------------------------------------------------------------

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
        repeated, done = self.layout.repeated_keys, set()
        for res in self.sweep.resources:
            key = f"{res.provider}|{res.target}|{res.id}"
            if key in repeated:  # a resource with several facts: the first one's item
                if key in done:
                    continue
                done.add(key)
            yield self.item(key, res.provider, res.target, res.region, res.type, res.id, res.name)
        for key, (provider, target, region, type_, native_id) in self.layout.strays.items():
            yield self.item(key, provider, target, region, type_, native_id, "")

    # -- observations -------------------------------------------------------------------------

    def planned(self) -> Iterator[tuple[CheckResult, str, list[dict[str, Any]]]]:
        """Each result with its observation uuid (also appended to the uuid file) and subjects."""
        observation_uuid = uuid5_maker(self.sid, "observation")
        item_uuid, append = self.item_uuid, self.uuids.append
        maybe_repeated = self.layout.maybe_repeated
        repeats: dict[str, int] = {}  # of the pairs that may repeat only: how many seen so far, minus one
        last_key, subjects = "", []
        for r in self.sweep.results:
            key = f"{r.provider}|{r.target}|{r.resource_id}"  # == r.resource_key, without the property call
            natural = f"{r.check_id}|{key}"
            if natural in maybe_repeated:  # the same check on the same resource again: keep both, distinct uuids
                n = repeats[natural] = repeats.get(natural, -1) + 1
                ouuid = uuid5(self.sid, "observation", natural, str(n)) if n else observation_uuid(natural)
            else:
                ouuid = observation_uuid(natural)
            if key != last_key:  # a resource's results come together: share its subjects list
                last_key, subjects = key, [{"subject-uuid": item_uuid(key), "type": "inventory-item"}]
            append(ouuid)
            yield r, ouuid, subjects
        self.uuids.flush()

    # -- findings -----------------------------------------------------------------------------

    def related(self, f: CriterionFinding, n: int) -> Iterator[dict[str, str]]:
        """The finding's TEST observations (``f.results`` in range), read back from the uuid file."""
        valid = (i for i in f.results if 0 <= i < n)
        for ouuid in self.uuids.select(valid, n):
            yield {"observation-uuid": ouuid}

    def findings(self, attestation_obs: dict[str, list[str]]) -> list[dict[str, Any]]:
        """One finding per criterion with evidence; related-observations as :class:`Stream` objects."""
        n = len(self.sweep.results)
        out: list[dict[str, Any]] = []
        origins = [{"actors": [{"type": "tool", "actor-uuid": self.tool_uuid}]}]
        for f in self.sweep.findings:
            finding = finding_head(self.sweep, self.sid, f, origins)
            if finding is None:
                continue
            examined = [{"observation-uuid": u} for u in attestation_obs.get(f.criterion_id, [])]
            if examined or any(0 <= i < n for i in f.results):
                finding["related-observations"] = Stream(self.related(f, n), examined)
            out.append(finding)
        return out

    # -- the result ---------------------------------------------------------------------------

    def build_streamed(self) -> tuple[dict[str, Any], Iterator[dict[str, Any]]]:
        """The result with its inventory and each finding's related-observations as :class:`Stream`
        objects, only the attestation observations in ``observations``, and an iterator over the
        TEST observations that belong before them; consume them in document order."""
        s = self.sweep
        local: dict[str, Any] = {}
        local["components"], self.plugin_uuid = components(s, self.sid, self.tool_uuid)
        self.layout = scan(s.resources, s.results)
        if len(s.resources) or self.layout.strays:
            local["inventory-items"] = Stream(self.inventory())
        result = result_head(s, self.sid, local)
        result["observations"], by_criterion = attestation_observations(s, self.sid)
        findings = self.findings(by_criterion)
        if findings:
            result["findings"] = findings
        text = remarks(s)
        if text:
            result["remarks"] = text
        return result, test_observations(self.planned(), collected(s))

    def build(self) -> dict[str, Any]:
        """The whole result, every observation included, from the same streams in document order."""
        result, tests = self.build_streamed()
        local = result["local-definitions"]
        if "inventory-items" in local:
            local["inventory-items"] = _materialised(local["inventory-items"])
        observations = [*tests, *result.pop("observations")]
        findings = result.pop("findings", None)
        text = result.pop("remarks", None)
        for finding in findings or ():
            if "related-observations" in finding:
                finding["related-observations"] = _materialised(finding["related-observations"])
        self.uuids.close()
        if observations:  # in its place, before the findings; no empty arrays in OSCAL
            result["observations"] = observations
        if findings:
            result["findings"] = findings
        if text:
            result["remarks"] = text
        return result


def _materialised(value: Any) -> list[Any]:
    """A :class:`Stream`'s items then its tail, as a list."""
    return [*value.items, *value.tail] if isinstance(value, Stream) else list(value)


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
