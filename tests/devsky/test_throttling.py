"""Rate limits per principal and endpoint group: headers, 429s, exact budgets under concurrency, fail-open."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from devsky.testing.auth import api_key_for, client_with
from devsky.testing.concurrency import run_concurrently
from tests.conftest import test_database_url
from tests.devsky.factories import UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.testapp.urls"),
    pytest.mark.usefixtures("frozen_throttle_clock"),
]
DECISIONS = "/api/v1/test/policy/decisions"
CONTENT = "/api/v1/test/policy/content"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def admin_jwt():
    return client_with("jwt", UserFactory(roles=["orchestration_admin"]))


def test_counted_responses_carry_rate_limit_headers(admin_jwt, frozen_throttle_clock):
    first = admin_jwt.get(DECISIONS)
    second = admin_jwt.get(DECISIONS)
    assert first["X-RateLimit-Limit"] == "10"
    assert (int(first["X-RateLimit-Remaining"]), int(second["X-RateLimit-Remaining"])) == (9, 8)
    assert int(first["X-RateLimit-Reset"]) - frozen_throttle_clock == 30


def test_the_eleventh_decision_in_a_minute_is_429(admin_jwt):
    statuses = [admin_jwt.post(DECISIONS, {}, format="json").status_code for _ in range(11)]
    assert statuses == [200] * 10 + [429]
    limited = admin_jwt.get(DECISIONS)
    assert limited.status_code == 429
    assert limited["Content-Type"] == "application/problem+json"
    body = limited.json()
    assert body["code"] == "throttled"
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert body["retry_after"] == int(limited["Retry-After"])
    assert limited["X-RateLimit-Remaining"] == "0"


def test_budgets_are_per_group_and_per_principal(admin_jwt):
    for _ in range(10):
        admin_jwt.get(DECISIONS)
    assert admin_jwt.get(DECISIONS).status_code == 429
    assert admin_jwt.get(CONTENT)["X-RateLimit-Limit"] == "50"
    assert admin_jwt.get(CONTENT).status_code == 200
    other = client_with("jwt", UserFactory(roles=["orchestration_admin"]))
    assert other.get(DECISIONS).status_code == 200


@pytest.mark.parametrize(
    ("group", "limit"), [("metrics", 100), ("decisions", 10), ("content", 50), ("reports", 20), ("config", 300)]
)
def test_group_rates(admin_jwt, group, limit):
    assert admin_jwt.get(f"/api/v1/test/policy/{group}")["X-RateLimit-Limit"] == str(limit)


def test_api_key_has_its_own_budget():
    owner = UserFactory(roles=["orchestration_admin"])
    by_key = client_with("api_key", owner)
    for _ in range(10):
        by_key.get(DECISIONS)
    assert by_key.get(DECISIONS).status_code == 429
    assert client_with("jwt", owner).get(DECISIONS).status_code == 200


def test_public_routes_are_not_counted(client):
    assert "X-RateLimit-Limit" not in client.get("/api/v1/")


def test_rejected_credentials_are_not_counted(client):
    assert "X-RateLimit-Limit" not in client.get(DECISIONS)


def test_unreachable_redis_fails_open(admin_jwt):
    dead = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2, "IGNORE_EXCEPTIONS": True},
        }
    }
    with override_settings(CACHES=dead):
        statuses = [admin_jwt.get(DECISIONS).status_code for _ in range(12)]
    assert statuses == [200] * 12


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_share_one_exact_budget():
    """Twenty threads fire at a 10/min group at once through the full HTTP stack: exactly ten pass."""
    owner = UserFactory(roles=["orchestration_admin"])
    secret = api_key_for(owner)
    clients = [APIClient() for _ in range(20)]
    for client in clients:
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    statuses = run_concurrently(
        lambda client: client.post(DECISIONS, {}, format="json").status_code, [(c,) for c in clients]
    )
    assert sorted(statuses) == [200] * 10 + [429] * 10


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_separate_processes_share_one_exact_budget(frozen_throttle_clock):
    """Four OS processes, each a whole Django stack, send 8 requests each at a 10/min group: exactly 10 pass."""
    secret = api_key_for(UserFactory(roles=["orchestration_admin"]))
    command = [
        sys.executable,
        "-m",
        "devsky.testing.ratelimit_worker",
        DECISIONS,
        secret,
        "8",
        str(frozen_throttle_clock),
    ]
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "devsky.settings.test", "DATABASE_URL": test_database_url()}
    workers = [
        subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, text=True) for _ in range(4)
    ]
    statuses = []
    for worker in workers:
        out, _ = worker.communicate(timeout=120)
        assert worker.returncode == 0
        statuses += [int(value) for value in out.split()]
    assert sorted(statuses) == [200] * 10 + [429] * 22
