"""trustsweep: prove SOC 2 controls across clouds and write OSCAL assessment results."""

from __future__ import annotations

from importlib import metadata

try:
    __version__ = metadata.version("trustsweep")
except metadata.PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["__version__"]
