"""The role matrix of DESIGN.md §10, through every authentication method, generated not hand-listed."""

import pytest
from django.urls import resolve

from devsky.api.policy import GROUPS, POLICY, PUBLIC_GROUPS, PolicyPermission
from devsky.api.throttling import PolicyRateThrottle
from devsky.testing.auth import client_with
from devsky.testing.urls import walk
from tests.devsky.factories import UserFactory

# DESIGN.md §10, transcribed: role → (endpoint group, action) it may perform.
ALL = {(group, action) for group in GROUPS for action in ("read", "write", "delete")}
MAY = {
    "orchestration_admin": ALL,
    "partnership_manager": {
        *(("subscriptions", action) for action in ("read", "write", "delete")),
        ("partnerships", "read"),
        ("partnerships", "write"),
        ("analytics", "read"),
        ("reports", "read"),
        ("health", "read"),
        # escalation recipients: they read and acknowledge alerts, and read security incidents
        ("alerts", "read"),
        ("alerts", "write"),
        ("incidents", "read"),
    },
    "metrics_viewer": {
        ("metrics", "read"),
        ("reports", "read"),
        ("health", "read"),
        ("alerts", "read"),
        *(("subscriptions", action) for action in ("read", "write", "delete")),
    },
    "content_manager": {("content", "read"), ("content", "write"), ("health", "read")},
    # monitoring tools report security incidents with a collector's key
    "metrics_collector": {("metrics", "write"), ("orders", "write"), ("health", "read"), ("incidents", "write")},
    "no_role": set(),
}
METHODS = {"get": "read", "post": "write", "put": "write", "patch": "write", "delete": "delete"}


def test_every_api_route_has_a_policy_entry():
    missing = []
    for route in walk():
        if not route.regex.startswith("^api/v1"):
            continue
        view = resolve(route.sample_path()).func
        view_class = getattr(view, "cls", None) or getattr(view, "view_class", None)
        group = getattr(view_class, "policy_group", None)
        if group in PUBLIC_GROUPS:
            continue
        methods = [m.upper() for m in getattr(view_class, "http_method_names", []) if hasattr(view_class, m)]
        if group not in GROUPS or any((group, method) not in POLICY for method in methods if method != "OPTIONS"):
            missing.append((route.regex, group))
        # the policy and the rate limits are enforced by these two classes: a view must not drop them
        if PolicyPermission not in view_class.permission_classes:
            missing.append((route.regex, "permission_classes"))
        if PolicyRateThrottle not in view_class.throttle_classes:
            missing.append((route.regex, "throttle_classes"))
    assert missing == []


@pytest.mark.urls("tests.testapp.urls")
def test_the_probe_routes_cover_every_group():
    assert {route.name for route in walk()} >= {f"test-policy-{group}" for group in GROUPS}


@pytest.mark.django_db
@pytest.mark.urls("tests.testapp.urls")
@pytest.mark.parametrize("kind", ["jwt", "api_key", "oauth"])
@pytest.mark.parametrize("role", sorted(MAY))
def test_role_matrix(kind, role):
    user = UserFactory(roles=[] if role == "no_role" else [role])
    client = client_with(kind, user)
    wrong = []
    for group in GROUPS:
        for method, action in METHODS.items():
            response = getattr(client, method)(f"/api/v1/test/policy/{group}", {}, format="json")
            expected = 200 if (group, action) in MAY[role] else 403
            if response.status_code != expected:
                wrong.append((group, method, response.status_code, expected))
            if expected == 403:
                assert response["Content-Type"] == "application/problem+json"
                assert response.json()["code"] == "permission_denied"
    assert wrong == []


@pytest.mark.django_db
@pytest.mark.urls("tests.testapp.urls")
@pytest.mark.parametrize("method", sorted(METHODS))
@pytest.mark.parametrize("group", GROUPS)
def test_anonymous_gets_401_with_a_challenge(client, group, method):
    response = getattr(client, method)(f"/api/v1/test/policy/{group}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.django_db
@pytest.mark.urls("tests.testapp.urls")
def test_superuser_acts_as_orchestration_admin():
    client = client_with("jwt", UserFactory(is_superuser=True))
    assert client.delete("/api/v1/test/policy/config").status_code == 200
    assert client.put("/api/v1/test/policy/config", {}, format="json").status_code == 200


@pytest.mark.django_db
def test_public_routes_need_no_credentials(client):
    for path in ("/api/v1/", "/api/v1/schema", "/api/v1/docs", "/api/v1/redoc"):
        assert client.get(path).status_code == 200, path


@pytest.mark.django_db
@pytest.mark.urls("tests.testapp.urls")
@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "PROPFIND"])
def test_unusual_methods_are_405_not_500(method):
    client = client_with("jwt", UserFactory(roles=["orchestration_admin"]))
    client.raise_request_exception = False
    response = client.generic(method, "/api/v1/test/policy/health")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
