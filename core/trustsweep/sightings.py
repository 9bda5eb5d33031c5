"""What earlier sweeps recorded of a resource: the read-only history a provider may plan with.

A plugin that judges something *across runs* (how long a vulnerability has been open, when it
was fixed) asks its :attr:`Provider.history <trustsweep.provider.Provider.history>` for the
last stored record of the resources it is about to collect::

    seen = self.history.last_seen("scanners", "scanners.artifact", ["trivy:image:registry/app"])
    prior = seen.get("trivy:image:registry/app")   # a Sighting, or absent
    prior.at, prior.sweep, prior.properties         # when, which sweep, what was recorded

The engine hands every provider the history of the evidence store the sweep is recorded in
(``sweep`` with a store); without one (``--no-store``, ``evaluate``, the library without a
store) it is :data:`NO_SIGHTINGS`, which knows nothing. The lookup is read-only, never creates
a store, and reads only evidence that verifies. Plugins call it while planning (``targets`` and
``work`` run in the engine's process) and pass what they need to their units as options, so
collectors on other machines never need the store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Sighting:
    """The last record of one resource in an earlier stored sweep."""

    sweep: str  #: the sweep's id
    at: dt.datetime  #: when that sweep started (UTC)
    properties: Mapping[str, Any] = field(default_factory=dict)  #: the resource's properties as recorded


class Sightings(Protocol):
    """A read-only lookup of earlier stored sweeps (see the module docstring)."""

    def last_seen(
        self, provider: str, type_: str, ids: Collection[str], since: dt.datetime | None = None
    ) -> dict[str, Sighting]:
        """The latest earlier record of each resource ``(provider, type_, id)`` found, by id.

        Any target's record counts (a report moved to another folder keeps its history). Only
        sweeps started at or after ``since`` are read when it is given; an id never recorded is
        absent from the answer.
        """
        ...


class NoSightings:
    """The history of a sweep without an evidence store: nothing was seen before."""

    def last_seen(
        self, provider: str, type_: str, ids: Collection[str], since: dt.datetime | None = None
    ) -> dict[str, Sighting]:
        return {}


NO_SIGHTINGS: Sightings = NoSightings()
