"""report.html: self-contained, every section present, hostile strings never become markup."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

from trustsweep.export.html import label

SECTIONS = [
    "summary",
    "criteria",
    "failures",
    "passing",
    "attestations",
    "waivers",
    "collection-errors",
    "scope",
    "versions",
]
OUR_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "header",
    "h1",
    "h2",
    "p",
    "section",
    "div",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "span",
    "code",
    "b",
    "br",
    "figure",
    "figcaption",
    "svg",
    "rect",
    "label",
    "select",
    "option",
    "details",
    "summary",
    "script",
}


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: Counter[str] = Counter()
        self.attrs: set[str] = set()
        self.ids: list[str] = []
        self.rows_in: dict[str, int] = Counter()
        self._table: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self.attrs.update(name for name, _ in attrs)
        for name, value in attrs:
            if name == "id" and value:
                self.ids.append(value)
                if tag == "table":
                    self._table.append(value)
        if tag == "table" and not any(n == "id" for n, _ in attrs):
            self._table.append("")
        if tag == "tr" and self._table:
            self.rows_in[self._table[-1]] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._table:
            self._table.pop()


def _parse(text: str) -> _Collect:
    parser = _Collect()
    parser.feed(text)
    return parser


def test_sections_and_counts(sweep, export) -> None:
    page = _parse((export("html") / "report.html").read_text(encoding="utf-8"))
    for section in SECTIONS:
        assert section in page.ids, section
    assert page.rows_in["criteria-table"] == len(sweep.findings) + 1  # + header row
    problems = sum(1 for r in sweep.results if r.status.value in ("fail", "error"))
    assert page.rows_in["problems"] == problems + 1
    assert page.rows_in["targets-table"] == len(sweep.targets) + 1


def test_hostile_strings_stay_text(export) -> None:
    text = (export("html") / "report.html").read_text(encoding="utf-8")
    page = _parse(text)
    assert set(page.tags) <= OUR_TAGS, set(page.tags) - OUR_TAGS
    assert page.tags["script"] == 1 and page.tags["img"] == 0
    assert not {a for a in page.attrs if a.startswith("on")}
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "&lt;/td&gt;&lt;/tr&gt;&lt;script&gt;" in text


def test_no_network_reference(export) -> None:
    text = (export("html") / "report.html").read_text(encoding="utf-8")
    assert "default-src 'none'" in text
    # the only URL-looking text is escaped data (the hostile HYPERLINK), never an attribute
    assert not re.search(r"""(src|href)\s*=\s*['"]?https?:""", text)


def test_labels(sweep) -> None:
    assert {label(f) for f in sweep.findings} <= {"satisfied", "not-satisfied", "incomplete", "not-assessed"}
