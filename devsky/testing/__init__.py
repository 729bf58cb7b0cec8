"""Shared test helpers: API clients per role and the URL-conf walker."""
