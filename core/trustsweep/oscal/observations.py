"""Observations of a result: one TEST per check result, one EXAMINE per attestation.

Identical small objects (a check's ``check-id`` prop, the status props) are shared between
observations to save memory; treat them as read-only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..model import Attestation, CheckResult, Status, Waiver
from .common import line, prop, prose, timestamp, uuid5
from .document import evidence_resource_uuid
from .evidence import evidence_text

if TYPE_CHECKING:
    from ..mappings import Mapping

_METHODS_TEST = ["TEST"]
_METHODS_EXAMINE = ["EXAMINE"]
_TYPES = ["control-objective"]


def waiver_props(w: Waiver) -> list[dict[str, Any]]:
    props = [
        prop("waived", "true"),
        prop("waiver-reason", w.reason),
        prop("waiver-approved-by", w.approved_by),
        prop("waiver-expires", timestamp(w.expires)),
    ]
    if w.id:
        props.append(prop("waiver-id", w.id))
    return props


def test_observations(
    planned: Iterable[tuple[CheckResult, str, list[dict[str, Any]]]], collected: str
) -> Iterator[dict[str, Any]]:
    """One TEST observation per (check result, its observation uuid, its subjects), in order."""
    check_props: dict[str, dict[str, Any]] = {}
    provider_props: dict[str, dict[str, Any]] = {}
    status_props = {st: prop("result", st.value) for st in Status}
    status_value = {st: st.value for st in Status}
    # waiver → its props, shared; by value (a Sweep read from disk gives a fresh object per result)
    waived: dict[Waiver, list[dict[str, Any]]] = {}
    for r, ouuid, subject in planned:
        check_id, status = r.check_id, r.status
        cp = check_props.get(check_id)
        if cp is None:
            cp = check_props[check_id] = prop("check-id", check_id)
        pp = provider_props.get(r.provider)
        if pp is None:
            pp = provider_props[r.provider] = prop("provider", r.provider)
        props = [cp, status_props[status], pp]
        if r.waiver is not None:
            wp = waived.get(r.waiver)
            if wp is None:
                wp = waived[r.waiver] = waiver_props(r.waiver)
            props += wp
        title = f"{check_id} on {r.resource_id}"
        if not title.isprintable() or title[0] == " " or title[-1] == " ":
            title = line(title)
        reason = r.reason.strip() if r.reason else ""
        yield {
            "uuid": ouuid,
            "title": title,
            "description": reason or f"{check_id}: {status_value[status]}",
            "props": props,
            "methods": _METHODS_TEST,
            "types": _TYPES,
            "subjects": subject,
            "relevant-evidence": [
                {
                    "description": evidence_text(r.evidence)
                    if r.evidence
                    else f"{status_value[status]}: {reason or 'no further evidence recorded'}"
                }
            ],
            "collected": collected,
        }


def attestation_observation(sid: str, mapping: Mapping, criterion: str, state: str, att: Attestation) -> dict[str, Any]:
    """The EXAMINE observation of an attestation that evidences ``criterion`` (``state`` at the sweep)."""
    types = mapping.attestation_types
    type_title = types[att.type].title if att.type in types else att.type
    return {
        "uuid": uuid5(sid, "attestation-observation", att.id or att.sha256, criterion),
        "title": line(f"Attestation {att.type} for {criterion}"),
        "description": prose(
            f"{type_title}. Attested by {att.attested_by} on {timestamp(att.created)}, "
            f"valid until {timestamp(att.expires)}: {state} at the time of the sweep."
        ),
        "props": [
            prop("attestation-type", att.type),
            prop("attestation-state", state),
            prop("attested-by", att.attested_by),
            prop("criterion", criterion),
        ],
        "methods": _METHODS_EXAMINE,
        "types": _TYPES,
        "relevant-evidence": [
            {
                "href": f"#{evidence_resource_uuid(att)}",
                "description": prose(f"{att.filename} (SHA-256 {att.sha256})"),
                "props": [
                    prop("sha256", att.sha256),
                    prop("filename", att.filename),
                    prop("expires", timestamp(att.expires)),
                ],
            }
        ],
        "collected": timestamp(att.created),
    }
