"""The engine's guard over partially read resources: an unread field never becomes a pass, a
vanished resource is never assessed, and a fully read resource is judged as before."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from trustsweep.evaluate import Evaluator
from trustsweep.model import CheckSpec, Outcome, Resource, Severity, Status
from trustsweep.provider import CheckContext, TargetInventory
from trustsweep.unread import UNREAD, VANISHED, WHOLE, mark, unread, vanished

FIELDS = ["encryption", "policy", "logging", WHOLE]
SPEC = CheckSpec("x.thing.check", "t", "x", ("x.thing",), Severity.LOW, "r", "m", f"{__name__}:scripted")


def scripted(resource: Resource, ctx: CheckContext) -> Outcome:
    """A check that asks about the fields in ``behaviour.asks`` (or nothing) and returns ``verdict``."""
    behaviour = resource.properties["behaviour"]
    if behaviour["asks"] is not None and (bad := unread(resource, *behaviour["asks"])) is not None:
        return bad
    return Outcome(Status(behaviour["verdict"]), "scripted")


def _evaluate(resource: Resource) -> Outcome:
    (result,) = Evaluator([SPEC]).evaluate_target(TargetInventory("x", "t", [resource]))
    return Outcome(result.status, result.reason)


@given(
    unread_fields=st.sets(st.sampled_from(FIELDS)),
    gone=st.booleans(),
    asks=st.none() | st.lists(st.sampled_from(FIELDS[:3]), max_size=3),
    verdict=st.sampled_from(["pass", "fail", "not_applicable"]),
)
@settings(max_examples=300, deadline=None)
def test_guard(unread_fields: set[str], gone: bool, asks: list[str] | None, verdict: str) -> None:
    props: dict = {"behaviour": {"asks": asks, "verdict": verdict}}
    for field in unread_fields:
        mark(props, field, f"{field} denied")
    if gone:
        vanished(props, "NoSuchBucket")
    outcome = _evaluate(Resource("x", "t", "global", "x.thing", "id", "n", props))
    if gone:
        assert outcome.status is Status.NOT_APPLICABLE and "deleted during the sweep" in outcome.reason
    elif not unread_fields:
        assert outcome.status is Status(verdict)
    elif asks is None or WHOLE in unread_fields or set(asks) & unread_fields:
        assert outcome.status is Status.ERROR and "denied" in outcome.reason
    else:  # the check asked, and needs none of what is unread: its verdict stands
        assert outcome.status is Status(verdict)
    if unread_fields and not gone:
        assert outcome.status is not Status.PASS or (
            asks is not None and WHOLE not in unread_fields and not set(asks) & unread_fields
        )


def test_markers_and_legacy_key() -> None:
    props: dict = {}
    mark(props, "policy", "AccessDenied")
    assert props == {UNREAD: {"policy": "AccessDenied"}}
    assert vanished({}, "gone") == {VANISHED: "gone"}
    legacy = Resource(
        "x",
        "t",
        "global",
        "x.thing",
        "id",
        "n",
        {"errors": {"policy": "AccessDenied"}, "behaviour": {"asks": ["policy"], "verdict": "pass"}},
    )
    assert _evaluate(legacy).status is Status.ERROR  # inventories saved before the convention still count
