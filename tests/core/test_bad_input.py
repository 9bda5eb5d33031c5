"""Every crash on bad input is one line and exit 2 (130 for Ctrl-C): never a traceback.

YAML aliases (recursive, bombs), impossible dates, corrupted gzip, wrong JSON types in an inventory,
output into a missing folder, ``--workers -3``, ``--save-inventory`` clashing with a file, a FIFO
given as a file, Ctrl-C, a terminal that cannot encode the data.
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from trustsweep.cli import app
from trustsweep.inventory import save_target
from trustsweep.model import Resource, Target
from trustsweep.testing.cli import run_cli

UTC = dt.UTC


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def one_error_line(result, *parts: str, code: int = 2) -> str:
    assert result.exit_code == code if hasattr(result, "exit_code") else result.returncode == code, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("trustsweep: error: "), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for part in parts:
        assert part in lines[0], lines[0]
    return lines[0]


# --------------------------------------------------------------------------------------------
# YAML: config and mapping files


BOMB = "\n".join(
    ["a0: &a0 [x, x, x, x, x, x, x, x, x]"] + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
)

YAML_CASES = {
    "recursive-alias": ("settings: &s\n  aws: *s\n", "line 1: recursive alias"),
    "alias-bomb": (BOMB + "\n", "too many values"),
    "impossible-date": (
        "waivers:\n  - check: aws.s3.bucket_tls_only\n    resource: x\n    reason: y\n"
        "    expires: 2027-02-30\n    approved_by: me\n",
        "line 5: invalid value '2027-02-30'",
    ),
    "deep-nesting": ("a: " + "[" * 3000 + "]" * 3000 + "\n", "line 1"),
    "deep-mapping": (
        "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(300)) + "  " * 300 + "v\n",
        "nested more than",
    ),
}


@pytest.mark.parametrize("case", sorted(YAML_CASES))
def test_hostile_yaml_is_one_line(tmp_path: Path, case: str) -> None:
    text, expected = YAML_CASES[case]
    path = tmp_path / f"{case}.yaml"
    path.write_text(text)
    started = time.perf_counter()
    for argv in (
        ["sweep", "-p", "aws", "--config", str(path), "--no-store", "-q"],
        ["controls", "--mapping", str(path)],
    ):
        one_error_line(invoke(*argv), str(path))
    assert expected in one_error_line(invoke("sweep", "-p", "aws", "--config", str(path), "--no-store"))
    assert time.perf_counter() - started < 60  # an alias bomb is refused, not expanded


def test_impossible_dates_on_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'e.sqlite'}"
    one_error_line(
        invoke(
            "waive",
            "aws.s3.bucket_tls_only",
            "--resource",
            "x",
            "--reason",
            "y",
            "--expires",
            "2027-02-30",
            "--approved-by",
            "me",
            "--store",
            url,
        ),
        "--expires",
    )
    one_error_line(invoke("history", "--from", "2027-02-30", "--store", url), "--from")


# --------------------------------------------------------------------------------------------
# inventories


def _inventory(tmp_path: Path, **header_changes) -> Path:
    target = Target("aws", "111122223333", "prod")
    resources = [
        Resource(
            "aws",
            "111122223333",
            "eu-west-1",
            "aws.s3.bucket",
            f"arn:aws:s3:::b{i}",
            properties={"blob": os.urandom(64).hex()},
        )
        for i in range(400)
    ]
    return save_target(tmp_path / "inv", target, resources, [], dt.datetime.now(UTC), properties_version=2)


def _rewrite(path: Path, edit) -> None:
    lines = gzip.decompress(path.read_bytes()).splitlines()
    lines = edit([orjson.loads(line) for line in lines])
    path.write_bytes(gzip.compress(b"\n".join(orjson.dumps(x) for x in lines) + b"\n"))


def _set(index: int, *keys_and_value):
    *keys, value = keys_and_value

    def edit(records):
        node = records[index]
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value
        return records

    return edit


WRONG_TYPES = {
    "resource-id-number": (_set(1, "resource", "id", 5), "line 2", "resource.id must be a string, not a number"),
    "properties-array": (_set(1, "resource", "properties", [1]), "line 2", "resource.properties must be an object"),
    "resource-null": (_set(3, "resource", None), "line 4", "resource must be a JSON object, not null"),
    "header-provider-bool": (_set(0, "provider", True), "line 1", "header.provider must be a string, not a boolean"),
    "header-attrs-list": (_set(0, "target_attrs", ["x"]), "line 1", "header.target_attrs must be an object"),
    "collected-at-date": (_set(0, "collected_at", "2027-02-30"), "line 1", "malformed header"),
    "error-types-string": (
        lambda r: [
            *r,
            {
                "error": {
                    "provider": "aws",
                    "target": "1",
                    "region": "x",
                    "service": "s",
                    "resource_types": "aws.s3.bucket",
                    "reason": "r",
                }
            },
        ],
        "line 402",
        "error.resource_types must be an array",
    ),
}


@pytest.mark.parametrize("case", sorted(WRONG_TYPES))
def test_wrong_json_types_in_an_inventory(tmp_path: Path, case: str) -> None:
    edit, place, message = WRONG_TYPES[case]
    path = _inventory(tmp_path)
    _rewrite(path, edit)
    line = one_error_line(invoke("evaluate", "--inventory", str(tmp_path / "inv"), "--no-store"))
    assert f"{path}:{place}" in line and message in line


@pytest.mark.parametrize("where", [0.3, 0.6, 0.9])
def test_corrupted_gzip_blocks(tmp_path: Path, where: float) -> None:
    path = _inventory(tmp_path)
    data = bytearray(path.read_bytes())
    at = int(len(data) * where)
    data[at : at + 16] = bytes(b ^ 0x5A for b in data[at : at + 16])
    path.write_bytes(bytes(data))
    one_error_line(invoke("evaluate", "--inventory", str(tmp_path / "inv"), "--no-store"), str(path))


# --------------------------------------------------------------------------------------------
# options and paths


def test_workers_must_be_positive() -> None:
    one_error_line(invoke("sweep", "-p", "aws", "--workers", "-3", "--no-store", "-q"), "--workers must be at least 1")
    one_error_line(invoke("sweep", "-p", "aws", "--workers", "0", "--no-store", "-q"), "--workers")


def test_save_inventory_clashing_with_a_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    one_error_line(
        invoke("sweep", "-p", "aws", "--save-inventory", str(tmp_path / "file"), "--no-store", "-q"), "not a directory"
    )
    (tmp_path / "inv").mkdir()
    (tmp_path / "inv" / "aws").write_text("mine")
    one_error_line(
        invoke("sweep", "-p", "aws", "--save-inventory", str(tmp_path / "inv"), "--no-store", "-q"),
        str(tmp_path / "inv" / "aws"),
    )
    assert (tmp_path / "inv" / "aws").read_text() == "mine"
    folder = tmp_path / "inv2" / "aws" / "111122223333.jsonl.gz"
    folder.mkdir(parents=True)
    from trustsweep.errors import UserError

    with pytest.raises(UserError, match="cannot save the inventory"):
        save_target(
            tmp_path / "inv2", Target("aws", "111122223333"), [], [], dt.datetime.now(UTC), properties_version=2
        )


def test_history_out_into_a_missing_folder(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'e.sqlite'}"
    assert (
        invoke(
            "waive",
            "aws.s3.bucket_tls_only",
            "--resource",
            "x",
            "--reason",
            "y",
            "--expires",
            "2999-01-01",
            "--approved-by",
            "me",
            "--allow-long",
            "--store",
            url,
        ).exit_code
        == 0
    )
    for out in (tmp_path / "missing" / "chart.html", tmp_path):
        one_error_line(invoke("history", "--out", str(out), "--store", url), str(out))
    assert invoke("history", "--out", str(tmp_path / "chart.md"), "--store", url).exit_code == 0


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_fifo_or_device_given_as_a_file_is_refused_without_blocking(tmp_path: Path, kind: str) -> None:
    if kind == "fifo":
        special = tmp_path / "pipe.yaml"
        os.mkfifo(special)
    else:
        special = Path("/dev/zero")
    inv = tmp_path / "inv" / "aws"
    inv.mkdir(parents=True)
    if kind == "fifo":
        os.mkfifo(inv / "111122223333.jsonl")
    else:
        (inv / "111122223333.jsonl").symlink_to("/dev/zero")
    url = f"sqlite:///{tmp_path / 'e.sqlite'}"
    for argv in (
        ["sweep", "-p", "aws", "--config", str(special), "--no-store", "-q"],
        ["controls", "--mapping", str(special)],
        ["evaluate", "--inventory", str(tmp_path / "inv"), "--no-store"],
        ["validate", str(special)],
        [
            "attest",
            "add",
            "CC6.2",
            "--type",
            "access-review",
            "--file",
            str(special),
            "--expires",
            "2999-01-01",
            "--by",
            "me",
            "--store",
            url,
        ],
    ):
        one_error_line(invoke(*argv), "not a regular file")


# --------------------------------------------------------------------------------------------
# the terminal: encoding and Ctrl-C (a real process)


def test_a_terminal_that_cannot_encode_the_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'e.sqlite'}"
    ascii_env = {"PYTHONIOENCODING": "ascii", "LANG": "C", "LC_ALL": "C", "COLUMNS": "80"}
    added = run_cli(
        "waive",
        "aws.s3.bucket_tls_only",
        "--resource",
        "arn:aws:s3:::grüße-✅",
        "--reason",
        "漢字 😀",
        "--expires",
        "2999-01-01",
        "--approved-by",
        "Zoë",
        "--allow-long",
        "--store",
        url,
        env=ascii_env,
    )
    assert added.returncode == 0 and "Traceback" not in added.stderr, added.stderr
    listed = run_cli("waivers", "list", "--store", url, env=ascii_env)
    assert listed.returncode == 0 and "Traceback" not in listed.stderr, listed.stderr
    assert "Zo\\xeb" in listed.stdout and listed.stdout.isascii()
    bad = run_cli("sweep", "-p", "aws", "--config", str(tmp_path / "übel.yaml"), "--no-store", env=ascii_env)
    assert "bel.yaml: cannot read file" in one_error_line(bad)


HANGING_PLUGIN = """
import threading
from pathlib import Path

from trustsweep.plugin import Collector, Provider, ProviderSpec, Target, hookimpl


class HangProvider(Provider):
    name = "hang"

    def targets(self, requested):
        return [Target("hang", t) for t in requested]

    def work(self, target, regions):
        return [self.unit(target, "global", "block", collect, ("hang.thing",))]


def collect(ctx: Collector) -> None:
    Path(ctx.target.id).write_text("collecting")  # tells the test the worker is blocked now
    threading.Event().wait()  # a collector that never returns (a hung read)


@hookimpl
def trustsweep_providers():
    return [ProviderSpec("hang", "A provider whose collector hangs", "hangplugin:HangProvider")]
"""


def test_ctrl_c_while_a_worker_hangs_is_one_line_and_exit_130(tmp_path: Path) -> None:
    """A collector that never returns: Ctrl-C must neither hang waiting for it nor print a traceback."""
    site = tmp_path / "site"
    dist = site / "hangplugin-0.1.0.dist-info"  # found through its entry point, as an installed plugin is
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: hangplugin\nVersion: 0.1.0\n")
    (dist / "entry_points.txt").write_text("[trustsweep]\nhang = hangplugin\n")
    (dist / "RECORD").write_text("")
    (site / "hangplugin.py").write_text(HANGING_PLUGIN, encoding="utf-8")
    marker = tmp_path / "blocked"
    exe = Path(sys.executable).with_name("trustsweep")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen(
        [str(exe), "sweep", "-p", "hang", "--target", str(marker), "--no-store", "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():  # the worker is inside the collector
            assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
            time.sleep(0.05)
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        try:
            _out, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:  # today: it waits for the hung worker; a second Ctrl-C "at shutdown"
            proc.send_signal(signal.SIGINT)
            _out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, (proc.returncode, err)
    assert [line for line in err.splitlines() if line.strip()] == ["trustsweep: error: interrupted"], err


def test_a_fifo_given_as_a_report_is_refused_not_waited_on(trivy_site: Path, tmp_path: Path) -> None:
    """A FIFO (or any non-regular file) as a target is not read: nothing blocks on it."""
    fifo = tmp_path / "report.json"
    os.mkfifo(fifo)
    out = tmp_path / "out"
    proc = run_cli("sweep", "-p", "trivy", "--target", str(fifo), "--no-store", "-q", "--out", str(out), timeout=60)
    assert proc.returncode == 3, proc.stderr  # incomplete: an error result, not a hang and not a pass
    assert "not a regular file" in (out / "summary.md").read_text(encoding="utf-8")


def test_ctrl_c_while_the_interpreter_shuts_down(tmp_path: Path) -> None:
    """After the command finished, Python waits for a non-daemon thread: Ctrl-C there is one line, exit 130."""
    code = (
        "import sys, threading, time\n"
        "from trustsweep.cli import main\n"
        "threading.Thread(target=time.sleep, args=(60,)).start()\n"
        "sys.argv = ['trustsweep', 'plugins', 'list', '--format', 'json']\n"
        "main()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().startswith("[")  # the command is running; it ends within a moment
        time.sleep(1.0)
        assert proc.poll() is None  # waiting for the thread
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, err
    assert [line for line in err.splitlines() if line.strip()] == ["trustsweep: error: interrupted"], err


@pytest.mark.parametrize("case", ["recursive", "bomb"])
def test_oscal_yaml_with_hostile_aliases_is_refused_not_walked(tmp_path: Path, case: str) -> None:
    """``validate`` of an OSCAL YAML file: a recursive alias crashed the schema walk, a bomb hung it."""
    path = tmp_path / "assessment-results.yaml"
    body = (
        "  metadata: &m\n    remarks: *m\n"
        if case == "recursive"
        else "".join(f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9) if i else 'x'}]\n" for i in range(10))
    )
    path.write_text("assessment-results:\n" + body)
    line = one_error_line(invoke("validate", str(path), "--oscal-version", "1.2.1"), str(path))
    assert ("recursive alias" if case == "recursive" else "too many values") in line
