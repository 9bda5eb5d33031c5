"""Check functions of the Azure plugin: pure functions ``(resource, ctx) -> Outcome``; no API calls."""
