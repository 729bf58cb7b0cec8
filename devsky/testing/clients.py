"""API clients that authenticate through the real stack."""

from __future__ import annotations

from django.test import Client
from rest_framework.test import APIClient


def client_for(user) -> APIClient:
    """An API client logged in as ``user`` (a real session, checked by the authentication classes)."""
    client = APIClient()
    client.force_login(user)
    return client


def browser_for(user) -> Client:
    """A plain Django client (form posts, HTML pages) logged in as ``user``, for the admin."""
    client = Client()
    client.force_login(user)
    return client
