"""Checks: one module per area, each check an ``@check`` function."""
