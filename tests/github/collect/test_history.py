"""Who counts as an approver: the last verdict before the merge, per reviewer."""

from __future__ import annotations

from trustsweep.plugin import parse_time
from trustsweep_github.collect.history import approvers

MERGED = parse_time("2026-10-10T12:00:00Z")


def review(user: str, state: str, at: str) -> dict[str, object]:
    return {"user": {"login": user}, "state": state, "submitted_at": f"2026-10-{at}Z"}


def test_the_last_verdict_before_the_merge_counts() -> None:
    reviews = [
        review("alice", "APPROVED", "09T10:00:00"),
        review("bob", "APPROVED", "09T10:00:00"),
        review("bob", "CHANGES_REQUESTED", "09T11:00:00"),
        review("carol", "CHANGES_REQUESTED", "09T10:00:00"),
        review("carol", "APPROVED", "09T11:00:00"),
        review("dave", "APPROVED", "09T10:00:00"),
        review("dave", "DISMISSED", "09T12:00:00"),
        review("erin", "APPROVED", "09T10:00:00"),
        review("erin", "COMMENTED", "09T13:00:00"),
    ]
    assert approvers(reviews, MERGED) == ["alice", "carol", "erin"]


def test_an_approval_after_the_merge_does_not_count() -> None:
    assert approvers([review("alice", "APPROVED", "11T09:00:00")], MERGED) == []
    assert approvers([review("alice", "APPROVED", "10T11:59:59")], MERGED) == ["alice"]


def test_a_deleted_reviewer_is_named_as_such() -> None:
    assert approvers([{"user": None, "state": "APPROVED", "submitted_at": "2026-10-01T00:00:00Z"}], MERGED) == [
        "(deleted user)"
    ]
