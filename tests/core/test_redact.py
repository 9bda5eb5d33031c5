"""The redactor: secret-named keys at any depth, secret-looking values, declared fields, the salt."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trustsweep.collect import run_unit
from trustsweep.model import Target, WorkUnit
from trustsweep.plugin import Collector
from trustsweep.redact import SALT_ENV, Redactor, is_marker, load_salt, redactor, secret_key, secret_value

R = Redactor(b"test-salt", ("data.masterAuth.password", "data.items.value"))
SECRET_KEYS = [
    "password",
    "db_password",
    "DB-PASSWORD",
    "apiKey",
    "api_key",
    "clientSecret",
    "auth_token",
    "private_key",
    "clientKey",
    "connectionString",
    "AccountKey",
    "sas_token",
    "credentials",
    "adminPassword",
    "SecretAccessKey",
    "customData",
]
PLAIN_KEYS = [
    "name",
    "kms_key",
    "kmsKeyName",
    "password_enabled",
    "password_last_used",
    "MinimumPasswordLength",
    "bypass",
    "secretArn",
    "tokenExpiry",
    "keyId",
    "encryption",
    "tags",
    "labels",
    "env",
]
# a secret value no heuristic would recognise: only its key gives it away
secret_text = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789!#%", min_size=6, max_size=30).map(
    lambda s: "ZZSECRET" + s
)
plain_text = st.text(alphabet="abcdefghijklmnopqrstuvwxyz -.", max_size=20)
scalars = st.one_of(plain_text, st.integers(-(2**53), 2**53), st.booleans(), st.none())


def _plain_tree() -> st.SearchStrategy[Any]:
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(PLAIN_KEYS), inner, max_size=4)
        ),
        max_leaves=20,
    )


@st.composite
def planted(draw: st.DrawFn) -> tuple[Any, list[str]]:
    """A nested structure with secrets under secret-named keys at random depths."""
    tree = draw(st.dictionaries(st.sampled_from(PLAIN_KEYS), _plain_tree(), max_size=4))
    secrets_: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        value = draw(secret_text)
        secrets_.append(value)
        node: Any = tree
        for key in draw(st.lists(st.sampled_from(PLAIN_KEYS), max_size=4)):
            child = node.get(key)
            if not isinstance(child, dict):
                child = node[key] = {}
            node = child
        leaf: Any = value if draw(st.booleans()) else [value, {"more": value}]
        node[draw(st.sampled_from(SECRET_KEYS))] = leaf
    return tree, secrets_


@given(planted())
@settings(max_examples=200, deadline=None)
def test_secret_named_keys_at_any_depth_lose_their_values(case: tuple[Any, list[str]]) -> None:
    tree, secrets_ = case
    before = orjson.dumps(tree)
    out = R.tree(tree)
    text = orjson.dumps(out)
    assert orjson.dumps(tree) == before, "the input is not modified"
    for value in secrets_:
        assert value.encode() not in text
    assert b"[redacted hmac-sha256:" in text
    assert R.tree(out) == out, "redaction is idempotent (a saved inventory can be redacted again)"


@given(_plain_tree())
@settings(max_examples=200, deadline=None)
def test_data_without_secrets_is_unchanged(tree: Any) -> None:
    assert R.tree(tree) is tree


@pytest.mark.parametrize(
    "value",
    [
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEow...\n-----END RSA PRIVATE KEY-----",
        "x -----BEGIN OPENSSH PRIVATE KEY----- y",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "DefaultEndpointsProtocol=https;AccountName=nw;AccountKey=abc123==;EndpointSuffix=core.windows.net",
        "Server=tcp:db.example.net;Database=app;User ID=app;Password=hunter2;",
        "https://nw.blob.core.windows.net/c?sv=2022-11-02&ss=b&sig=AbCdEf0123456789%2B%3D",
        "postgresql://app:hunter2@db.internal:5432/app",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "ghp_0123456789abcdefghijABCDEFGHIJ012345",
        "AIzaSyA1234567890abcdefghijklmnopqrstuv",
    ],
)
def test_secret_looking_values_are_redacted_under_any_key(value: str) -> None:
    assert secret_value(value)
    out = R.tree({"description": value, "list": [value]})
    assert value not in orjson.dumps(out).decode()


@pytest.mark.parametrize(
    "value",
    [
        "arn:aws:s3:::nw-audit-logs",
        "projects/nw-prod/locations/global",
        "AES256",
        "2026-11-29T10:00:00+00:00",
        "0123456789abcdef0123456789abcdef01234567",
        "https://nw.blob.core.windows.net/",
        "TLS1_2",
        "password=",
    ],
)
def test_ordinary_values_are_kept(value: str) -> None:
    assert not secret_value(value)


@pytest.mark.parametrize("key", SECRET_KEYS)
def test_secret_key_names(key: str) -> None:
    assert secret_key(key)


@pytest.mark.parametrize("key", PLAIN_KEYS)
def test_plain_key_names(key: str) -> None:
    assert not secret_key(key)


def test_declared_fields_cross_lists_and_keep_unset_values() -> None:
    props = {
        "data": {
            "masterAuth": {"password": "hunter2", "username": "admin"},
            "items": [{"key": "startup-script", "value": "echo x"}, {"key": "k", "value": ""}],
        }
    }
    out = R.properties(props)
    assert is_marker(out["data"]["masterAuth"]["password"]) and out["data"]["masterAuth"]["username"] == "admin"
    assert is_marker(out["data"]["items"][0]["value"]) and out["data"]["items"][1]["value"] == ""
    assert props["data"]["masterAuth"]["password"] == "hunter2"
    assert R.properties({"data": {"masterAuth": {"password": None}}})["data"]["masterAuth"]["password"] is None


def test_booleans_and_numbers_under_secret_keys_are_kept() -> None:
    props = {"disablePasswordAuthentication": True, "password": 12, "token": None, "secret": ""}
    assert R.tree(props) is props


def test_same_value_same_marker_and_salt_changes_it() -> None:
    assert R.marker("a") == R.marker("a") != R.marker("b")
    assert Redactor(b"other").marker("a") != R.marker("a")


def test_salt_file_is_created_private_once_and_env_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.delenv(SALT_ENV, raising=False)
    salt = load_salt()
    path = tmp_path / "cfg" / "trustsweep" / "redaction-salt"
    assert path.read_bytes().strip() == salt and len(salt) == 64
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert redactor().marker("x") == Redactor(salt).marker("x")
    monkeypatch.setenv(SALT_ENV, "from-the-environment")
    assert load_salt() == b"from-the-environment"


def _collector_with_secrets(ctx: Collector) -> None:
    ctx.add(
        "x.thing",
        "id-1",
        "thing",
        tags={"db_password": "hunter2-planted", "team": "core"},
        data={"items": [{"key": "startup-script", "value": "pw-planted"}]},
    )


def test_run_unit_redacts_every_resource_with_the_units_declared_fields() -> None:
    unit = WorkUnit(
        "x", Target("x", "t"), "global", "svc", f"{__name__}:_collector_with_secrets", ("x.thing",), redaction=R
    )
    text = orjson.dumps(run_unit(unit).resources[0].properties)
    assert b"hunter2-planted" not in text and b"pw-planted" not in text and b"core" in text
    assert b"test-salt" not in orjson.dumps(repr(unit))
    # a unit planned without the engine (no declared fields) still gets the generic rules
    bare = WorkUnit("x", Target("x", "t"), "global", "svc", f"{__name__}:_collector_with_secrets", ("x.thing",))
    text = orjson.dumps(run_unit(bare).resources[0].properties)
    assert b"hunter2-planted" not in text and b"pw-planted" in text


def test_target_attrs_written_down_are_redacted() -> None:
    target = Target("gcp", "p", attrs={"labels": {"db_password": "label-planted", "env": "prod"}, "secret_x": "y"})
    public = target.public_attrs()
    assert public["labels"]["env"] == "prod" and is_marker(public["labels"]["db_password"]) and "secret_x" not in public
