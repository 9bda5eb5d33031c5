"""Helpers for testing trustsweep and its plugins: emulators of the clouds and a pytest plugin.

Nothing here imports a cloud SDK or an emulator at import time.
"""
