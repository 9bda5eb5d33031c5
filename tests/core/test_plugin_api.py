"""The public plugin API: @check declarations, the Collector context, run_check, the conformance kit."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest

from trustsweep.collect import run_unit
from trustsweep.plugin import (
    Collector,
    DeclarationError,
    Resource,
    Status,
    Target,
    WorkUnit,
    check,
    checks_in,
    count_request,
    passed,
)
from trustsweep.plugins import Registry
from trustsweep.testing import synthetic
from trustsweep.testing.checks import run_check
from trustsweep.testing.conformance import Case, PluginConformance
from trustsweep.times import parse_time


def test_check_builds_its_spec_from_the_function() -> None:
    (spec,) = [s for s in checks_in(synthetic) if s.id == "synthetic.keys.rotation"]
    assert spec.function == "trustsweep.testing.synthetic:keys_rotation"
    assert spec.provider == "synthetic" and spec.resource_types == ("synthetic.key",)
    assert [(s.name, s.default) for s in spec.settings] == [("max_days", 90)]
    assert spec.aliases == ("synthetic.key.rotation",)


def test_a_function_named_unlike_its_id_is_refused() -> None:
    with pytest.raises(DeclarationError, match="name it kms_key_rotation"):

        @check("x.kms.key_rotation", title="t", types="x.key", severity="low", rationale="r", remediation="m")
        def rotation(r: Resource, ctx: object) -> object:  # pragma: no cover - never called
            return passed("ok")

    with pytest.raises(DeclarationError, match="unknown severity"):
        check("x.a.b", title="t", types="x", severity="urgent", rationale="r", remediation="m")


def _collect_three(ctx: Collector) -> None:
    ctx.add("x.thing", "a", "A", colour="red", unread={})
    gone = ctx.vanished("x.thing", "b", "B", "NotFound: deleted")
    assert gone.properties["vanished"] == "NotFound: deleted"
    partial = ctx.add("x.thing", "c", "C")
    ctx.unread(partial, "policy", PermissionError("AccessDenied"))

    def read(item: int) -> int:
        count_request()  # as an SDK hook would, from a fan-out thread
        return item * 2

    assert ctx.map(read, list(range(20))) == [i * 2 for i in range(20)]
    ctx.fail(["x.other"], "ListOthers: throttled")


def _collect_boom(ctx: Collector) -> None:
    count_request(3)
    raise TimeoutError("read timed out")


def _unit(fn: str) -> WorkUnit:
    return WorkUnit("x", Target("x", "t1"), "r1", "svc", f"{__name__}:{fn}", ("x.thing",))


def test_collector_context_builds_resources_counts_requests_and_keeps_errors_per_resource() -> None:
    out = run_unit(_unit("_collect_three"))
    assert [r.id for r in out.resources] == ["a", "b", "c"]
    assert "unread" not in out.resources[0].properties
    assert out.resources[2].properties["unread"] == {"policy": "PermissionError: AccessDenied"}
    assert out.requests == 20
    assert [(e.resource_types, e.reason) for e in out.errors] == [(("x.other",), "ListOthers: throttled")]


def test_an_exception_fails_the_whole_unit_with_one_line_and_keeps_the_request_count() -> None:
    out = run_unit(_unit("_collect_boom"))
    assert out.resources == [] and out.requests == 3
    assert [e.reason for e in out.errors] == ["TimeoutError: read timed out"]


def test_run_check_uses_declared_settings_and_validates_them(tmp_path: Path) -> None:
    registry = Registry.load(extra_plugins=[("synthetic", synthetic.SyntheticPlugin(tmp_path))])
    key = {"rotation_days": 120}
    assert run_check("synthetic.keys.rotation", key, registry=registry).status is Status.FAIL
    assert run_check("synthetic.keys.rotation", key, registry=registry, max_days=180).status is Status.PASS
    assert run_check("synthetic.key.rotation", key, registry=registry, max_days=180).status is Status.PASS  # alias
    with pytest.raises(ValueError, match="max_days"):
        run_check("synthetic.keys.rotation", key, registry=registry, max_days=0)
    # the unread guard applies as in a sweep
    partial = Resource("synthetic", "t", "r", "synthetic.key", "k", "k", {"rotation_days": 1, "unread": {"*": "403"}})
    assert run_check("synthetic.keys.rotation", partial, registry=registry).status is Status.ERROR


@pytest.mark.parametrize(
    "text,iso",
    [
        ("2024-01-02T03:04:05.123456789Z", "2024-01-02T03:04:05.123456+00:00"),  # GCP: nanoseconds
        ("2024-01-02T03:04:05.1234567+01:00", "2024-01-02T03:04:05.123456+01:00"),  # Azure: 7 digits
        ("2024-01-02", "2024-01-02T00:00:00+00:00"),
        ("2024-01-02 03:04:05+0000", "2024-01-02T03:04:05+00:00"),
    ],
)
def test_one_time_parser_reads_every_clouds_timestamps(text: str, iso: str) -> None:
    parsed = parse_time(text)
    assert parsed is not None and parsed.isoformat() == iso


@pytest.mark.parametrize("junk", ["", "yesterday", "2024-13-01", None, 17])
def test_time_parser_returns_none_for_what_is_not_a_time(junk: object) -> None:
    assert parse_time(junk) is None


class TestSyntheticConformance(PluginConformance):
    """The kit run on the synthetic plugin: it proves the suite itself works end to end."""

    plugin = "synthetic"
    demo_error_budget = 10**6  # the synthetic estate breaks one check in seven on purpose
    registration = (
        "from pathlib import Path\nimport tempfile\nfrom trustsweep.plugins import Registry\n"
        "from trustsweep.testing.synthetic import SyntheticPlugin\n"
        "reg = Registry.load(extra_plugins=[('synthetic', SyntheticPlugin(Path(tempfile.mkdtemp()), emulator=True))])"
    )
    cases: ClassVar[list[Case]] = [
        Case("synthetic.storage.encrypted", "pass", {"encrypted": True}),
        Case("synthetic.storage.encrypted", "fail", {"encrypted": False}),
        Case("synthetic.storage.encrypted", "error", {"broken": True}, why="the check raises"),
        Case("synthetic.keys.rotation", "pass", {"rotation_days": 30}),
        Case("synthetic.keys.rotation", "fail", {"rotation_days": 30}, settings={"max_days": 10}),
        Case("synthetic.keys.rotation", "not_applicable", {}, type="synthetic.bucket"),
        Case("synthetic.tags.env", "pass", {"tags": {"env": "prod"}}),
        Case("synthetic.tags.env", "fail", {"tags": {}}),
    ]

    @classmethod
    def registry(cls) -> Registry:
        import tempfile

        return Registry.load(
            extra_plugins=[("synthetic", synthetic.SyntheticPlugin(Path(tempfile.mkdtemp()), emulator=True))]
        )


def test_the_suite_catches_a_missing_case_and_a_wrong_status() -> None:
    class Incomplete(TestSyntheticConformance):
        cases = [Case("synthetic.tags.env", "pass", {"tags": {}})]

    with pytest.raises(AssertionError, match="cases missing"):
        Incomplete().test_every_check_has_a_passing_and_a_failing_case()
    with pytest.raises(AssertionError, match=r"synthetic.tags.env \[pass\]: got fail"):
        Incomplete().test_cases_give_their_status()


@pytest.mark.parametrize(
    "tags,production",
    [
        ({"environment": "Production"}, True),
        ({"env": "prod"}, True),
        ({"Env": "PROD"}, True),
        ({"environment": "staging"}, False),
        ({"tier": "prod"}, False),
        ({}, False),
        (None, False),
    ],
)
def test_production_by_default_is_environment_or_env_tagged_production_or_prod(
    tags: dict[str, str] | None, production: bool
) -> None:
    from trustsweep.plugin import PRODUCTION, is_production

    defaults = {name: spec.default for name, spec in PRODUCTION.items()}

    class Ctx:
        def setting(self, name: str) -> object:
            return defaults[name]

    assert is_production(tags, Ctx()) is production
