"""The conformance suite every plugin runs: built-in ones and third parties' alike.

In a test module of the plugin::

    from trustsweep.testing.conformance import Case, PluginConformance

    class TestConformance(PluginConformance):
        plugin = "trivy"                     # the entry-point name
        cases = [Case("trivy.image.no_critical", "pass", {...}), Case(..., "fail", {...}), ...]

It checks that every check has a passing and a failing case and that each case gives its status;
every check is mapped to a criterion; check functions are named for their ids; registering the
plugin imports no cloud SDK; and, when the plugin declares an emulator, that a sweep of its demo
estate assesses every target with no ``error`` result and sends it no write request.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from ..declare import function_name
from ..model import CheckSpec, Resource, Status
from ..plugins import Registry
from ..times import parse_time
from .checks import installed_registry, resource, run_check

#: Top-level modules of the cloud SDKs that registration must not import.
SDK_MODULES = (
    "boto3",
    "botocore",
    "google.cloud",
    "google.api_core",
    "google.auth",
    "grpc",
    "azure",
    "msal",
    "requests",
    "urllib3",
    "aiohttp",
    "moto",
)


@dataclass(frozen=True)
class Case:
    """One example of a check: the resource's properties (of the check's first type unless
    ``type`` is given), the rest of the inventory, settings, and the status it must give."""

    check: str
    expect: str
    properties: Mapping[str, Any] = field(default_factory=dict)
    type: str | None = None
    others: Sequence[Resource] = ()
    settings: Mapping[str, Any] = field(default_factory=dict)
    now: dt.datetime | str | None = None  # when the check runs: an aware datetime or ISO text
    why: str = ""

    def describe(self) -> str:
        return f"{self.check} [{self.expect}]{' ' + self.why if self.why else ''}"


class PluginConformance:
    """Subclass as ``TestSomething`` with ``plugin`` (its entry-point name) and ``cases``."""

    plugin: ClassVar[str] = ""
    cases: ClassVar[Sequence[Case]] = ()
    #: ``error`` results a sweep of the demo estate may give (none, for a built-in plugin)
    demo_error_budget: ClassVar[int] = 0
    #: Python that builds ``reg``, the registry with the plugin, in a fresh interpreter
    registration: ClassVar[str] = "from trustsweep.plugins import Registry\nreg = Registry.load()"

    # -- helpers -------------------------------------------------------------------------------

    @classmethod
    def registry(cls) -> Registry:
        return installed_registry()

    @classmethod
    def declared(cls) -> list[CheckSpec]:
        reg = cls.registry()
        found = [spec for spec in reg.checks.values() if spec.plugin == cls.plugin]
        assert found, (
            f"plugin {cls.plugin!r} declares no check (is it installed? entry points: {[p.name for p in reg.plugins]})"
        )
        return sorted(found, key=lambda s: s.id)

    # -- the suite -----------------------------------------------------------------------------

    def test_every_check_has_a_passing_and_a_failing_case(self) -> None:
        wanted = {(spec.id, status) for spec in self.declared() for status in ("pass", "fail")}
        have = {(c.check, c.expect) for c in self.cases}
        missing = sorted(wanted - have)
        assert not missing, f"{len(missing)} cases missing, e.g. {missing[:10]}"

    def test_cases_give_their_status(self) -> None:
        reg = self.registry()
        wrong = []
        for case in self.cases:
            subject = resource(case.check, case.properties, type=case.type, registry=reg)
            now = parse_time(case.now) if isinstance(case.now, str) else case.now
            assert now is not None or case.now is None, f"{case.describe()}: now={case.now!r} is not a time"
            result = run_check(case.check, subject, others=case.others, now=now, registry=reg, **case.settings)
            if result.status is not Status(case.expect):
                wrong.append(f"{case.describe()}: got {result.status.value} ({result.reason})")
        assert not wrong, "\n".join(wrong)

    def test_every_check_is_mapped(self) -> None:
        index = self.registry().mapping().check_index()
        unmapped = [spec.id for spec in self.declared() if not index.get(spec.id)]
        assert not unmapped, f"checks in no criterion's mapping: {unmapped}"

    def test_check_functions_are_named_for_their_ids(self) -> None:
        wrong = [
            f"{spec.id} -> {spec.function}"
            for spec in self.declared()
            if spec.function.rpartition(":")[2] != function_name(spec.id)
        ]
        assert not wrong, wrong

    def test_registration_imports_no_sdk(self) -> None:
        code = (
            "import json, sys\n"
            f"{self.registration}\n"
            f"assert any(s.plugin == {self.plugin!r} for s in reg.checks.values())\n"
            "reg.mapping()\n"
            "print(json.dumps(sorted(sys.modules)))\n"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        loaded = json.loads(out.stdout)
        sdk = [m for m in loaded if any(m == s or m.startswith(s + ".") for s in SDK_MODULES)]
        assert not sdk, f"registering the plugins imported {sdk[:8]}"

    def test_demo_estate_is_assessed_read_only_without_errors(self, tmp_path: Path) -> None:
        from ..collect import make_executor
        from ..demo import patched_env
        from ..provider import load_object
        from ..sweep import run_sweep

        reg = self.registry()
        providers = {spec.provider for spec in self.declared()}
        emulated = sorted(p for p in providers if p in reg.emulators)
        assert emulated, f"plugin {self.plugin!r} declares no emulator for {sorted(providers)}"
        with ExitStack() as stack:
            for provider in emulated:
                env = stack.enter_context(load_object(reg.emulators[provider].factory)(tmp_path / provider))
                stack.enter_context(patched_env(env.env))
                pool = stack.enter_context(make_executor("threads", 4))
                options = {provider: {**env.options, **({"regions": env.regions} if env.regions else {})}}
                sweep = run_sweep(
                    reg,
                    reg.mapping(),
                    providers=[provider],
                    targets=[f"{provider}:{t}" for t in env.targets],
                    provider_options=options,
                    executor=pool,
                )
                errors: list[str] = []
                error_count, statuses = 0, set()
                for r in sweep.results:  # one pass: a sweep's results may stream from disk
                    statuses.add(r.status)
                    if r.status is Status.ERROR:
                        error_count += 1
                        if len(errors) < 20:
                            errors.append(f"{r.check_id} on {r.resource_id}: {r.reason}")
                assert error_count <= self.demo_error_budget, "\n".join(errors)
                assert {Status.PASS, Status.FAIL} <= statuses, f"the demo estate shows {sorted(statuses)} only"
                if env.requests is not None:
                    assert env.requests(), "the emulator saw no request"
                    assert env.writes is not None and env.writes() == [], f"write requests: {env.writes()}"
