"""Collectors: ``org`` (the organisation) and ``repos`` (protection, rulesets and merged history per repository)."""
