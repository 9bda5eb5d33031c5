"""A local fake of the GitHub REST API with Northwind's organisation, for tests and ``trustsweep demo``.

``server`` imports ``trustme`` only when a fake starts; nothing here imports the plugin's client.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from trustsweep.plugin import DemoEnv

from .demo import ORG, demo_estate, scale_estate
from .estate import GitHubEstate
from .server import FakeGitHub

__all__ = ["ORG", "FakeGitHub", "GitHubEstate", "demo_emulator", "demo_estate", "scale_estate"]


@contextmanager
def demo_emulator(workdir: Path) -> Iterator[DemoEnv]:
    """Serve Northwind's organisation and yield the DemoEnv pointing the plugin at it."""
    estate = demo_estate()
    with FakeGitHub(estate, Path(workdir), page_size=2) as fake:
        yield DemoEnv(
            env=fake.env(),
            targets=[ORG],  # the target id of an organisation is its login
            options={"endpoint": fake.url, "cache_dir": str(Path(workdir) / "cache"), "retry_base_seconds": 0.05},
            description=f"fake GitHub REST API at {fake.url} (the {ORG} organisation, "
            f"{len(estate.orgs[ORG].repos)} repositories)",
            requests=fake.requests,
            writes=fake.writes,
        )
