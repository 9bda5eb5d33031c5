"""Plugin discovery: entry points, validation of hooks, clashes between plugins."""

from __future__ import annotations

from pathlib import Path

import pytest

from trustsweep.errors import UserError
from trustsweep.hookspecs import hookimpl
from trustsweep.model import CheckSpec, ProviderSpec, Severity
from trustsweep.plugins import Registry
from trustsweep.testing.synthetic import CHECKS, SyntheticPlugin


def test_builtin_plugins_register_through_entry_points() -> None:
    registry = Registry.load()
    names = {p.name for p in registry.plugins}
    assert {"aws", "gcp", "azure"} <= names
    assert all(p.distribution == "trustsweep" for p in registry.plugins if p.name in ("aws", "gcp", "azure"))


def test_disabling_a_plugin_by_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTSWEEP_DISABLE_PLUGINS", "gcp, azure")
    names = {p.name for p in Registry.load().plugins}
    assert "gcp" not in names and "azure" not in names and "aws" in names


def test_unknown_hook_is_an_error_not_silence() -> None:
    class Typo:
        @hookimpl
        def trustsweep_checkz(self) -> list[CheckSpec]:
            return []

    with pytest.raises(UserError, match="trustsweep_checkz"):
        Registry.load(entry_points=False, extra_plugins=[("typo", Typo())])


def test_duplicate_check_id_names_both_plugins() -> None:
    class Copycat:
        @hookimpl
        def trustsweep_checks(self) -> list[CheckSpec]:
            original = CHECKS[0]
            return [CheckSpec(original.id, "copy", "synthetic", ("x",), Severity.LOW, "r", "m", "m:f")]

    with pytest.raises(UserError) as info:
        Registry.load(entry_points=False, extra_plugins=[("synthetic", SyntheticPlugin()), ("copycat", Copycat())])
    assert "'synthetic'" in str(info.value) and "'copycat'" in str(info.value)
    assert CHECKS[0].id in str(info.value)


def test_alias_collision_is_a_duplicate_too() -> None:
    class AliasClash:
        @hookimpl
        def trustsweep_checks(self) -> list[CheckSpec]:
            return [
                CheckSpec(
                    "other.check",
                    "t",
                    "other",
                    ("x",),
                    Severity.LOW,
                    "r",
                    "m",
                    "m:f",
                    aliases=("synthetic.key.rotation",),
                )
            ]

    with pytest.raises(UserError, match="synthetic.key.rotation"):
        Registry.load(entry_points=False, extra_plugins=[("synthetic", SyntheticPlugin()), ("clash", AliasClash())])


def test_duplicate_provider_is_an_error() -> None:
    class Twin:
        @hookimpl
        def trustsweep_providers(self) -> list[ProviderSpec]:
            return [ProviderSpec("synthetic", "twin", "x:y")]

    with pytest.raises(UserError, match="provider 'synthetic'"):
        Registry.load(entry_points=False, extra_plugins=[("synthetic", SyntheticPlugin()), ("twin", Twin())])


def test_aliases_resolve_and_unknown_provider_is_clear(tmp_path: Path) -> None:
    registry = Registry.load(entry_points=False, extra_plugins=[("synthetic", SyntheticPlugin(tmp_path))])
    assert registry.resolve_check_id("synthetic.key.rotation") == "synthetic.keys.rotation"
    assert registry.resolve_check_id("nope") is None
    with pytest.raises(UserError, match="unknown provider 'nope'"):
        registry.provider_spec("nope")


def test_third_party_plugin_found_through_its_dist_info(trivy_site: Path) -> None:
    registry = Registry.load()
    info = next(p for p in registry.plugins if p.name == "trivy")
    assert (info.distribution, info.version) == ("trustsweep-trivy", "0.1.0")
    assert {"trivy.vuln.critical_sla", "trivy.vuln.high_sla"} <= set(registry.checks)
    assert registry.checks["trivy.vuln.high_sla"].plugin == "trivy"
    assert [o.name for o in registry.options_for("trivy")] == ["trivy-report"]
    assert any(p.name == "soc2.yaml" for p in registry.mapping_files)


def test_a_check_declared_under_the_wrong_name_is_one_line_naming_the_plugin() -> None:
    """A declaration bug (here a DeclarationError from @check) is bad input at start-up, not a traceback."""

    class Misnamed:
        @hookimpl
        def trustsweep_checks(self) -> list[CheckSpec]:
            from trustsweep.plugin import check, passed

            @check("x.dns.signed", title="t", types="x.domain", severity="low", rationale="r", remediation="m")
            def signed(r: object, ctx: object) -> object:  # pragma: no cover - never called
                return passed("ok")

            return []

    with pytest.raises(
        UserError, match=r"plugin 'misnamed': trustsweep_checks failed: DeclarationError: .*name it dns_signed"
    ):
        Registry.load(entry_points=False, extra_plugins=[("misnamed", Misnamed())])
