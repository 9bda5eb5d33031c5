"""GCP checks: pure functions ``(resource, ctx) -> Outcome`` over the collected inventory."""
