"""Every export, summary.md and the terminal summary read a sweep front to back, a bounded number
of times, never by index (at organisation scale the results stream from disk); and what they
list is capped, with a line saying how many more and where they are."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import pytest

from trustsweep.export import parse_exports, run_exports
from trustsweep.model import Resource, Status
from trustsweep.report.summary import print_summary, render_markdown, write_summary
from trustsweep.testing.streamed import RandomAccessError, streamed

FORMATS = ["csv", "ocsf:passes", "junit", "html"]


def _files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_the_streamed_sequences_refuse_random_access(sweep) -> None:
    s = streamed(sweep)
    with pytest.raises(RandomAccessError):
        s.sweep.results[0]
    with pytest.raises(RandomAccessError):
        s.sweep.resources[:10]
    with pytest.raises(RandomAccessError):
        s.sweep.findings[0].results[0]
    assert len(s.sweep.results) == len(sweep.results) and s.results.passes == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_export_streams_and_writes_what_a_list_gives(fmt, sweep, registry, tmp_path: Path) -> None:
    plain_out, streamed_out = tmp_path / "list", tmp_path / "streamed"
    plain_out.mkdir()
    streamed_out.mkdir()
    requested = parse_exports(registry.exporters, [fmt])
    run_exports(registry.exporters, requested, sweep, plain_out)
    s = streamed(sweep)
    run_exports(registry.exporters, requested, s.sweep, streamed_out)
    assert _files(streamed_out) == _files(plain_out)
    # one pass for the rows (plus one by today's Sweep.counts()); two over the resources (each
    # target's run, then its names); the findings' indices are not needed at all
    assert s.results.passes <= 2, s.results.passes
    assert s.resources.passes <= 2, s.resources.passes
    assert s.index_passes == 0


def test_summaries_stream(sweep, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    s = streamed(sweep)
    path = write_summary(s.sweep, tmp_path / "summary.md")
    assert path.read_text(encoding="utf-8") == render_markdown(sweep)
    assert s.results.passes <= 2 and s.resources.passes == 0 and s.index_passes == 0
    before = s.results.passes
    print_summary(s.sweep, tmp_path)
    assert "Check results by provider" in capsys.readouterr().out
    assert s.results.passes - before <= 1


def _problems(sweep) -> int:
    return sum(1 for r in sweep.results if r.status in (Status.FAIL, Status.ERROR))


def test_summary_lists_the_first_failures_and_says_how_many_more(sweep, monkeypatch: pytest.MonkeyPatch) -> None:
    from trustsweep.report import summary

    monkeypatch.setattr(summary, "MAX_PROBLEMS", 3)
    total = _problems(sweep)
    assert total > 3
    md = render_markdown(dataclasses.replace(sweep, chain_head=""))
    section = md.split(f"## Failures and errors ({total})\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")][1:]
    first = [r for r in sweep.results if r.status in (Status.FAIL, Status.ERROR)][:3]
    assert [row.split(" | ")[0].removeprefix("| ") for row in rows[:3]] == [
        r.check_id.replace("_", "\\_") for r in first
    ]
    assert len(rows) == 4
    assert f"… and {total - 3:,} more failing results: see assessment-results.json |" in rows[3]
    stored = render_markdown(dataclasses.replace(sweep, chain_head="f" * 64))
    assert "`trustsweep export` writes it again from the evidence store" in stored


def test_no_more_line_when_everything_is_listed(sweep) -> None:
    assert "more failing results" not in render_markdown(sweep)


def test_html_caps_the_failures_with_the_count_of_the_rest(sweep, tmp_path: Path, monkeypatch) -> None:
    from trustsweep.export import html

    monkeypatch.setattr(html, "MAX_PROBLEMS", 4)
    page = html.write_report(sweep, tmp_path / "report.html").read_text(encoding="utf-8")
    total = _problems(sweep)
    body = page.split("<table id='problems'>", 1)[1].split("</table>", 1)[0]
    assert body.count("<tr data-provider=") == 4
    assert f"<h2>Failures and errors ({total})</h2>" in page
    assert f"<p id='more-failing'>… and {total - 4:,} more failing results: see results.csv and " in page
    assert "showing <b id='shown'>4</b>" in page


def test_junit_caps_each_case_body(sweep, tmp_path: Path, monkeypatch) -> None:
    from trustsweep.export import junit

    monkeypatch.setattr(junit, "_MAX_LINES", 2)
    root = junit.build(sweep)
    suite = next(s for s in root if s.get("name") == "synthetic")
    verdicts = [child for case in suite for child in case if child.tag in ("failure", "error")]
    cut = [v for v in verdicts if len((v.text or "").splitlines()) > 2]
    assert cut, "no case has more than two failing results"
    for verdict in cut:
        lines = (verdict.text or "").splitlines()
        total = int(verdict.get("message", "").split()[0])  # "N check result(s) could not be obtained"
        assert len(lines) == 3
        assert lines[2] == f"… and {total - 2:,} more failing results: see results.csv or assessment-results.json"


def _names(out: Path) -> list[tuple[str, str]]:
    with (out / "results.csv").open(encoding="utf-8", newline="") as fh:
        return [(row["resource_id"], row["resource_name"]) for row in csv.DictReader(fh)]


def test_names_follow_targets_in_order_even_with_targets_without_resources(sweep, registry, tmp_path: Path) -> None:
    """A target with results but no resources (its units failed) and one with resources but no
    results do not shift the names of the targets after them."""
    lonely = [Resource("synthetic", "no-results", "r", "synthetic.bucket", f"lonely/{i}", f"L{i}") for i in range(3)]
    targets = list(dict.fromkeys(r.target for r in sweep.results))
    assert len(targets) >= 2
    cut = next(i for i, r in enumerate(sweep.results) if r.target == targets[1])
    ghost = [dataclasses.replace(r, target="ghost", resource_id=f"ghost/{i}") for i, r in enumerate(sweep.results[:4])]
    results = [*sweep.results[:cut], *ghost, *sweep.results[cut:]]
    moved = dataclasses.replace(sweep, resources=[*lonely, *sweep.resources], results=results)
    out = tmp_path / "csv"
    out.mkdir()
    run_exports(registry.exporters, parse_exports(registry.exporters, ["csv"]), streamed(moved).sweep, out)
    expected = {r.key: r.name for r in moved.resources if r.name and r.name != r.id}
    rows = _names(out)
    assert [name for _, name in rows] == [expected.get(r.resource_key, "") for r in results]
    assert sum(1 for _, name in rows if name) > len(rows) // 2
