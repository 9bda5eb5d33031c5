"""The Azure checks: ``@check``-declared pure functions ``(resource, ctx) -> Outcome``; no API calls,
no SDK import. Each reads the documented snake_case properties of its resource type (docs/azure.md)."""
