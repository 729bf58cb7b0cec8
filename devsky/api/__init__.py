"""API machinery shared by every app: errors, routing, conditional requests, idempotency, pagination."""
