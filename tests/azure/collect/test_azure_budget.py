"""Request budgets over the wire: every attempt, 429 retries included, is paced — Resource Manager
under its subscription, Resource Graph under the shared scope of every subscription."""

from __future__ import annotations

from collections import Counter

from azure_estates import GRAPH, small_estate
from azure_helpers import sweep

from trustsweep.budget import SHARED, TARGET
from trustsweep.testing.pacing import recording


def test_every_attempt_is_paced_under_its_scope(fake, azure_registry) -> None:
    fake.reset(small_estate())
    fake.inject(GRAPH, "429", "429")
    with recording() as pacer:
        s = sweep(fake, azure_registry)
    assert not s.collection_errors
    assert len(pacer.paced) == s.stats["requests"] == fake.count() - 1  # all but the subscription listing
    scopes = Counter((provider, kind, key.split("/")[-1]) for provider, kind, key in pacer.paced)
    assert scopes[("azure", SHARED, "resourcegraph")] == fake.count(GRAPH)  # the two refusals included
    arm = {key for _, kind, key in pacer.paced if kind == TARGET}
    assert arm and all(key.endswith("/arm") for key in arm)
    assert {key.split("/")[0] for key in arm} <= {sub.lower() for sub in _subscriptions(s)}
    assert set(scopes) <= {("azure", TARGET, "arm"), ("azure", SHARED, "resourcegraph"), ("azure", SHARED, "msgraph")}
    rates = {(kind, key.split("/")[-1]): rate for (_, kind, key), rate in pacer.rates.items()}
    assert rates[(TARGET, "arm")] == 25.0 and rates[(SHARED, "resourcegraph")] == 3.0  # the defaults reached the units


def _subscriptions(s) -> set[str]:
    return {t.id.lower() for t in s.targets}
