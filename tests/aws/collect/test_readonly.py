"""Read-only by construction: the guard refuses writes before they reach the wire, and the shipped
least-privilege policy allows every operation the plugin may make (and so every one the tests made)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trustsweep.plugin import counting
from trustsweep_aws import session
from trustsweep_aws.emulator import AwsEmulator
from trustsweep_aws.readonly import ALLOWED, ReadOnlyViolation, iam_action

POLICY = Path(__file__).resolve().parents[3] / "docs" / "aws-iam-policy.json"


def policy_actions() -> set[str]:
    doc = json.loads(POLICY.read_text())
    out: set[str] = set()
    for stmt in doc["Statement"]:
        assert stmt["Effect"] == "Allow"
        actions = stmt["Action"] if isinstance(stmt["Action"], list) else [stmt["Action"]]
        out.update(actions)
    return out


def test_policy_grants_exactly_the_allowlist() -> None:
    actions = policy_actions()
    assert set(ALLOWED.values()) == actions
    assert not [a for a in actions if "*" in a], "no wildcard actions in the least-privilege policy"


def test_allowlist_holds_only_reads() -> None:
    reads = ("Get", "List", "Describe", "BatchGet")
    odd = {op for op in ALLOWED if not op.split(":")[1].startswith(reads)}
    # the only non-Get/List/Describe operations, each justified in readonly.py
    assert odd == {"iam:GenerateCredentialReport", "sts:AssumeRole"}


def test_write_operations_are_refused_before_the_wire(aws_env: AwsEmulator) -> None:
    attrs: dict = {}
    s3 = session.client(attrs, {}, "s3", "us-east-1")
    with counting() as counter:
        with pytest.raises(ReadOnlyViolation, match="s3:CreateBucket"):
            s3.create_bucket(Bucket="should-not-exist")
        with pytest.raises(ReadOnlyViolation, match="iam:CreateUser"):
            session.client(attrs, {}, "iam", "us-east-1").create_user(UserName="mallory")
        with pytest.raises(ReadOnlyViolation):
            session.client(attrs, {}, "ec2", "us-east-1").describe_instance_attribute(
                InstanceId="i-1", Attribute="userData"
            )  # a read, but one that returns secrets: not allowed
    assert counter.requests == 0
    assert s3.list_buckets()["Buckets"] == []


def test_every_operation_the_tests_made_is_in_the_policy(northwind) -> None:
    """After the full organisation sweep, every recorded operation maps to a policy action."""
    assert northwind.sweep.results
    made = dict(session.OPERATIONS)
    assert len(made) >= 30
    actions = policy_actions()
    missing = sorted(op for op in made if iam_action(*op.split(":")) not in actions)
    assert missing == []
