"""``python -m trustsweep_azure.emulator --subscriptions N --resources M [--latency S]``: serve a scale estate."""

from .demo import serve_main

serve_main()
