"""Test set-up shared by every app: service markers, cache isolation, per-role API clients."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from rest_framework.test import APIClient

from devsky import celery_app, env
from devsky.testing.clients import client_for
from tests.devsky.factories import UserFactory

# In CI's services pass a missing service is a failure, not a skip.
PROJECT_ROOT = Path(__file__).resolve().parents[1]
REQUIRE_SERVICES = env.get_bool("DEVSKY_REQUIRE_SERVICES", False)
CHROMIUM = Path("/usr/bin/chromium")  # Debian's; Playwright never downloads a browser of its own


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
        # real-browser tests are slow: CI's services pass runs them (and installs Chromium first)
        "browser": (
            settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and CHROMIUM.exists(),
            f"needs PostgreSQL and Chromium at {CHROMIUM} (apt-get install chromium; runs in CI's services pass)",
        ),
    }


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker, (available, reason) in _service_status().items():
        if item.get_closest_marker(marker) and not available:
            if REQUIRE_SERVICES:
                pytest.fail(f"DEVSKY_REQUIRE_SERVICES is set but this test {reason}")
            pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """A new channel layer per test: an in-memory layer's queues belong to the event loop that made them."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


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


def start_celery_worker(queue: str, log_path: Path, **overrides: str) -> subprocess.Popen:
    """A real Celery worker (solo pool) on ``queue``, pointed at this test run's database."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "devsky.settings.test",
        "DATABASE_URL": test_database_url(),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        # the worker is real: a task's retry goes back to the broker instead of running in place
        "CELERY_TASK_ALWAYS_EAGER": "false",
        **overrides,
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "devsky",
            "worker",
            "-Q",
            queue,
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=log_path.open("a"),
    )


@pytest.fixture
def celery_tasks_sent_to_workers():
    """Tasks go through the broker to a worker (not run eagerly in the test) while the test runs."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = eager


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path, celery_tasks_sent_to_workers):
    """A real Celery worker on its own queue, pointed at this test run's database."""
    from devsky.testing.processes import stop_process

    queue = f"devsky-test-{uuid.uuid4().hex[:8]}"
    worker = start_celery_worker(queue, tmp_path / "worker.log")
    try:
        yield queue
    finally:
        stop_process(worker)


@pytest.fixture
def wsgi_server(transactional_db, tmp_path):
    """``wsgi_server(REDIS_URL=...)`` → the base URL of gunicorn serving this test's database (test settings).

    Keyword arguments override the server's environment; every server is stopped after the test.
    """
    from devsky.testing.processes import start_wsgi_server, stop_process

    started = []

    def start(**overrides: str) -> str:
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "devsky.settings.test",
            "DATABASE_URL": test_database_url(),
            **overrides,
        }
        process, url = start_wsgi_server(
            environment, cwd=PROJECT_ROOT, log_path=tmp_path / f"gunicorn-{len(started)}.log"
        )
        started.append(process)
        return url

    yield start
    for process in started:
        stop_process(process)


@pytest.fixture
def celery_beat_process(celery_worker_process, tmp_path):
    """Celery beat with the database scheduler (django-celery-beat), checking its schedule every second."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "devsky.settings.test",
        "DATABASE_URL": test_database_url(),
        "CELERY_TASK_DEFAULT_QUEUE": celery_worker_process,
    }
    beat = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "devsky",
            "beat",
            "--loglevel=WARNING",
            "--max-interval",
            "1",
            "-S",
            "django_celery_beat.schedulers:DatabaseScheduler",
            "--pidfile",
            str(tmp_path / "beat.pid"),
            "-s",
            str(tmp_path / "beat-schedule"),
        ],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "beat.log").open("w"),
    )
    try:
        yield celery_worker_process
    finally:
        beat.terminate()
        try:
            beat.wait(timeout=20)
        except subprocess.TimeoutExpired:
            beat.kill()


@pytest.fixture
def smtp_sink(monkeypatch):
    """A local SMTP server collecting messages; processes started after it (workers) send there."""
    import threading
    from email import message_from_bytes

    from aiosmtpd.controller import Controller

    received: list = []
    arrived = threading.Event()

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(message_from_bytes(envelope.content))
            arrived.set()
            return "250 OK"

    from devsky.testing.processes import free_port

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    monkeypatch.setenv("EMAIL_HOST", "127.0.0.1")
    monkeypatch.setenv("EMAIL_PORT", str(port))
    monkeypatch.setenv("EMAIL_USE_TLS", "false")
    try:
        yield received, arrived
    finally:
        controller.stop()
