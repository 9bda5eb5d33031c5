"""Data is data wherever it is shown: hostile strings through every output path.

Resource ids, reasons, waiver and attestation text full of markup, Markdown, HTML, control and BiDi
characters must never crash a command, reach the terminal raw, change the structure of Markdown
(tables, code spans) or become HTML elements or attributes. Tables fit an 80-column terminal.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from rich.cells import cell_len
from typer.testing import CliRunner

from trustsweep.cli import app
from trustsweep.model import Status
from trustsweep.report.summary import print_summary, render_markdown
from trustsweep.report.text import html_text, md_code, md_text, plain, print_table
from trustsweep.store import open_store, record_sweep
from trustsweep.store.history import load_history, render_html
from trustsweep.store.history import render_markdown as history_markdown
from trustsweep.testing.strategies import budget, hostile_text
from trustsweep.testing.synthetic import synthetic_sweep

UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
UTC = dt.UTC
MD = MarkdownIt("commonmark").enable("table")
OUR_TAGS = {"html", "head", "meta", "title", "style", "body", "h2", "p", "span", "table", "tr", "th", "td"}
OUR_ATTRS = {"charset", "style", "title"}
SLOW = settings(
    deadline=None,
    max_examples=budget(5),
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def assert_terminal_safe(output: str, width: int = 80) -> None:
    """No raw control or BiDi character, and no line wider than the terminal."""
    assert not UNSAFE.search(output), repr(UNSAFE.search(output))
    wide = [line for line in output.splitlines() if cell_len(line) > width]
    assert not wide, wide[:3]


def cells(markdown: str) -> list[list[tuple[str, str]]]:
    """Each table row of ``markdown`` as [(kind, text)] per cell; fails on any non-text inline."""
    tokens = MD.parse(markdown)
    assert not [t for t in tokens if t.type == "html_block"], "raw HTML block from data"
    rows: list[list[tuple[str, str]]] = []
    for token in tokens:
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows is not None and token.map is not None and rows:
            kinds = {c.type for c in token.children or []}
            assert kinds <= {"text", "code_inline"}, (token.content, kinds)
            text = "".join(c.content for c in token.children or [])
            rows[-1].append(("code" if "code_inline" in kinds else "text", text))
    return rows


def assert_markdown_shows(markdown: str, values: list[str]) -> None:
    """Every value appears as exactly its plain() text in some table cell; no inline markup from data."""
    shown = {text.strip() for row in cells(markdown) for _, text in row}
    for value in values:
        assert plain(value).strip() in shown, (value, md_text(value))
    for token in MD.parse(markdown):
        for child in token.children or []:
            assert child.type not in ("html_inline", "link_open", "image", "em_open", "strong_open"), child


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attrs: set[str] = set()
        self.titles: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            self.attrs.add(name)
            if name == "title" and value:
                self.titles.append(value)


# --------------------------------------------------------------------------------------------
# the primitives


@settings(max_examples=budget(300), deadline=None)
@given(hostile_text(), hostile_text())
def test_markdown_table_cells_show_data_verbatim(a: str, b: str) -> None:
    source = f"| code | text |\n|---|---|\n| {md_code(a)} | {md_text(b)} |\n"
    (_header, row) = cells(source)
    assert len(row) == 2
    if plain(a).strip():
        assert row[0] == ("code", plain(a)), (a, md_code(a))
    assert row[1][1] == plain(b).strip()


@settings(max_examples=budget(300), deadline=None)
@given(hostile_text())
def test_html_text_never_makes_elements_or_attributes(value: str) -> None:
    parser = Elements()
    parser.feed(f"<table><tr><td title='{html_text(value)}'>{html_text(value)}</td></tr></table>")
    parser.close()
    assert parser.tags == {"table", "tr", "td"} and parser.attrs == {"title"}
    if plain(value):
        assert parser.titles == [plain(value)]


@settings(max_examples=budget(50), deadline=None)
@given(st.lists(st.tuples(hostile_text(), hostile_text(), hostile_text()), min_size=1, max_size=4))
def test_tables_never_parse_markup_and_fit_80_columns(rows: list[tuple[str, str, str]]) -> None:
    from io import StringIO

    from rich.console import Console

    buf = StringIO()
    print_table(
        "Hostile [bold]title[/x]",
        ["resource", "reason", "by"],
        rows,
        out=Console(file=buf, width=80, markup=False, emoji=False, highlight=False),
    )
    assert_terminal_safe(buf.getvalue())


def test_plain_makes_controls_visible() -> None:
    assert plain("a\x1b[2Jb\r\n\u202ec\x00\x85") == "a\\x1b[2Jb\\r\\n\\u202ec\\x00\\x85"
    assert md_code("a`b``c") == "```a`b``c```" and md_code("`x") == "`` `x ``"
    assert md_text("<img src=x onerror=alert(1)>") == "\\<img src=x onerror=alert(1)\\>"


# --------------------------------------------------------------------------------------------
# every output path, end to end


@pytest.fixture(scope="module")
def base_sweeps(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    d = tmp_path_factory.mktemp("sweeps")
    return synthetic_sweep(d, resources_per_unit=4), synthetic_sweep(d, resources_per_unit=4)


def hostile_sweep(sweep: Any, rid: str, reason: str) -> Any:
    """A copy of ``sweep`` where one resource (and its results) carries ``rid`` and every reason is ``reason``."""
    victim = sweep.resources[0]
    resources = [dataclasses.replace(r, id=rid, name=reason) if r is victim else r for r in sweep.resources]
    results = [
        dataclasses.replace(
            r,
            resource_id=rid if r.resource_id == victim.id else r.resource_id,
            status=Status.FAIL if r.resource_id == victim.id else r.status,
            reason=reason,
        )
        for r in sweep.results
    ]
    findings = [dataclasses.replace(f, reason=reason) for f in sweep.findings]
    errors = [dataclasses.replace(e, reason=reason) for e in sweep.collection_errors]
    fresh = dataclasses.replace(
        sweep, resources=resources, results=results, findings=findings, collection_errors=errors, chain_head=""
    )
    return fresh


@SLOW
@given(rid=hostile_text(min_size=1), reason=hostile_text(min_size=1), who=hostile_text(min_size=1))
def test_hostile_data_through_every_output_path(
    base_sweeps: tuple[Any, Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    rid: str,
    reason: str,
    who: str,
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'evidence.sqlite'}"
        a, b = base_sweeps[0], hostile_sweep(base_sweeps[1], rid, reason)
        record_sweep(dataclasses.replace(a, chain_head=""), url)
        record_sweep(b, url)
        until = dt.datetime.now(UTC) + dt.timedelta(days=30)
        with open_store(url) as store:
            store.add_waiver(check_id="synthetic.tags.env", resource=rid, reason=reason, expires=until, approved_by=who)
            store.add_attestation(
                criterion="CC6.2",
                type_="access-review",
                data=b"x",
                filename=who.replace("/", "_"),
                attested_by=who,
                expires=until,
            )
            hist = load_history(store, None, None)

        # the terminal: summary, diff, waivers, attestations, history
        print_summary(b, Path(tmp) / f"out{rid[:3]}")
        assert_terminal_safe(capsys.readouterr().out)
        for argv in (
            ["diff", a.id, b.id],
            ["waivers", "list"],
            ["attest", "list"],
            ["history"],
            ["history", "--criterion", "CC6.1"],
        ):
            result = runner.invoke(app, [*argv, "--store", url], catch_exceptions=False)
            assert result.exit_code == 0, (argv, result.output)
            assert_terminal_safe(result.output)

        # Markdown: summary.md and the history chart
        assert_markdown_shows(render_markdown(b), [rid, reason])
        cells(history_markdown(hist))

        # HTML: only our elements and attributes; the reason shows in the title verbatim
        parser = Elements()
        parser.feed(render_html(hist))
        assert parser.tags <= OUR_TAGS and parser.attrs <= OUR_ATTRS, (parser.tags, parser.attrs)
        assert any(t.endswith(f": {plain(reason)}") for t in parser.titles)


def test_markup_in_a_role_path_does_not_crash_diff_or_waivers(
    base_sweeps: tuple[Any, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The two crashes of the issue, as a user meets them (today: rich.errors.MarkupError)."""
    monkeypatch.setenv("COLUMNS", "80")
    url = f"sqlite:///{tmp_path / 'evidence.sqlite'}"
    rid = "arn:aws:iam::111122223333:role/[/x]/ops`|<img src=x onerror=alert(1)>"
    a, b = base_sweeps[0], hostile_sweep(base_sweeps[1], rid, "[bold]broken[/x] \x1b[2J")
    record_sweep(dataclasses.replace(a, chain_head=""), url)
    record_sweep(b, url)
    runner = CliRunner()
    waived = runner.invoke(
        app,
        [
            "waive",
            "aws.s3.bucket_tls_only",
            "--resource",
            rid,
            "--reason",
            "[/x] until Q3",
            "--expires",
            "2999-01-01",
            "--approved-by",
            "[red]CISO",
            "--allow-long",
            "--store",
            url,
        ],
    )
    assert waived.exit_code == 0, waived.output
    for argv in (["diff", a.id, b.id], ["waivers", "list"]):
        result = runner.invoke(app, [*argv, "--store", url], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert_terminal_safe(result.output)
        assert "[/x]" in result.output
    md = render_markdown(b)
    assert "<img" not in MD.render(md) and "&lt;img" in MD.render(md)


def test_progress_bars_show_hostile_target_names_as_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """The progress bars on a terminal: markup in a target id neither crashes nor styles; controls are visible."""
    import io

    from trustsweep.model import Collected, Target, WorkUnit
    from trustsweep.report.progress import CliProgress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    err = Terminal()
    monkeypatch.setattr("sys.stderr", err)
    monkeypatch.setenv("COLUMNS", "80")
    unit = WorkUnit("aws", Target("aws", "[/x]\x1b[2J\u202e"), "[bold]eu", "s3", "m:f", ())
    with CliProgress() as progress:
        progress.planned("aws", 1)
        progress.unit_done(Collected(unit))
        progress.message("listing [/x] failed \x1b[31m")
    shown = err.getvalue()
    assert "[/x]\\x1b[2J\\u202e [bold]eu s3" in shown and "listing [/x] failed \\x1b[31m" in shown
    assert "\x1b[2J" not in shown and "\u202e" not in shown
