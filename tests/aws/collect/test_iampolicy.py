"""The IAM policy reading the IAM and S3 collectors rely on: full admin, write actions, TLS-only
bucket policies, trust principals."""

from __future__ import annotations

from trustsweep_aws import iampolicy


def test_iam_policy_helpers() -> None:
    admin = {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    assert iampolicy.allows_full_admin(admin)
    assert iampolicy.allows_full_admin('{"Statement": {"Effect": "Allow", "Action": ["*:*"], "Resource": ["*"]}}')
    assert not iampolicy.allows_full_admin({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "arn:x"}]})
    assert not iampolicy.allows_full_admin({"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]})
    assert iampolicy.write_actions(
        {"Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "ec2:Describe*", "s3:PutObject", "iam:*"]}]}
    ) == ["s3:PutObject", "iam:*"]
    assert iampolicy.is_read_action("dynamodb:Query") and not iampolicy.is_read_action("s3:*")
    tls = {
        "Statement": [
            {
                "Effect": "Deny",
                "Principal": {"AWS": ["*"]},
                "Action": ["s3:*"],
                "Condition": {"Bool": {"aws:SecureTransport": ["false"]}},
            }
        ]
    }
    assert iampolicy.denies_insecure_transport(tls)
    assert not iampolicy.denies_insecure_transport(
        {
            "Statement": [
                {
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:PutObject",
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                }
            ]
        }
    )
    trust = iampolicy.trust_principals(
        {
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": "arn:p", "AWS": ["a", "b"]},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                }
            ]
        }
    )
    assert {(t["type"], t["principal"]) for t in trust} == {("Federated", "arn:p"), ("AWS", "a"), ("AWS", "b")}
