"""Read-only JSON API over the visible catalogue, served under /api/."""
