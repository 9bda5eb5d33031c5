"""Property: any inventory with any mix of results gives schema-valid, integrity-valid documents."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference_results import reference_result, reference_streamed_document

from trustsweep.aggregate import aggregate
from trustsweep.model import Attestation, CheckResult, CollectionError, Resource, Status, Target, Waiver
from trustsweep.oscal import assessment_results_document, build_result
from trustsweep.oscal.catalog import catalog_document
from trustsweep.oscal.components import component_definition
from trustsweep.oscal.plan import assessment_plan
from trustsweep.oscal.validate import validate_document
from trustsweep.sweep import Sweep

COLLECTION_UNIT_TYPE = "trustsweep.collection-unit"

text = st.text(max_size=40)  # any unicode (no surrogates): whitespace, newlines, control characters
ids = st.one_of(st.sampled_from(["a", "b", "arn:aws:s3:::x", " pad ", "x\ny"]), st.text(min_size=0, max_size=60))
offsets = st.sampled_from(
    [dt.UTC, dt.timezone(dt.timedelta(hours=-11)), dt.timezone(dt.timedelta(hours=5, minutes=30))]
)
moments = st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30), timezones=offsets)
evidence = st.dictionaries(
    text,
    st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), text),
        lambda inner: st.lists(inner, max_size=3),
        max_leaves=5,
    ),
    max_size=3,
)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """The synthetic plugin's registry and mapping (three checks over CC6.1, CC6.7, CC2.1)."""
    from trustsweep.testing.synthetic import synthetic_registry

    registry = synthetic_registry(tmp_path_factory.mktemp("prop"))
    mapping = registry.mapping()
    checks = {c.id: c for c in registry.checks.values() if c.provider == "synthetic"}
    return _Base((registry, mapping, checks))


class _Base(tuple):
    def __repr__(self) -> str:  # keep hypothesis' failure reports short
        return "<synthetic registry, mapping, checks>"


@st.composite
def sweeps(draw, base):
    registry, mapping, checks = base
    check_ids = sorted(checks)
    specs = {cid: replace(checks[cid], title=draw(text), rationale=draw(text)) for cid in check_ids}
    started = draw(moments)
    targets = draw(st.lists(ids, min_size=1, max_size=3))
    resources = [
        Resource("synthetic", draw(st.sampled_from(targets)), draw(text), draw(text), draw(ids), draw(text))
        for _ in range(draw(st.integers(0, 8)))
    ]
    if draw(st.booleans()):  # as the engine lays a sweep out: each target's facts and results together
        resources.sort(key=lambda r: r.target)
    results: list[CheckResult] = []
    for res in resources:
        for cid in draw(st.lists(st.sampled_from(check_ids), max_size=4)):  # duplicates allowed
            status = draw(st.sampled_from(list(Status)))
            waiver = None
            if status is Status.FAIL and draw(st.booleans()):
                waiver = Waiver(cid, "*", draw(text), draw(moments), draw(text), id=draw(text))
            results.append(
                CheckResult(
                    cid,
                    res.provider,
                    res.target,
                    res.region,
                    res.id,
                    res.type,
                    status,
                    draw(text),
                    draw(evidence),
                    waiver,
                )
            )
    errors = []
    for _ in range(draw(st.integers(0, 2))):
        err = CollectionError(
            "synthetic", draw(st.sampled_from(targets)), draw(text), draw(text), ("synthetic.key",), draw(text)
        )
        errors.append(err)
        for cid in draw(st.lists(st.sampled_from(check_ids), min_size=1, max_size=3, unique=True)):
            results.append(
                CheckResult(
                    cid,
                    "synthetic",
                    err.target,
                    err.region,
                    err.subject_id,
                    COLLECTION_UNIT_TYPE,
                    Status.ERROR,
                    draw(text),
                )
            )
    criteria = list(mapping.criteria)
    attestations = []
    for n in range(draw(st.integers(0, 3))):
        cid = draw(st.sampled_from(criteria))
        types = mapping.entries[cid].attestations or ["pentest-report"]
        created = draw(moments)
        attestations.append(
            Attestation(
                f"att-{n}-{draw(text)}",
                cid,
                draw(st.sampled_from(types)),
                draw(st.text("0123456789abcdef", min_size=64, max_size=64)),
                draw(text),
                draw(text),
                created,
                created + dt.timedelta(days=draw(st.integers(1, 400))),
            )
        )
    findings = aggregate(mapping, results, attestations=attestations, now=started, available_checks=set(specs))
    finished = started + dt.timedelta(seconds=draw(st.integers(0, 10**6)))
    return Sweep(
        id=draw(st.one_of(st.uuids(version=4).map(str), st.text(max_size=10))),
        started=started,
        finished=finished,
        providers=["synthetic"],
        targets=[Target("synthetic", t) for t in targets],
        resources=resources,
        results=results,
        findings=findings,
        collection_errors=errors,
        mapping=mapping,
        checks=specs,
        plugins=registry.plugins,
        attestations=attestations,
        chain_head=draw(st.one_of(st.just(""), text)),
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_any_sweep_gives_valid_documents(base, schemas, data):
    sweep = data.draw(sweeps(base))
    version = data.draw(st.sampled_from(["1.2.1", "1.1.3"]))
    result = build_result(sweep, oscal_version=version)
    assert result == build_result(sweep, oscal_version=version)  # deterministic
    assert result == reference_result(sweep)  # what the writer before streaming gave
    docs = [
        assessment_results_document([result], oscal_version=version, chain_head=sweep.chain_head),
        catalog_document(sweep.mapping, oscal_version=version, chain_head=sweep.chain_head),
        component_definition(sweep.mapping, sweep.checks, [("synthetic", "")], oscal_version=version),
        assessment_plan(sweep.mapping, sweep.checks, sweep.providers, sweep.targets, oscal_version=version),
    ]
    for doc in docs:
        loaded = orjson.loads(orjson.dumps(doc))  # serialisable, and validated as it would be read back
        problems = validate_document(loaded, schema_dir=schemas, backend="rust")
        assert problems == [], [str(p) for p in problems[:10]]
    # the streamed writer (sweep --out for large results) gives the same document
    from trustsweep.oscal import streamed_results_document
    from trustsweep.oscal.io import _pieces

    streamed = orjson.loads(
        b"".join(_pieces(streamed_results_document(sweep, oscal_version=version, chain_head=sweep.chain_head), 3))
    )
    whole = docs[0]
    for doc in (streamed, whole):
        doc["assessment-results"].pop("uuid")
        doc["assessment-results"]["metadata"].pop("last-modified")
    assert streamed == orjson.loads(orjson.dumps(whole))
    docs = [
        make(sweep, oscal_version=version, chain_head=sweep.chain_head, last_modified=sweep.started)
        for make in (streamed_results_document, reference_streamed_document)  # now, and before streaming
    ]
    for doc in docs:
        doc["assessment-results"]["uuid"] = str(uuid.UUID(int=0, version=4))  # a fresh v4 each time
    assert b"".join(_pieces(docs[0], 2)) == b"".join(_pieces(docs[1], 2))
    observations = result.get("observations", [])
    assert len([o for o in observations if o["methods"] == ["TEST"]]) == len(sweep.results)
    assert uuid.UUID(result["uuid"]).version in (4, 5)


@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_python_backend_agrees_on_generated_documents(base, schemas, data):
    sweep = data.draw(sweeps(base))
    doc = orjson.loads(orjson.dumps(assessment_results_document([build_result(sweep)])))
    assert validate_document(doc, schema_dir=schemas, backend="python") == []
