"""Probes: /healthz answers while the process lives; /readyz names the dependency that is down."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused at once


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_checks_database_and_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "ok"
    assert body["failed"] == []


def test_readyz_needs_no_credentials_and_refuses_writes(client):
    assert client.post("/readyz").status_code == 405


def test_readyz_reports_an_unreachable_cache_as_degraded_but_stays_ready(client):
    caches = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2, "IGNORE_EXCEPTIONS": True},
        }
    }
    with override_settings(CACHES=caches):
        response = client.get("/readyz")
    assert response.status_code == 200  # the API still answers from the database
    body = response.json()
    assert body["status"] == "degraded"
    assert (body["failed"], body["degraded"]) == ([], ["cache"])
    assert body["checks"]["cache"].startswith("degraded: ")
    assert body["checks"]["database"] == "ok"


def test_readyz_reports_an_unreachable_broker_as_degraded(client):
    with override_settings(CELERY_BROKER_URL=DEAD_REDIS, CELERY_TASK_ALWAYS_EAGER=False, READINESS_TIMEOUT_SECONDS=0.5):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["degraded"] == ["broker"]
    assert response.json()["status"] == "degraded"


def test_readyz_skips_the_broker_when_tasks_run_eagerly(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert "broker" not in client.get("/readyz").json()["checks"]


@pytest.mark.celery_worker
def test_readyz_reaches_the_configured_broker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    body = client.get("/readyz").json()
    assert body["checks"]["broker"] == "ok"


def test_probes_answer_whatever_the_host_header(client, settings):
    settings.ALLOWED_HOSTS = ["orchestration.example.com"]
    for path in ("/healthz", "/readyz/"):
        assert client.get(path, HTTP_HOST="10.1.2.3:8000").status_code == 200
    assert client.get("/api/v1/", HTTP_HOST="10.1.2.3:8000").status_code == 400
