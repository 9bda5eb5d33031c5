"""``python -m trustsweep_aws.emulator``: serve a seeded estate (see :func:`.demo.serve`)."""

from .demo import serve

serve()
