"""The GCP emulator: a fake of the Cloud Asset Inventory and Security Command Center REST APIs
(:mod:`.server`), builders of realistic asset records (:mod:`.estate`), real CAI export files read
into them (:mod:`.records`), the Northwind Analytics demo estate (:mod:`.northwind`) and pytest
fixtures (:mod:`.fixtures`).

No Google SDK is imported here; ``trustsweep demo`` starts it through ``trustsweep_emulators``.
"""

from __future__ import annotations

from .northwind import PROJECTS, demo_emulator, seed_northwind
from .records import cai_record, load_cai_file, project_of
from .server import FakeGcp, Fault

__all__ = [
    "PROJECTS",
    "FakeGcp",
    "Fault",
    "cai_record",
    "demo_emulator",
    "load_cai_file",
    "project_of",
    "seed_northwind",
]
