"""Targets and the operating window: what a user may type, and what is refused (exit 2)."""

from __future__ import annotations

import datetime as dt

import pytest

from trustsweep.plugin import UserError
from trustsweep_github.provider import parse_target, window_start

NOW = dt.datetime(2026, 11, 30, 15, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("org:northwind", ("org", "northwind")),
        ("northwind", ("org", "northwind")),
        ("northwind/api", ("repo", "northwind/api")),
        ("octo-cat/hello.world_2", ("repo", "octo-cat/hello.world_2")),
    ],
)
def test_targets(text: str, expected: tuple[str, str]) -> None:
    assert parse_target(text) == expected


@pytest.mark.parametrize("text", ["", "org:", "a/b/c", "org:two words", "-dash", "owner/", "repo:x", "x/../y"])
def test_bad_targets_are_refused(text: str) -> None:
    with pytest.raises(UserError, match="org:NAME, NAME or OWNER/REPO"):
        parse_target(text)


def test_the_window_starts_at_utc_midnight() -> None:
    assert window_start(None, NOW) == dt.datetime(2026, 9, 1, tzinfo=dt.UTC)  # 90 days
    assert window_start("30d", NOW) == window_start("30", NOW) == dt.datetime(2026, 10, 31, tzinfo=dt.UTC)
    assert window_start("2026-06-15", NOW) == dt.datetime(2026, 6, 15, tzinfo=dt.UTC)


@pytest.mark.parametrize("text", ["yesterday", "2999-01-01", "-5d"])
def test_a_bad_window_is_refused(text: str) -> None:
    with pytest.raises(UserError, match="--github-since"):
        window_start(text, NOW)
