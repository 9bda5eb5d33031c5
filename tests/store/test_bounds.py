"""Bounds: an attestation counts at most its type's validity (the reason shown); a waiver on `*` or
longer than the maximum needs an explicit flag, from the CLI and from a config file alike; an
attestation for a criterion its type is not mapped to is an error."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trustsweep.aggregate import aggregate
from trustsweep.config import load_config
from trustsweep.errors import UserError
from trustsweep.model import Attestation
from trustsweep.store import open_store

UTC = dt.UTC
NOW = dt.datetime.now(UTC)


def _mapping(tmp_path: Path):  # the built-in SOC 2 mapping (access-review: 90 days)
    from trustsweep.testing.synthetic import synthetic_sweep

    return synthetic_sweep(tmp_path, resources_per_unit=1, targets=1).mapping


def test_an_old_attestation_claiming_centuries_is_capped_at_its_type_validity(tmp_path: Path) -> None:
    mapping = _mapping(tmp_path)
    assert mapping.attestation_types["access-review"].validity_days == 90
    old = Attestation(
        "a1",
        "CC6.2",
        "access-review",
        "0" * 64,
        "r.pdf",
        "Ann",
        dt.datetime(2019, 3, 1, tzinfo=UTC),
        dt.datetime(2999, 1, 1, tzinfo=UTC),
    )
    finding = next(f for f in aggregate(mapping, [], attestations=[old], now=NOW) if f.criterion_id == "CC6.2")
    assert finding.state == "not-satisfied" and finding.blocking
    state = finding.attestations[0]
    assert state.state == "expired" and state.attestation.expires == dt.datetime(2019, 5, 30, tzinfo=UTC)
    assert "expired on 2019-05-30" in finding.reason
    assert (
        "not 2999-01-01: type access-review counts for at most 90 days after the evidence date 2019-03-01"
        in finding.reason
    )
    # within its validity it counts, and the satisfied reason still says it was capped
    inside = dt.datetime(2019, 4, 1, tzinfo=UTC)
    finding = next(f for f in aggregate(mapping, [], attestations=[old], now=inside) if f.criterion_id == "CC6.2")
    assert finding.state == "satisfied" and "at most 90 days" in finding.reason


def test_attest_add_and_list_show_the_cap(tmp_path: Path, sqlite_url: str, cli) -> None:
    review = tmp_path / "review.md"
    review.write_text("reviewed\n")
    date = (NOW - dt.timedelta(days=10)).date()
    added = cli(
        "attest",
        "add",
        "CC6.2",
        "--type",
        "access-review",
        "--file",
        str(review),
        "--date",
        date.isoformat(),
        "--expires",
        "2999-01-01",
        "--by",
        "Ann",
        "--store",
        sqlite_url,
    )
    assert added.exit_code == 0, added.output
    capped = (date + dt.timedelta(days=90)).isoformat()
    assert f"until {capped}" in added.stdout and "at most 90 days" in added.stderr
    listed = json.loads(cli("attest", "list", "--format", "json", "--store", sqlite_url).stdout)
    assert listed[0]["expires"].startswith("2999-01-01")  # what was recorded stays as recorded
    assert listed[0]["valid_until"].startswith(capped) and listed[0]["state"] == "valid"
    assert "at most 90 days" in listed[0]["note"]


def test_attest_add_for_an_unmapped_criterion_is_an_error(tmp_path: Path, sqlite_url: str, cli) -> None:
    review = tmp_path / "review.md"
    review.write_text("x")
    result = cli(
        "attest",
        "add",
        "CC1.1",
        "--type",
        "pentest-report",
        "--file",
        str(review),
        "--expires",
        "2099-01-01",
        "--by",
        "a",
        "--store",
        sqlite_url,
    )
    assert result.exit_code == 2
    assert "CC1.1 is not mapped to attestation type 'pentest-report'" in result.stderr
    assert not Path(sqlite_url[len("sqlite:///") :]).exists()
    extra = tmp_path / "extra.yaml"
    extra.write_text("criteria:\n  CC1.1:\n    attestations: [pentest-report]\n")
    ok = cli(
        "attest",
        "add",
        "CC1.1",
        "--type",
        "pentest-report",
        "--file",
        str(review),
        "--expires",
        "2099-01-01",
        "--by",
        "a",
        "--mapping",
        str(extra),
        "--store",
        sqlite_url,
    )
    assert ok.exit_code == 0, ok.output


# --------------------------------------------------------------------------------------------
# waivers from the CLI


def _waive(cli, url: str, resource: str, days: int, *flags: str):
    expires = (NOW + dt.timedelta(days=days)).date().isoformat()
    return cli(
        "waive",
        "aws.s3.bucket_encryption",
        "--resource",
        resource,
        "--reason",
        "r",
        "--expires",
        expires,
        "--approved-by",
        "CISO",
        *flags,
        "--store",
        url,
    )


def _stored(url: str) -> list[dict]:
    path = Path(url[len("sqlite:///") :])
    if not path.exists():
        return []
    with open_store(url, create=False) as store:
        return [e.data for e in store.entries("waiver")]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    wildcard=st.booleans(),
    days=st.integers(2, 3000),
    max_days=st.integers(1, 1000),
    allow_wildcard=st.booleans(),
    allow_long=st.booleans(),
)
def test_waiver_bounds_from_the_cli(
    tmp_path_factory: pytest.TempPathFactory,
    cli,
    wildcard: bool,
    days: int,
    max_days: int,
    allow_wildcard: bool,
    allow_long: bool,
) -> None:
    url = f"sqlite:///{tmp_path_factory.mktemp('w') / 'e.sqlite'}"
    flags = ["--max-waiver-days", str(max_days)] + ["--allow-wildcard"] * allow_wildcard + ["--allow-long"] * allow_long
    result = _waive(cli, url, "*" if wildcard else "arn:aws:s3:::legacy", days, *flags)
    long = days > max_days + 1  # --expires is a date: up to a day shorter than `days`
    borderline = max_days - 1 <= days <= max_days + 1
    if borderline:
        return
    ok = (not wildcard or allow_wildcard) and (not long or allow_long)
    assert result.exit_code == (0 if ok else 2), result.output
    stored = _stored(url)
    if ok:
        assert [set(w.get("allowed", [])) for w in stored] == [
            {b for b, on in (("wildcard", wildcard), ("long", long)) if on}
        ]
    else:
        assert stored == [] and "waiver refused" in result.stderr
        assert ("--allow-wildcard" if wildcard and not allow_wildcard else "--allow-long") in result.stderr


def test_the_default_maximum_is_a_year(sqlite_url: str, cli) -> None:
    assert _waive(cli, sqlite_url, "arn:aws:s3:::b", 360).exit_code == 0
    refused = _waive(cli, sqlite_url, "arn:aws:s3:::b", 400)
    assert refused.exit_code == 2 and "more than the maximum of 365" in refused.stderr
    assert _waive(cli, sqlite_url, "arn:aws:s3:::b", 10, "--max-waiver-days", "0").exit_code == 2


# --------------------------------------------------------------------------------------------
# waivers from a config file


def _registry():
    from trustsweep.plugins import Registry

    return Registry.load()


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "trustsweep.yaml"
    path.write_text(text)
    return path


WAIVER = """waivers:
  - check: aws.s3.bucket_tls_only
    resource: {resource}
    reason: partner
    expires: {expires}
    approved_by: CISO
{extra}"""


@pytest.mark.parametrize(
    "resource,days,extra,message,line",
    [
        ("'*'", 30, "", "it waives the check on every resource (*); add 'allow_wildcard: true'", 3),
        ("arn:aws:s3:::b", 400, "", "more than the maximum of 365; add 'allow_long: true'", 5),
        ("arn:aws:s3:::b", 100, "max_waiver_days: 90\n", "more than the maximum of 90", 5),
        ("arn:aws:s3:::b", 10, "max_waiver_days: 0\n", "at least 1", 7),
        ("'*'", 30, "    allow_wildcard: yes please\n", "'allow_wildcard' must be true or false", 7),
    ],
)
def test_config_waivers_out_of_bounds_name_file_and_line(
    tmp_path: Path, resource: str, days: int, extra: str, message: str, line: int
) -> None:
    expires = (NOW + dt.timedelta(days=days)).date().isoformat()
    path = _config(tmp_path, WAIVER.format(resource=resource, expires=expires, extra=extra))
    with pytest.raises(UserError) as caught:
        load_config(path, _registry())
    text = str(caught.value)
    assert message in text and str(path) in text and f"line {line}" in text, text


def test_config_waivers_with_explicit_flags_load(tmp_path: Path) -> None:
    expires = (NOW + dt.timedelta(days=800)).date().isoformat()
    path = _config(
        tmp_path,
        WAIVER.format(resource="'*'", expires=expires, extra="    allow_wildcard: true\n    allow_long: true\n"),
    )
    config = load_config(path, _registry())
    assert [w.resource for w in config.waivers] == ["*"]
    longer = _config(
        tmp_path, WAIVER.format(resource="arn:aws:s3:::b", expires=expires, extra="max_waiver_days: 900\n")
    )
    assert len(load_config(longer, _registry()).waivers) == 1
