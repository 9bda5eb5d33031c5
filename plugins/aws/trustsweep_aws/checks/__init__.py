"""Check functions: pure ``(resource, ctx) -> Outcome``; they read the inventory, never an API."""
