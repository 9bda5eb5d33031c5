"""Human-readable reports of a sweep: the terminal summary, summary.md, progress bars."""
