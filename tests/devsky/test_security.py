"""Security checks of DESIGN.md §9-10 and the deployment: secrets from the environment only, CORS closed,
the admin behind a throttled staff login, security headers on API responses, and no data of a group a
role may not read leaking through filters, search, field selection, CSV export or error messages."""

import json
import re

import pytest
from django.test import Client

from devsky.api.policy import POLICY, ROLE_PERMISSIONS
from devsky.testing.auth import TEST_PASSWORD, client_with
from devsky.testing.urls import walk
from tests.conftest import PROJECT_ROOT
from tests.devsky.factories import UserFactory

CODE_DIRS = ("devsky", "orchestration", "partnerships", "content", "analytics", "communication", "benchmarks")
FOREIGN = "https://attacker.example"


def test_only_devsky_env_reads_the_environment():
    readers = [
        str(path.relative_to(PROJECT_ROOT))
        for directory in CODE_DIRS
        for path in (PROJECT_ROOT / directory).rglob("*.py")
        if re.search(r"\bos\.(environ|getenv)\b|\bgetenv\(", path.read_text())
    ]
    assert readers == ["devsky/env.py"]


@pytest.mark.django_db
def test_no_cors_permission_is_granted_to_a_foreign_origin(admin_client):
    preflight = admin_client.options(
        "/api/v1/partnerships/",
        HTTP_ORIGIN=FOREIGN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PUT",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    answer = admin_client.get("/api/v1/partnerships/", HTTP_ORIGIN=FOREIGN)
    assert answer.status_code == 200
    for response in (preflight, answer):
        granted = [name for name in response.headers if name.lower().startswith("access-control-")]
        assert granted == [], granted


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/login/", "/accounts/login/"])
def test_login_forms_are_throttled_per_address_and_username(settings, path):
    settings.DEVSKY_RATE_LOGIN = 3
    staff = UserFactory(username="staff", is_staff=True)
    browser = Client()
    statuses = [browser.post(path, {"username": "staff", "password": "guess"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]  # the form re-rendered with an error thrice, then refused
    blocked = browser.post(path, {"username": "staff", "password": TEST_PASSWORD})
    assert blocked.status_code == 429  # even the right password waits: no oracle for the guesser
    assert int(blocked["Retry-After"]) >= 1
    assert "_auth_user_id" not in browser.session
    other = browser.post(path, {"username": "someone-else", "password": "guess"})
    assert other.status_code == 200  # one guessed account does not lock out the rest
    assert staff.is_staff


@pytest.mark.django_db
def test_the_token_endpoint_and_the_admin_form_share_one_budget(settings):
    settings.DEVSKY_RATE_LOGIN = 2
    UserFactory(username="staff", is_staff=True)
    api = Client()
    for _ in range(2):
        api.post("/api/v1/auth/token", {"username": "staff", "password": "x"}, content_type="application/json")
    assert Client().post("/admin/login/", {"username": "staff", "password": "x"}).status_code == 429


@pytest.mark.django_db
def test_the_admin_needs_a_staff_login():
    anonymous = Client().get("/admin/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/admin/login/")
    UserFactory(username="plain", roles=["orchestration_admin"])  # API role, not staff
    browser = Client()
    browser.post("/admin/login/", {"username": "plain", "password": TEST_PASSWORD})
    assert browser.get("/admin/").status_code == 302
    UserFactory(username="staffer", is_staff=True, is_superuser=True)
    browser.post("/admin/login/", {"username": "staffer", "password": TEST_PASSWORD})
    assert browser.get("/admin/").status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("demo_data")
@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/orchestration/health", 200),
        ("/api/v1/content/pieces?format=csv", 200),
        ("/api/v1/no-such-route", 404),
        ("/api/v1/orchestration/decisions", 403),
    ],
)
def test_api_responses_carry_the_security_headers(role_client, path, status):
    response = role_client("content_manager").get(path)
    assert response.status_code == status
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


# --- no leaks between roles -----------------------------------------------------------------------------

# Probes that a list or detail view might honour: search, filters, field selection, CSV and iCalendar export.
LEAK_PROBES = (
    {"format": "csv"},
    {"format": "ics"},
    {"search": "luxury", "partnership": "brand_amplification", "fields": "id", "brief": "1", "page_size": "500"},
)
# Values of the demo data that must not appear in an answer to a role that may not read them.
DEMO_MARKERS = ("technical_excellence", "brand_amplification", "Claude", "development_velocity", "luxury")
PROBLEM_KEYS = {"type", "title", "status", "detail", "code", "errors", "request_id", "instance"}
ROLES = ("partnership_manager", "metrics_viewer", "content_manager", "metrics_collector")


def readable_get_routes() -> list[tuple[str, str]]:
    """(sample path, endpoint group) of every GET route of the API that needs a permission."""
    from django.urls import resolve

    routes = []
    for route in walk():
        if not route.regex.startswith("^api/v1"):
            continue
        path = route.sample_path()
        view_class = getattr(resolve(path).func, "cls", None)
        group = getattr(view_class, "policy_group", None)
        if (group, "GET") in POLICY and (hasattr(view_class, "get") or hasattr(view_class, "list")):
            routes.append((path, group))
    return sorted(set(routes))


def demo_paths(path: str) -> list[str]:
    """The sample path, and the same route with the demo's real ids where it takes ids (existence must not show)."""
    paths = [path]
    real = path.replace("/partnerships/sample", "/partnerships/technical_excellence").replace(
        "/deliverables/sample", "/deliverables/microservices_architecture"
    )
    real = re.sub(r"/(metrics)/sample", r"/\1/technical", real)
    if real != path:
        paths.append(real)
    return paths


@pytest.mark.django_db
@pytest.mark.usefixtures("demo_data")
@pytest.mark.parametrize("role", ROLES)
def test_a_role_learns_nothing_from_groups_it_may_not_read(role, settings):
    settings.DEVSKY_RATE_LIMITS_ENABLED = False
    client = client_with("jwt", UserFactory(roles=[role]))
    forbidden = [
        (path, group)
        for path, group in readable_get_routes()
        if group is not None and POLICY.get((group, "GET")) not in ROLE_PERMISSIONS[role]
    ]
    assert forbidden, "every role is refused something"
    leaks = []
    for sample, _group in forbidden:
        for path in demo_paths(sample):
            for probe in LEAK_PROBES:
                for accept in ("application/json", "text/csv"):
                    response = client.get(path, probe, HTTP_ACCEPT=accept)
                    body = response.content.decode()
                    problem = response["Content-Type"] == "application/problem+json"
                    parsed = json.loads(body) if problem else {}
                    # 406 (a format the route does not offer) is decided before the permission and says
                    # nothing about the data; every other answer must be a bare 403.
                    if (
                        response.status_code not in (403, 406)
                        or not problem
                        or set(parsed) - PROBLEM_KEYS
                        or parsed["errors"]
                        or any(marker in parsed["detail"] for marker in DEMO_MARKERS)
                    ):
                        leaks.append((path, probe, accept, response.status_code, body[:200]))
    assert leaks == []


@pytest.mark.django_db
def test_report_subscriptions_are_private_to_their_owner():
    owner = client_with("jwt", UserFactory(roles=["metrics_viewer"]))
    other = client_with("jwt", UserFactory(roles=["metrics_viewer"]))
    assert owner.post("/api/v1/analytics/subscriptions", {"report_type": "daily"}, format="json").status_code == 201
    listed = other.get("/api/v1/analytics/subscriptions")
    assert listed.status_code == 200
    assert listed.json() == []
    gone = other.delete("/api/v1/analytics/subscriptions?report_type=daily")
    assert gone.status_code == 404  # cannot remove someone else's subscription either
    assert "daily" in json.dumps(owner.get("/api/v1/analytics/subscriptions").json())
