"""Credentials of every kind for a user, obtained through the real endpoints (for tests)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.test import Client
from oauth2_provider.models import Application
from rest_framework.test import APIClient

from devsky.services import api_key_create

TEST_PASSWORD = "pw-test-123"
ALL_SCOPES = "read write delete configure"


def jwt_pair(user, password: str = TEST_PASSWORD) -> dict[str, str]:
    response = APIClient().post("/api/v1/auth/token", {"username": user.username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def api_key_for(user, name: str = "test") -> str:
    _key, secret = api_key_create(username=user.username, name=name)
    return secret


def oauth_application(
    user, *, grant_type: str = Application.GRANT_CLIENT_CREDENTIALS, **extra
) -> tuple[Application, str]:
    """An application owned by ``user``; returns it and its client secret (stored hashed)."""
    secret = "s3cret-" + user.username
    application = Application.objects.create(
        name=f"app-{user.username}-{grant_type}",
        user=user,
        client_type=extra.pop("client_type", Application.CLIENT_CONFIDENTIAL),
        authorization_grant_type=grant_type,
        client_secret=secret,
        **extra,
    )
    return application, secret


def oauth_client_credentials_token(user, scope: str = ALL_SCOPES) -> str:
    application, secret = oauth_application(user)
    response = form_post(
        "/o/token/",
        {"grant_type": "client_credentials", "scope": scope},
        HTTP_AUTHORIZATION=_basic(application.client_id, secret),
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def form_post(path: str, data: dict[str, str], client: Client | None = None, **headers):
    """OAuth endpoints take application/x-www-form-urlencoded bodies."""
    return (client or Client()).post(path, urlencode(data), content_type="application/x-www-form-urlencoded", **headers)


def _basic(client_id: str, secret: str) -> str:
    import base64

    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def client_with(kind: str, user) -> APIClient:
    """An API client sending ``kind`` credentials (jwt, api_key, oauth) for ``user``."""
    client = APIClient()
    if kind == "jwt":
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {jwt_pair(user)['access']}")
    elif kind == "api_key":
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {api_key_for(user)}")
    elif kind == "oauth":
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {oauth_client_credentials_token(user)}")
    else:
        raise ValueError(kind)
    return client
