"""Test set-up shared by every app: service markers, cache isolation, per-role API clients."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from rest_framework.test import APIClient

from devsky import env
from devsky.testing.clients import client_for
from tests.devsky.factories import UserFactory

# In CI's services pass a missing service is a failure, not a skip.
REQUIRE_SERVICES = env.get_bool("DEVSKY_REQUIRE_SERVICES", False)


def _service_status() -> dict[str, tuple[bool, str]]:
    return {
        "postgres": (
            settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql",
            "needs PostgreSQL: set DATABASE_URL=postgres://... (runs in CI's services pass)",
        ),
        "redis": (bool(settings.REDIS_URL), "needs Redis: set REDIS_URL=redis://... (runs in CI's services pass)"),
        "celery_worker": (
            settings.CELERY_BROKER_URL != "memory://",
            "needs a Celery broker: set REDIS_URL or CELERY_BROKER_URL (runs in CI's services pass)",
        ),
    }


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker, (available, reason) in _service_status().items():
        if item.get_closest_marker(marker) and not available:
            if REQUIRE_SERVICES:
                pytest.fail(f"DEVSKY_REQUIRE_SERVICES is set but this test {reason}")
            pytest.skip(reason)


@pytest.fixture(autouse=True)
def _isolated_cache():
    """Each test starts with an empty cache (only this test run's keys when the cache is Redis)."""
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
    else:
        cache.clear()
    yield


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def user(db):
    """A partnership manager: may read and write the partnerships group (the test app's gadgets)."""
    return UserFactory(username="member", roles=["partnership_manager"])


@pytest.fixture
def admin_user(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def user_client(user) -> APIClient:
    return client_for(user)


@pytest.fixture
def admin_client(admin_user) -> APIClient:
    return client_for(admin_user)


@pytest.fixture
def client_with_roles(db):
    """``client_with_roles("content_manager")`` → an API client for a new user holding those roles."""

    def build(*roles: str) -> APIClient:
        return client_for(UserFactory(roles=roles))

    return build


@pytest.fixture
def demo_data(db):
    """The demo data of ``manage.py seed_demo``: partnerships, deliverables, KPI history, demo users."""
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())


@pytest.fixture
def role_client(db):
    """``role_client("metrics_viewer")`` → an API client with a JWT for a new user holding that role."""
    from devsky.testing.auth import client_with

    def build(*roles: str):
        return client_with("jwt", UserFactory(roles=roles))

    return build


@pytest.fixture
def frozen_throttle_clock(monkeypatch):
    """Pin the throttles' clock to the middle of a window, so a burst never straddles two windows."""
    import time

    from devsky.api import throttling

    instant = (int(time.time()) // 60) * 60 + 30.0
    monkeypatch.setattr(throttling, "clock", lambda: instant)
    return instant


def test_database_url() -> str:
    """The URL of this run's test database, for processes a test starts (workers, load generators)."""
    from django.db import connection

    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


test_database_url.__test__ = False


@pytest.fixture
def events():
    """Listens to the real-time events group: ``events.next("decision.made")``."""
    from devsky.testing.clients import EventListener

    listener = EventListener()
    yield listener
    listener.close()
