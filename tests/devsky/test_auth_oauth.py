"""OAuth 2.0: authorization code with PKCE and client credentials; scopes ∩ roles decide."""

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from oauth2_provider.models import AccessToken, Application
from rest_framework.test import APIClient

from devsky.testing.auth import TEST_PASSWORD, form_post, oauth_application, oauth_client_credentials_token
from tests.devsky.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.testapp.urls")]
REDIRECT = "https://dashboard.example.com/callback"


def public_code_application(user) -> Application:
    """A public client (a single-page dashboard) using the authorization-code grant."""
    application, _secret = oauth_application(
        user,
        grant_type=Application.GRANT_AUTHORIZATION_CODE,
        client_type=Application.CLIENT_PUBLIC,
        redirect_uris=REDIRECT,
    )
    return application


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_authorization_code_with_pkce():
    user = UserFactory(roles=["content_manager"])
    application = public_code_application(user)
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    browser = Client()
    query = {
        "response_type": "code",
        "client_id": application.client_id,
        "redirect_uri": REDIRECT,
        "scope": "read write",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "state": "xyz",
    }
    # not logged in: the login page, then back to the consent form
    to_login = browser.get("/o/authorize/", query)
    assert to_login.status_code == 302 and to_login["Location"].startswith("/accounts/login/")
    login_page = browser.get(to_login["Location"])
    assert login_page.status_code == 200
    logged_in = browser.post(
        to_login["Location"], {"username": user.username, "password": TEST_PASSWORD, "next": "/o/authorize/"}
    )
    assert logged_in.status_code == 302
    consent = browser.get("/o/authorize/", query)
    assert consent.status_code == 200  # the consent form
    approved = form_post("/o/authorize/", {**query, "allow": "Authorize"}, client=browser)
    assert approved.status_code == 302
    location = urlparse(approved["Location"])
    params = parse_qs(location.query)
    assert params["state"] == ["xyz"]
    code = params["code"][0]

    wrong = form_post(
        "/o/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": application.client_id,
            "code_verifier": "not-the-verifier-" + "x" * 40,
        },
    )
    assert wrong.status_code == 400
    token = form_post(
        "/o/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": application.client_id,
            "code_verifier": verifier,
        },
    )
    assert token.status_code == 200, token.content
    access = token.json()["access_token"]
    client = bearer(access)
    assert client.get("/api/v1/test/policy/content").status_code == 200
    assert client.post("/api/v1/test/policy/content", {}, format="json").status_code == 200
    assert client.get("/api/v1/test/policy/partnerships").status_code == 403  # not in the role


def test_authorization_code_without_pkce_is_refused():
    user = UserFactory(roles=["content_manager"])
    application = public_code_application(user)
    browser = Client()
    browser.login(username=user.username, password=TEST_PASSWORD)
    response = browser.get(
        "/o/authorize/",
        {"response_type": "code", "client_id": application.client_id, "redirect_uri": REDIRECT, "scope": "read"},
    )
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert "error=invalid_request" in response["Location"]


@pytest.mark.parametrize(
    ("scope", "allowed"),
    [
        ("read", {"get"}),
        ("write", {"post", "put", "patch"}),
        ("read write", {"get", "post", "put", "patch"}),
        ("delete", {"delete"}),
        ("read write delete configure", {"get", "post", "put", "patch", "delete"}),
    ],
)
def test_token_acts_with_scopes_intersected_with_roles(scope, allowed):
    admin = UserFactory(roles=["orchestration_admin"])
    client = bearer(oauth_client_credentials_token(admin, scope=scope))
    for method in ("get", "post", "put", "patch", "delete"):
        status = getattr(client, method)("/api/v1/test/policy/partnerships", {}, format="json").status_code
        assert status == (200 if method in allowed else 403), (scope, method)


def test_config_writes_need_the_configure_scope():
    admin = UserFactory(roles=["orchestration_admin"])
    without = bearer(oauth_client_credentials_token(admin, scope="read write delete"))
    assert without.put("/api/v1/test/policy/config", {}, format="json").status_code == 403
    with_it = bearer(oauth_client_credentials_token(admin, scope="configure"))
    assert with_it.put("/api/v1/test/policy/config", {}, format="json").status_code == 200


def test_scopes_never_widen_a_role():
    viewer = UserFactory(roles=["metrics_viewer"])
    client = bearer(oauth_client_credentials_token(viewer, scope="read write delete configure"))
    assert client.get("/api/v1/test/policy/metrics").status_code == 200
    assert client.post("/api/v1/test/policy/metrics", {}, format="json").status_code == 403


def test_client_credentials_app_without_owner_is_401():
    owner = UserFactory(roles=["orchestration_admin"])
    token = oauth_client_credentials_token(owner)
    Application.objects.update(user=None)
    response = bearer(token).get("/api/v1/test/policy/health")
    assert response.status_code == 401
    assert "owner" in response.json()["detail"]


def test_revoked_token_is_401():
    owner = UserFactory(roles=["orchestration_admin"])
    token = oauth_client_credentials_token(owner)
    AccessToken.objects.all().delete()
    assert bearer(token).get("/api/v1/test/policy/health").status_code == 401


def test_tokens_are_stored_hashed():
    owner = UserFactory(roles=["orchestration_admin"])
    token = oauth_client_credentials_token(owner)
    assert not AccessToken.objects.filter(token=token).exists()
    assert AccessToken.objects.count() == 1


def test_applications_are_managed_in_the_admin_not_at_o(client):
    assert client.get("/o/applications/").status_code == 404
