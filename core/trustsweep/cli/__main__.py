"""``python -m trustsweep.cli``: the same as the ``trustsweep`` command."""

from . import main

main()
