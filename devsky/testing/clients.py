"""API clients that authenticate through the real stack."""

from __future__ import annotations

from rest_framework.test import APIClient


def client_for(user) -> APIClient:
    """An API client logged in as ``user`` (a real session, checked by the authentication classes)."""
    client = APIClient()
    client.force_login(user)
    return client
