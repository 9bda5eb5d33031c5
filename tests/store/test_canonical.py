"""Whatever evidence a check returns survives the store byte for byte, and its digest is stable."""

from __future__ import annotations

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from trustsweep.model import CheckResult, Resource, Status
from trustsweep.store import canonical as c

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
text = st.text(min_size=1, max_size=30)


@settings(max_examples=150, deadline=None)
@given(
    evidence=st.dictionaries(st.text(max_size=12), json_values, max_size=5),
    reason=st.text(max_size=80),
    resource_id=text,
    status=st.sampled_from(list(Status)),
    properties=st.dictionaries(text, json_values, max_size=5),
)
def test_rows_round_trip_and_digest_is_deterministic(evidence, reason, resource_id, status, properties) -> None:
    result = CheckResult("p.check", "p", "t|1", "r-1", resource_id, "p.type", status, reason, evidence)
    resource = Resource("p", "t|1", "r-1", "p.type", resource_id, "n", properties)
    body = c.dumps(result)
    assert c._result_from(orjson.loads(body)) == result
    assert Resource.from_dict(orjson.loads(c.dumps(resource))) == resource
    row = (0, result.check_id, result.resource_key, status.value, body)
    assert c.digest_rows([row]) == c.digest_rows([tuple(row)])
    # a different split of the same characters between columns gives a different digest
    shifted = (0, result.check_id + "|", result.resource_key, status.value, body)
    assert c.digest_rows([row]) != c.digest_rows([shifted])
