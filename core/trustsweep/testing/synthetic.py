"""A synthetic provider for tests and benchmarks: no network, deterministic, any size.

Register it with ``Registry.load(extra_plugins=[("synthetic", synthetic_plugin)])``. Its targets
are ``acct-0 … acct-N``; each unit yields ``resources_per_unit`` resources whose properties make
checks pass, fail or error in a fixed pattern, so tests know what to expect.

Options: ``resources_per_unit`` (int, default 10), ``regions`` (list), ``fail_units`` (list of
"target/region" strings whose collection raises), ``targets`` (int, default 2).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..plugin import (
    CheckContext,
    CheckSpec,
    Collector,
    DemoEnv,
    EmulatorSpec,
    Outcome,
    Provider,
    ProviderSpec,
    Resource,
    Target,
    WorkUnit,
    check,
    checks_in,
    failed,
    hookimpl,
    not_applicable,
    passed,
    setting,
)

PROVIDER = "synthetic"
TYPES = ("synthetic.bucket", "synthetic.key")
DEFAULT_REGIONS = ("north-1", "south-1")

SETTINGS = {
    "targets": setting("int", 2, "accounts acct-0 … acct-N-1 when no target is named", min=0, max=100_000),
    "regions": setting("list[str]", (), "regions (default north-1, south-1)"),
    "resources_per_unit": setting("int", 10, "resources per target × region", min=0, max=10_000_000),
    "fail_units": setting("list[str]", (), "TARGET/REGION units whose collection raises"),
}

MAPPING_YAML = """\
criteria:
  CC6.1:
    checks: [synthetic.storage.encrypted, synthetic.keys.rotation]
  CC6.7:
    checks: [synthetic.storage.encrypted]
  CC2.1:
    checks: [synthetic.tags.env]
"""


class SyntheticProvider(Provider):
    name = PROVIDER

    def targets(self, requested: Sequence[str]) -> list[Target]:
        ids = list(requested) or [f"acct-{i}" for i in range(int(self.options.get("targets", 2)))]
        return [Target(PROVIDER, i, name=f"Synthetic {i}", attrs={"production": i.endswith("0")}) for i in ids]

    def work(self, target: Target, regions: Sequence[str]) -> list[WorkUnit]:
        chosen = list(self.options.get("regions") or regions or DEFAULT_REGIONS)
        opts = {k: v for k, v in self.options.items() if k in ("resources_per_unit", "fail_units")}
        return [self.unit(target, region, "storage", collect, TYPES, opts) for region in chosen]


def make_resources(target: str, region: str, count: int, start: int = 0) -> Iterator[Resource]:
    """Resources whose index decides the outcome: i % 5 == 0 fails encryption, i % 7 == 0 errors."""
    for i in range(start, start + count):
        type_ = TYPES[i % 2]
        yield Resource(
            provider=PROVIDER,
            target=target,
            region=region,
            type=type_,
            id=f"syn:{target}:{region}:{type_.split('.')[1]}/{i}",
            name=f"{type_.split('.')[1]}-{i}",
            properties={
                "encrypted": i % 5 != 0,
                "rotation_days": 30 if i % 3 else 400,
                "broken": i % 7 == 0,
                "tags": {"env": "prod" if i % 2 else "dev"},
            },
        )


def collect(ctx: Collector) -> None:
    key = f"{ctx.target.id}/{ctx.region}"
    if key in (ctx.options.get("fail_units") or []):
        raise ConnectionError(f"synthetic outage in {key}")
    ctx.count()
    ctx.resources.extend(make_resources(ctx.target.id, ctx.region, int(ctx.options.get("resources_per_unit", 10))))


@check(
    "synthetic.storage.encrypted",
    title="Storage is encrypted at rest",
    types=TYPES,
    severity="high",
    rationale="Unencrypted data is exposed if media leak.",
    remediation="Turn on encryption.",
)
def storage_encrypted(resource: Resource, ctx: CheckContext) -> Outcome:
    if resource.properties.get("broken"):
        raise ValueError("synthetic check failure")
    if resource.properties.get("encrypted"):
        return passed("encrypted at rest")
    return failed("not encrypted at rest", encrypted=False)


@check(
    "synthetic.keys.rotation",
    title="Keys rotate at least every 90 days",
    types="synthetic.key",
    severity="medium",
    rationale="Old keys widen the blast radius.",
    remediation="Enable rotation.",
    aliases=("synthetic.key.rotation",),
    settings={"max_days": setting("int", 90, "longest rotation period in days", min=1, max=3653)},
)
def keys_rotation(resource: Resource, ctx: CheckContext) -> Outcome:
    if resource.type != "synthetic.key":
        return not_applicable("only keys rotate")
    limit = ctx.setting("max_days")
    days = int(resource.properties.get("rotation_days", 0))
    if days <= limit:
        return passed(f"rotates every {days} days", rotation_days=days)
    return failed(f"rotates every {days} days, more than {limit}", rotation_days=days)


@check(
    "synthetic.tags.env",
    title="Resources carry an env tag",
    types=TYPES,
    severity="low",
    rationale="Ownership must be known.",
    remediation="Tag resources.",
)
def tags_env(resource: Resource, ctx: CheckContext) -> Outcome:
    env = resource.properties.get("tags", {}).get("env")
    return passed("tagged", env=env) if env else failed("no env tag")


CHECKS = checks_in(__name__)


@contextmanager
def synthetic_demo(workdir: Path) -> Iterator[DemoEnv]:
    """An "emulator" for the synthetic provider: nothing to start, three targets to sweep."""
    workdir.mkdir(parents=True, exist_ok=True)
    yield DemoEnv(
        env={"TRUSTSWEEP_SYNTHETIC_DEMO": str(workdir)},
        targets=["acct-0", "acct-1", "acct-2"],
        regions=["north-1"],
        options={"resources_per_unit": 6},
        description="three synthetic accounts",
    )


class SyntheticPlugin:
    """The plugin object; ``mapping_dir`` is where its mapping file is written."""

    def __init__(self, mapping_dir: Path | None = None, emulator: bool = False) -> None:
        self.mapping_dir = mapping_dir
        self.emulator = emulator

    @hookimpl
    def trustsweep_emulators(self) -> list[EmulatorSpec]:
        if not self.emulator:
            return []
        return [EmulatorSpec(PROVIDER, f"{__name__}:synthetic_demo", "three synthetic accounts")]

    @hookimpl
    def trustsweep_providers(self) -> list[ProviderSpec]:
        return [ProviderSpec(PROVIDER, "Synthetic test cloud", f"{__name__}:SyntheticProvider", settings=SETTINGS)]

    @hookimpl
    def trustsweep_checks(self) -> list[CheckSpec]:
        return list(CHECKS)

    @hookimpl
    def trustsweep_mapping_files(self) -> list[Path]:
        if self.mapping_dir is None:
            return []
        path = self.mapping_dir / "synthetic.yaml"
        path.write_text(MAPPING_YAML, encoding="utf-8")
        return [path]


def synthetic_registry(tmp_dir: Path, **kwargs: Any) -> Any:
    """A registry with the installed plugins plus the synthetic one (mapping written to tmp_dir)."""
    from ..plugins import Registry

    return Registry.load(extra_plugins=[("synthetic", SyntheticPlugin(tmp_dir))], **kwargs)


def synthetic_mapping(registry: Any) -> Any:
    """The built-in mappings plus the synthetic plugin's, validated like a sweep's."""
    return registry.mapping()


def synthetic_sweep(
    tmp_dir: Path,
    *,
    resources_per_unit: int = 10,
    targets: int = 2,
    fail_units: Sequence[str] = (),
    attestations: Sequence[Any] = (),
    waivers: Sequence[Any] = (),
) -> Any:
    """Run a whole sweep of the synthetic provider in threads and return the Sweep."""
    from concurrent.futures import ThreadPoolExecutor

    from ..sweep import run_sweep

    registry = synthetic_registry(tmp_dir)
    mapping = synthetic_mapping(registry)
    options = {PROVIDER: {"resources_per_unit": resources_per_unit, "targets": targets, "fail_units": list(fail_units)}}
    with ThreadPoolExecutor(4) as pool:
        return run_sweep(
            registry,
            mapping,
            providers=[PROVIDER],
            provider_options=options,
            executor=pool,
            attestations=attestations,
            waivers=waivers,
        )


if __name__ == "__main__":  # pragma: no cover - manual smoke run
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        s = synthetic_sweep(Path(d))
        print(s.counts(), s.exit_code, file=sys.stderr)
