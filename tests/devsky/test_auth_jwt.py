"""JWT: obtain, rotate, verify, log out, revoke on password change; bad tokens are 401, never 500."""

from datetime import timedelta

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from devsky.testing.auth import TEST_PASSWORD, jwt_pair
from devsky.testing.concurrency import run_concurrently
from tests.devsky.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.testapp.urls")]
PROBE = "/api/v1/test/policy/health"


@pytest.fixture
def member():
    return UserFactory(roles=["metrics_viewer"])


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def refresh(token: str, path: str = "/api/v1/auth/token/refresh"):
    return APIClient().post(path, {"refresh": token}, format="json")


def test_obtain_pair_and_use_the_access_token(member):
    pair = jwt_pair(member)
    assert set(pair) == {"access", "refresh"}
    assert bearer(pair["access"]).get(PROBE).status_code == 200


def test_access_token_lifetime_is_15_minutes(member):
    token = AccessToken(jwt_pair(member)["access"])
    assert token["exp"] - token["iat"] == 15 * 60


def test_wrong_password_is_401_problem(member):
    response = APIClient().post("/api/v1/auth/token/", {"username": member.username, "password": "nope"}, format="json")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_missing_fields_are_400_naming_them():
    response = APIClient().post("/api/v1/auth/token", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"username", "password"}


def test_refresh_rotates_and_the_old_refresh_token_is_refused(member):
    pair = jwt_pair(member)
    first = refresh(pair["refresh"])
    assert first.status_code == 200
    new = first.json()
    assert new["refresh"] != pair["refresh"]
    assert bearer(new["access"]).get(PROBE).status_code == 200
    again = refresh(pair["refresh"], path="/api/v1/auth/token/refresh/")
    assert again.status_code == 401
    assert again.json()["code"] in {"token_not_valid", "authentication_failed"}
    assert refresh(new["refresh"]).status_code == 200


def test_logout_blacklists_the_refresh_token(member):
    pair = jwt_pair(member)
    assert APIClient().post("/api/v1/auth/logout", {"refresh": pair["refresh"]}, format="json").status_code == 204
    assert refresh(pair["refresh"]).status_code == 401
    assert APIClient().post("/api/v1/auth/logout", {"refresh": pair["refresh"]}, format="json").status_code == 401


def verify(token: str):
    return APIClient().post("/api/v1/auth/token/verify", {"token": token}, format="json")


def test_verify(member):
    pair = jwt_pair(member)
    assert verify(pair["access"]).status_code == 200
    assert verify(pair["refresh"]).status_code == 200
    response = verify("not-a-token")
    assert response.status_code == 401
    assert response.json()["detail"] == "Token is invalid"
    assert response.json()["code"] == "token_not_valid"


def test_verify_refuses_blacklisted_and_revoked_tokens(member):
    pair = jwt_pair(member)
    APIClient().post("/api/v1/auth/logout", {"refresh": pair["refresh"]}, format="json")
    assert verify(pair["refresh"]).status_code == 401
    member.set_password("another-password-789")
    member.save()
    assert verify(pair["access"]).status_code == 401


def test_password_change_revokes_tokens_issued_before(member):
    pair = jwt_pair(member)
    member.set_password("a-new-password-456")
    member.save()
    assert bearer(pair["access"]).get(PROBE).status_code == 401
    assert refresh(pair["refresh"]).status_code == 401
    assert bearer(jwt_pair(member, "a-new-password-456")["access"]).get(PROBE).status_code == 200


def test_inactive_user_is_refused(member):
    pair = jwt_pair(member)
    member.is_active = False
    member.save()
    assert bearer(pair["access"]).get(PROBE).status_code == 401
    assert refresh(pair["refresh"]).status_code == 401


def test_expired_access_token_is_401(member):
    token = AccessToken.for_user(member)
    token.set_exp(lifetime=-timedelta(seconds=1))
    response = bearer(str(token)).get(PROBE)
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer a b",
        "Bearer garbage",
        "Bearer a.b.c",
        "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x",
        "Api-Key",
        "Api-Key a b",
        "Api-Key nonsense",
        "Api-Key pre.fix",
        "Basic Zm9vOmJhcg==",
        "Token abc",
        "Bearer \u00e9t\u00e9",
        "Api-Key abcdefgh.\x00bcdefghijklmnopqrs",
        "Api-Key abc\x00.def",
    ],
)
def test_bad_credentials_are_401_problem_never_500(header):
    client = APIClient()
    client.raise_request_exception = False
    response = client.get(PROBE, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401, (header, response.content)
    assert response["Content-Type"] == "application/problem+json"
    assert "ErrorDetail" not in response.json()["detail"]


@pytest.mark.usefixtures("frozen_throttle_clock")
def test_token_endpoint_is_throttled_per_ip_and_username(member, settings):
    settings.DEVSKY_RATE_LOGIN = 3
    client = APIClient()
    statuses = [
        client.post("/api/v1/auth/token", {"username": member.username, "password": "x"}, format="json").status_code
        for _ in range(4)
    ]
    assert statuses == [401, 401, 401, 429]
    other = client.post("/api/v1/auth/token", {"username": "someone-else", "password": "x"}, format="json")
    assert other.status_code == 401
    blocked = client.post("/api/v1/auth/token", {"username": member.username, "password": TEST_PASSWORD}, format="json")
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) >= 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_refreshes_of_one_token_exactly_one_wins():
    member = UserFactory(roles=["metrics_viewer"])
    token = jwt_pair(member)["refresh"]
    statuses = run_concurrently(lambda: refresh(token).status_code, [()] * 6)
    assert sorted(statuses) == [200] + [401] * 5
