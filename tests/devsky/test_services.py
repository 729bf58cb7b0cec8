"""In services mode the suite really talks to PostgreSQL, Redis and a Celery worker."""

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from devsky.models import IdempotencyRecord
from devsky.tasks import ping, purge_idempotency_records

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.postgres
@pytest.mark.django_db
def test_database_is_postgresql_through_psycopg3():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL")
    import psycopg

    assert isinstance(connection.connection, psycopg.Connection)


@pytest.mark.postgres
def test_web_processes_use_the_connection_pool():
    assert "pool" in settings.DATABASES["default"]["OPTIONS"]


@pytest.mark.redis
def test_cache_round_trip_goes_through_redis():
    from django_redis import get_redis_connection

    key = f"probe-{uuid.uuid4().hex}"
    cache.set(key, {"answer": 42}, timeout=30)
    assert cache.get(key) == {"answer": 42}
    raw = get_redis_connection("default")
    assert raw.ping()
    stored = list(raw.scan_iter(match=f"*{key}"))
    assert len(stored) == 1
    assert 0 < raw.ttl(stored[0]) <= 30


@pytest.mark.celery_worker
@pytest.mark.postgres
def test_a_real_worker_runs_a_task_against_the_database(celery_worker_process):
    assert ping.apply_async(queue=celery_worker_process).get(timeout=60) == "pong"

    IdempotencyRecord.objects.create(
        principal="user:1", key="old", method="POST", path="/x", fingerprint="0" * 64, status_code=201
    )
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(days=3))
    assert purge_idempotency_records.apply_async(queue=celery_worker_process).get(timeout=60) == 1
    assert not IdempotencyRecord.objects.exists()
