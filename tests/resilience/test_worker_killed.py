"""A Celery worker killed in the middle of a report build: the broker hands the task (acknowledged only
after it finishes) to the next worker, which builds the report; it exists exactly once.
"""

import time
import uuid
from datetime import timedelta

import psycopg
import pytest
import redis
from django.conf import settings
from django.utils import timezone

from analytics.models import Report
from analytics.tasks import build_report
from devsky.testing.processes import stop_process, wait_for
from tests.conftest import start_celery_worker, test_database_url

pytestmark = [pytest.mark.postgres, pytest.mark.celery_worker, pytest.mark.usefixtures("demo_data")]


def waiting_on_a_lock(database: psycopg.Connection) -> bool:
    row = database.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
    ).fetchone()
    return row[0] > 0


def redelivery_due(task_id: str, *, visibility_timeout: float) -> bool:
    """The killed worker's unacknowledged message is older than the visibility timeout (kombu's Redis keys)."""
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    for tag, taken_at in broker.zrange("unacked_index", 0, -1, withscores=True):
        message = broker.hget("unacked", tag) or b""
        if task_id.encode() in message and taken_at < time.time() - visibility_timeout:
            return True
    return False


def test_a_report_whose_worker_is_killed_mid_build_is_rebuilt_once(
    transactional_db, tmp_path, celery_tasks_sent_to_workers
):
    day = (timezone.now() - timedelta(days=5)).date()
    Report.objects.filter(report_type="daily", period_start=day).delete()
    queue = f"devsky-test-kill-{uuid.uuid4().hex[:8]}"
    # Short visibility timeout: the unacknowledged task becomes visible again seconds after its worker died.
    worker_env = {"CELERY_VISIBILITY_TIMEOUT": "3"}
    log = tmp_path / "workers.log"

    with psycopg.connect(test_database_url(), autocommit=False) as blocker:
        # Hold the report table so the build stops right at its write: the worker is provably mid-task.
        blocker.execute(f"LOCK TABLE {Report._meta.db_table} IN EXCLUSIVE MODE")
        first = start_celery_worker(queue, log, **worker_env)
        try:
            task = build_report.apply_async(args=["daily", day.isoformat()], kwargs={"mail": False}, queue=queue)
            with psycopg.connect(test_database_url(), autocommit=True) as observer:
                assert wait_for(lambda: waiting_on_a_lock(observer), timeout=60), log.read_text()
            first.kill()  # SIGKILL: no warm shutdown, no acknowledgement, no cleanup
            first.wait(timeout=10)
        finally:
            stop_process(first)
        blocker.rollback()
    assert not Report.objects.filter(report_type="daily", period_start=day).exists()
    # The task is still in the broker, unacknowledged; wait until it is due for redelivery.
    assert wait_for(lambda: redelivery_due(task.id, visibility_timeout=3), timeout=30)

    second = start_celery_worker(queue, log, **worker_env)
    try:
        assert wait_for(lambda: Report.objects.filter(report_type="daily", period_start=day).exists(), timeout=90), (
            log.read_text()
        )
    finally:
        stop_process(second)
    report = Report.objects.get(report_type="daily", period_start=day)
    assert report.body["summary"]
    assert Report.objects.filter(report_type="daily", period_start=day).count() == 1
