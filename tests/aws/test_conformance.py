"""The aws plugin under the conformance suite: every check passes and fails on resources shaped like
the collectors' output (docs/aws.md lists each type's properties), plus the errors and
not-applicable answers the checks give and the outcomes moto cannot produce (root MFA, backup
selections, ...). The demo estate is swept read-only without errors by the suite itself."""

from __future__ import annotations

import subprocess
import sys
from typing import ClassVar

from trustsweep.model import Status
from trustsweep.provider import CheckContext, TargetInventory, load_object
from trustsweep.settings import resolve_all
from trustsweep.testing.checks import installed_registry
from trustsweep.testing.conformance import Case, PluginConformance

from .checks import cases as identity
from .checks import cases_operations as operations
from .checks.cases import NOW, res


class TestConformance(PluginConformance):
    plugin = "aws"
    cases: ClassVar[list[Case]] = [*identity.CASES, *operations.CASES]


def test_provider_wide_settings_decide_for_every_check() -> None:
    """``settings.aws.production_tag_keys`` reaches the checks that declare it (config file shape)."""
    spec = installed_registry().checks["aws.rds.multi_az_production"]
    settings, problems = resolve_all([spec], {"aws": {"production_tag_keys": ["tier"]}})
    assert not problems
    db = res("aws.rds.instance", tags={"tier": "prod"}, multi_az=False)
    ctx = CheckContext(TargetInventory("aws", "test-target", [db]), settings, NOW, spec.id)
    assert load_object(spec.function)(db, ctx).status is Status.FAIL


def test_planning_imports_no_sdk() -> None:
    """Besides registration, the provider and the check modules import no SDK until a unit runs."""
    code = (
        "import sys, trustsweep_aws.provider, trustsweep_aws.checks.access, trustsweep_aws.emulator; "
        "bad=[m for m in ('boto3','botocore','moto','trustme') if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
