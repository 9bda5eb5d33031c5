"""Settings are declared, typed and validated (issue 11, item 1).

A config value of the wrong type, out of bounds, or under an unknown name, check or provider is
refused with exit 2 and ``file:line``; it never silently changes a verdict. What a check reads is
the validated value or the declared default; a check reading an undeclared name errors.
"""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import json
import math
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trustsweep.config import load_config
from trustsweep.errors import UserError
from trustsweep.evaluate import Evaluator
from trustsweep.inventory import save_target
from trustsweep.model import CheckSpec, Resource, SettingSpec, Severity, Status, Target
from trustsweep.plugins import Registry
from trustsweep.provider import TargetInventory, load_object
from trustsweep.settings import SettingError, declaration_problem, validate
from trustsweep.testing.cli import run_cli

ACCOUNT = "123456789012"
SG = "aws.ec2.security-group"
SSH_OPEN = {"open_ingress": [{"protocol": "tcp", "from": 22, "to": 22, "cidr": "0.0.0.0/0"}]}


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


def _write(tmp_path: Path, text: str, name: str = "trustsweep.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _inventory(tmp_path: Path, *resources: Resource) -> Path:
    directory = tmp_path / "inv"
    save_target(
        directory, Target("aws", ACCOUNT, ACCOUNT), resources, [], dt.datetime.now(dt.UTC), properties_version=2
    )
    return directory


def _aws(type_: str, name: str, **props: Any) -> Resource:
    return Resource("aws", ACCOUNT, "us-east-1", type_, f"arn:aws:test:::{name}", name, props)


def _evaluate(tmp_path: Path, inventory: Path, config: Path | None, check: str) -> tuple[int, str]:
    """``trustsweep evaluate`` of one check: 0 it passed, 1 it failed, 2 bad input (stderr says why)."""
    args = ["evaluate", "--inventory", str(inventory), "--no-store", "--check", check, "--out", str(tmp_path / "out")]
    proc = run_cli(*args, *(["--config", str(config)] if config else []))
    return proc.returncode, proc.stderr


# -- the three cases of the issue, through the command line --------------------------------------


def test_a_string_where_ports_are_expected_is_refused_not_iterated(tmp_path: Path) -> None:
    """``admin_ports: "22"`` used to be read as ports 2 and 2: SSH open to the world then passed."""
    inventory = _inventory(tmp_path, _aws(SG, "sg-ssh", **SSH_OPEN))
    config = _write(
        tmp_path,
        """\
        checks:
          aws.ec2.security_group_ingress:
            admin_ports: "22"
        """,
    )
    assert _evaluate(tmp_path / "good", inventory, None, "aws.ec2.security_group_ingress")[0] == 1
    code, err = _evaluate(tmp_path, inventory, config, "aws.ec2.security_group_ingress")
    assert code == 2, err
    assert f"{config}:line 3:" in err and "admin_ports" in err and "expected a list" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out" / "assessment-results.json").exists()


def test_a_list_item_of_the_wrong_type_names_its_own_line(tmp_path: Path, registry: Registry) -> None:
    config = _write(
        tmp_path,
        """\
        checks:
          aws.ec2.security_group_ingress:
            admin_ports:
              - 22
              - "3389"
        """,
    )
    with pytest.raises(UserError) as info:
        load_config(config, registry)
    assert "line 5" in str(info.value) and "item 2" in str(info.value)


def test_a_negative_threshold_is_refused(tmp_path: Path) -> None:
    """``min_days: -5`` used to turn every short retention into a pass."""
    inventory = _inventory(tmp_path, _aws("aws.logs.log-group", "short", retention_days=30))
    config = _write(
        tmp_path,
        """\
        checks:
          aws.logs.retention: {min_days: -5}
        """,
    )
    code, err = _evaluate(tmp_path, inventory, config, "aws.logs.retention")
    assert code == 2, err
    assert f"{config}:line 2:" in err and "min_days" in err and "out of range" in err


def test_a_misspelt_setting_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    """``min_dayz`` used to be ignored silently (the default applied)."""
    inventory = _inventory(tmp_path, _aws("aws.logs.log-group", "short", retention_days=30))
    config = _write(
        tmp_path,
        """\
        checks:
          aws.logs.retention:
            min_dayz: 400
        """,
    )
    code, err = _evaluate(tmp_path, inventory, config, "aws.logs.retention")
    assert code == 2, err
    assert f"{config}:line 3:" in err and "unknown setting 'min_dayz'" in err and "did you mean 'min_days'?" in err


def test_a_valid_threshold_changes_the_verdict(tmp_path: Path) -> None:
    """The threshold is honoured: 365 days pass by default and fail with min_days: 400."""
    inventory = _inventory(tmp_path, _aws("aws.logs.log-group", "year", retention_days=365))
    assert _evaluate(tmp_path, inventory, None, "aws.logs.retention") == (0, "")
    strict = _write(
        tmp_path,
        """\
        checks:
          aws.logs.retention: {min_days: 400}
        """,
    )
    assert _evaluate(tmp_path / "strict", inventory, strict, "aws.logs.retention") == (1, "")


def test_provider_wide_ports_are_typed_and_honoured(tmp_path: Path) -> None:
    inventory = _inventory(
        tmp_path, _aws(SG, "sg-pg", open_ingress=[{"protocol": "tcp", "from": 5432, "to": 5432, "cidr": "0.0.0.0/0"}])
    )
    config = _write(
        tmp_path,
        """\
        settings:
          aws:
            admin_ports: [22, 3389, 5432]
        """,
    )
    assert _evaluate(tmp_path, inventory, None, "aws.ec2.security_group_ingress") == (0, "")
    assert _evaluate(tmp_path / "b", inventory, config, "aws.ec2.security_group_ingress") == (1, "")


# -- the loader: providers, checks, names ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("settings:\n  awz: {admin_roles: [x]}\n", 2, "unknown provider 'awz' (did you mean 'aws'?)"),
        ("settings:\n  nimbus: {}\n", 2, "unknown provider 'nimbus' (installed: "),
        ("settings:\n  aws:\n    admin_role: [x]\n", 3, "unknown setting 'admin_role' (did you mean 'admin_roles'?)"),
        ("settings:\n  aws:\n    admin_roles: PlatformAdmin\n", 3, "expected a list, each item text"),
        ("settings:\n  aws:\n    max_attempts: '8'\n", 3, "expected a whole number"),
        (
            "settings:\n  aws:\n    retry_mode: turbo\n",
            3,
            "'turbo' is not allowed: expected one of standard | adaptive | legacy",
        ),
        ("settings:\n  aws:\n    organization: 'yes please'\n", 3, "expected true or false"),
        ("settings:\n  gcp:\n    read_timeout_seconds: .nan\n", 3, "expected a number"),
        ("settings:\n  azure:\n    regions: westeurope\n", 3, "expected a list, each item text"),
        ("settings:\n  aws: [admin_roles]\n", 2, "settings.aws must be a mapping"),
        ("checks:\n  aws.logs.retention: {min_days: 365.5}\n", 2, "expected a whole number"),
        ("checks:\n  aws.logs.retention: {min_days: true}\n", 2, "expected a whole number"),
        ("checks:\n  aws.logs.retention: {min_days: 100000}\n", 2, "out of range"),
        ("checks:\n  aws.logs.retenton: {min_days: 400}\n", 2, "did you mean 'aws.logs.retention'?"),
        ("checks:\n  aws.iam.root_mfa: {max_days: 4}\n", 2, "(this check has no settings)"),
        ("checks:\n  azure.storage.min_tls: {min_tls: '1.5'}\n", 2, "'1.5' is not allowed"),
        ("checks:\n  gcp.encryption.cmek: {require_cmk: 'true'}\n", 2, "expected true or false"),
    ],
)
def test_bad_settings_name_the_file_and_line(
    tmp_path: Path, registry: Registry, text: str, line: int, message: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(UserError) as info:
        load_config(path, registry)
    assert str(info.value).startswith(f"{path}:line {line}: "), info.value
    assert message in str(info.value)


def test_an_alias_and_its_check_cannot_both_be_set(tmp_path: Path) -> None:
    registry = Registry.load(extra_plugins=[("synthetic", _synthetic())])
    path = _write(
        tmp_path, "checks:\n  synthetic.keys.rotation: {max_days: 30}\n  synthetic.key.rotation: {max_days: 365}\n"
    )
    with pytest.raises(UserError, match="given twice"):
        load_config(path, registry)


def test_good_settings_load_typed(tmp_path: Path, registry: Registry) -> None:
    path = _write(
        tmp_path,
        """\
        settings:
          aws: {admin_roles: [PlatformAdmin], production_accounts: ["111122223333"], max_attempts: 8}
          azure: {min_tls: 1.2}
        checks:
          aws.ec2.security_group_ingress: {admin_ports: [22, 3389, 5432]}
          gcp.logging.sink_retention: {retention_days: 400}
        waivers:
          - {check: aws.s3.bucket_tls_only, resource: "*", reason: r, expires: 2099-01-01, approved_by: CISO,
             allow_wildcard: true, allow_long: true}
        """,
    )
    config = load_config(path, registry)
    assert config.settings["aws"] == {
        "admin_roles": ("PlatformAdmin",),
        "production_accounts": ("111122223333",),
        "max_attempts": 8,
    }
    assert config.settings["azure"] == {"min_tls": "1.2"}  # a YAML number naming a choice is that choice
    assert config.checks["aws.ec2.security_group_ingress"] == {"admin_ports": (22, 3389, 5432)}
    assert len(config.waivers) == 1


# -- the engine: checks read validated values; undeclared names and bad values are errors ----------


def _synthetic() -> Any:
    from trustsweep.testing.synthetic import SyntheticPlugin

    return SyntheticPlugin()


def _rotation_results(config: dict[str, Any], read: str = "max_days") -> list[Status]:
    """Evaluate a check reading ``read`` over one key rotating every 120 days."""
    spec = CheckSpec(
        "synthetic.keys.rotation",
        "t",
        "synthetic",
        ("synthetic.key",),
        Severity.LOW,
        "r",
        "f",
        "trustsweep.testing.synthetic:keys_rotation",
        settings=(SettingSpec(read, "int", 90, min=1, max=3653),),
    )
    key = Resource("synthetic", "a", "r", "synthetic.key", "k", "k", {"rotation_days": 120})
    evaluator = Evaluator([spec], config=config)
    return [r.status for r in evaluator.evaluate_target(TargetInventory("synthetic", "a", [key]))]


def test_defaults_apply_and_values_are_read() -> None:
    assert _rotation_results({}) == [Status.FAIL]
    assert _rotation_results({"synthetic.keys.rotation": {"max_days": 180}}) == [Status.PASS]
    assert _rotation_results({"synthetic": {"max_days": 180}}) == [Status.PASS]  # provider-wide
    assert _rotation_results({"synthetic": {"max_days": 180}, "synthetic.keys.rotation": {"max_days": 30}}) == [
        Status.FAIL
    ]


def test_a_check_reading_an_undeclared_setting_errors() -> None:
    statuses = _rotation_results({}, read="max_age")
    assert statuses == [Status.ERROR]
    spec = CheckSpec(
        "x.y", "t", "x", ("synthetic.key",), Severity.LOW, "r", "f", "trustsweep.testing.synthetic:keys_rotation"
    )
    key = Resource("x", "a", "r", "synthetic.key", "k", "k", {"rotation_days": 1})
    [result] = Evaluator([spec]).evaluate_target(TargetInventory("x", "a", [key]))
    assert result.status is Status.ERROR and "'max_days' is not declared by check 'x.y'" in result.reason


@pytest.mark.parametrize(
    "declaration",
    [
        SettingSpec("n", "integer", 1),
        SettingSpec("n", "int", "90"),
        SettingSpec("n", "int", 0, min=1),
        SettingSpec("n", "str", "x", min=1),
        SettingSpec("n", "int", 1, choices=("1",)),
        SettingSpec("n", "list[str]", ["a"]),
        SettingSpec("n", "str", "c", choices=("a", "b")),
    ],
)
def test_a_plugin_declaring_an_unusable_setting_fails_at_start_up(declaration: SettingSpec) -> None:
    assert declaration_problem(declaration)
    bad = CheckSpec("bad.check", "t", "bad", ("t",), Severity.LOW, "r", "f", "m:f", settings=(declaration,))

    class Plugin:
        from trustsweep.hookspecs import hookimpl

        @hookimpl
        def trustsweep_checks(self) -> list[CheckSpec]:
            return [bad]

    with pytest.raises(UserError, match="plugin 'bad': check 'bad.check': setting 'n'"):
        Registry.load(entry_points=False, extra_plugins=[("bad", Plugin())])


# -- properties over every declared setting ----------------------------------------------------------


def _declared(registry: Registry) -> list[tuple[str, SettingSpec]]:
    out = [(check.id, spec) for check in registry.checks.values() for spec in check.settings]
    out += [(f"settings.{p.name}", spec) for p in registry.providers.values() for spec in p.settings]
    return sorted(out, key=lambda item: (item[0], item[1].name))


DECLARED = _declared(Registry.load())


def _invalid_for(spec: SettingSpec) -> st.SearchStrategy[Any]:
    """Values that must be refused: another type, or out of bounds, or not one of the choices."""
    scalars = st.one_of(
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=8),
        st.none(),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    )

    def wrong(kind: str, value: Any) -> bool:
        try:
            validate(SettingSpec("v", kind, _sample(kind), min=spec.min, max=spec.max, choices=spec.choices), value)
        except SettingError:
            return True
        return False

    if spec.type.startswith("list["):
        item = spec.type[5:-1]
        bad_item = scalars.filter(lambda v: wrong(item, v))
        return st.one_of(
            scalars,
            st.lists(bad_item, min_size=1, max_size=3).flatmap(
                lambda bad: st.lists(st.just(_sample(item)), max_size=2).map(lambda good: good + bad)
            ),
        )
    return scalars.filter(lambda v: wrong(spec.type, v))


def _sample(kind: str) -> Any:
    return {"bool": False, "int": 1, "float": 1.0, "str": "", "list[int]": (), "list[str]": ()}[kind]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(data=st.data())
def test_any_wrong_value_of_any_declared_setting_is_refused_with_its_line(
    data: st.DataObject, tmp_path_factory: Any
) -> None:
    owner, spec = data.draw(st.sampled_from(DECLARED))
    value = data.draw(_invalid_for(spec))
    document = (
        {"settings": {owner.split(".", 1)[1]: {spec.name: value}}}
        if owner.startswith("settings.")
        else {"checks": {owner: {spec.name: value}}}
    )
    path = tmp_path_factory.mktemp("cfg") / "c.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_config(path, _REGISTRY)
    assert str(info.value).startswith(f"{path}:line ") and spec.name in str(info.value)


_REGISTRY = Registry.load()


@settings(max_examples=200, deadline=None)
@given(
    value=st.one_of(
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=6),
        st.none(),
        st.lists(st.one_of(st.integers(), st.text(max_size=3)), max_size=3),
    )
)
def test_a_wrong_value_handed_to_the_engine_never_turns_a_fail_into_a_pass(value: Any) -> None:
    """Settings given in code (not through the loader) are validated too: never a pass by accident."""
    spec = SettingSpec("max_days", "int", 90, min=1, max=3653)
    try:
        validate(spec, value)
        valid = True
    except SettingError:
        valid = False
    statuses = _rotation_results({"synthetic.keys.rotation": {"max_days": value}})
    if valid:
        assert statuses == [Status.PASS if value >= 120 else Status.FAIL]
    else:
        assert statuses == [Status.ERROR]


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_valid_values_round_trip(data: st.DataObject) -> None:
    """Whatever a declaration accepts, it accepts again unchanged (validation is idempotent)."""
    _, spec = data.draw(st.sampled_from(DECLARED))
    item = spec.type[5:-1] if spec.type.startswith("list[") else spec.type
    if spec.choices:
        one = st.sampled_from(spec.choices)
    elif item == "int":
        one = st.integers(
            int(spec.min if spec.min is not None else -(10**6)), int(spec.max if spec.max is not None else 10**6)
        )
    elif item == "float":
        one = st.floats(spec.min if spec.min is not None else -1e6, spec.max if spec.max is not None else 1e6)
    elif item == "bool":
        one = st.booleans()
    else:
        one = st.text(max_size=10)
    value = data.draw(st.lists(one, max_size=4) if spec.type.startswith("list[") else one)
    checked = validate(spec, value)
    assert validate(spec, checked) == checked
    assert checked == (tuple(value) if isinstance(value, list) else value)
    assert not (isinstance(checked, float) and math.isnan(checked))


# -- every setting a check reads is declared, and every declared setting is read ----------------------


def _names_read(function: Any, seen: set[Any]) -> set[str]:
    """``ctx.setting("name")`` literals in a function and in the same-package (or plugin API) helpers it calls."""
    if function in seen or not inspect.isfunction(function):
        return set()
    seen.add(function)
    names: set[str] = set()
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Attribute) and node.func.attr == "setting":
            assert node.args and isinstance(node.args[0], ast.Constant), ast.unparse(node)
            names.add(node.args[0].value)
        elif isinstance(node.func, ast.Name):
            helper = function.__globals__.get(node.func.id)
            # helpers of the check's own package, and the plugin API's (is_production reads PRODUCTION)
            if inspect.isfunction(helper) and helper.__module__.split(".")[0] in (
                function.__module__.split(".")[0],
                "trustsweep",
            ):
                names |= _names_read(helper, seen)
    return names


@pytest.mark.parametrize("check_id", sorted(_REGISTRY.checks))
def test_a_check_declares_exactly_the_settings_it_reads(check_id: str) -> None:
    check = _REGISTRY.checks[check_id]
    read = _names_read(load_object(check.function), set())
    assert read == {s.name for s in check.settings}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    value=st.one_of(
        st.text(max_size=6),
        st.integers(),
        st.booleans(),
        st.floats(allow_nan=True),
        st.none(),
        st.lists(st.one_of(st.integers(-70000, 70000), st.text(max_size=3)), min_size=1, max_size=3),
    )
)
def test_through_the_cli_a_wrong_ports_value_is_exit_2_never_a_pass(value: Any, tmp_path: Path) -> None:
    """SSH open to the world fails by default; no config value turns it into a pass: each value
    either still fails (a valid port list containing 22) or is refused with exit 2."""
    from typer.testing import CliRunner

    from trustsweep import cli

    inventory = tmp_path / "inv"
    if not inventory.exists():
        _inventory(tmp_path, _aws(SG, "sg-ssh", **SSH_OPEN))
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump({"checks": {"aws.ec2.security_group_ingress": {"admin_ports": value}}}))
    result = CliRunner().invoke(
        cli.app,
        [
            "evaluate",
            "--inventory",
            str(inventory),
            "--no-store",
            "--check",
            "aws.ec2.security_group_ingress",
            "--config",
            str(path),
        ],
    )
    spec = _REGISTRY.checks["aws.ec2.security_group_ingress"].settings[0]
    try:
        ports = validate(spec, value)
    except SettingError:
        assert result.exit_code == 2, result.output
        return
    assert result.exit_code == (1 if 22 in ports else 0), result.output


def test_checks_list_show_and_settings_show_declared_settings() -> None:
    listed = run_cli("checks", "list", "--provider", "aws", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    by_id = {c["id"]: c for c in json.loads(listed.stdout)}
    assert by_id["aws.ec2.security_group_ingress"]["settings"] == [
        {
            "name": "admin_ports",
            "type": "list[int]",
            "default": [22, 3389],
            "min": 1,
            "max": 65535,
            "choices": [],
            "help": "TCP ports that must not be open to the internet",
        }
    ]
    table = run_cli("checks", "list", "--provider", "aws", env={"COLUMNS": "250"})  # wide: cells unwrapped
    assert "min_days=365" in table.stdout and "admin_ports=22,3389" in table.stdout
    shown = run_cli("checks", "show", "aws.logs.retention", env={"COLUMNS": "250"})
    assert shown.returncode == 0 and "min_days" in shown.stdout and "int 1–3653" in shown.stdout
    assert "365" in shown.stdout and "Audit periods need a year of logs." in shown.stdout
    typo = run_cli("checks", "show", "aws.logs.retenton")
    assert typo.returncode == 2 and "did you mean 'aws.logs.retention'?" in typo.stderr
    every = run_cli("checks", "settings", "--provider", "gcp", "--format", "json")
    rows = {(r["where"], r["name"]): r for r in json.loads(every.stdout)}
    assert rows[("settings.gcp", "read_timeout_seconds")]["default"] == 60.0
    assert rows[("checks.gcp.kms.key_rotation", "max_days")]["min"] == 1
