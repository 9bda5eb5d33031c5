"""The fault-injecting proxy lives in :mod:`trustsweep.testing.aws` (reusable by plugin authors)."""

from trustsweep.testing.aws import FaultProxy, Rule, ec2_error, json_error, query_error

__all__ = ["FaultProxy", "Rule", "ec2_error", "json_error", "query_error"]
