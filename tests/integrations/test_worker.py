"""Collectors and webhooks on a real Celery worker (services pass): failures are recorded and retried,
and never take the worker down."""

import io
import time

import pytest
from django.core.management import call_command

from devsky.testing.fake_http import FakeService, Reply
from integrations import services, tasks
from integrations.models import Collector, CollectorRun, WebhookDelivery, WebhookSubscription
from orchestration.models import MetricSample

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres]


@pytest.fixture
def quick_worker_env(monkeypatch):
    """Settings of the worker process (it reads its environment): quick retries."""
    monkeypatch.setenv("DEVSKY_HTTP_TIMEOUT_SECONDS", "0.5")
    monkeypatch.setenv("DEVSKY_HTTP_BACKOFF_SECONDS", "0.01")
    monkeypatch.setenv("DEVSKY_WEBHOOK_BACKOFF_SECONDS", "0")
    monkeypatch.setenv("DEVSKY_WEBHOOK_MAX_ATTEMPTS", "3")


def wait_until(check, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def test_a_failing_collector_is_recorded_and_the_worker_goes_on(quick_worker_env, celery_worker_process):
    call_command("seed_demo", stdout=io.StringIO())
    with FakeService() as service:
        service.script("/broken", Reply(500))
        service.script("/good", Reply(json={"velocity": 47}))
        broken = services.collector_save(
            collector=Collector(
                name="broken",
                kind="http_json",
                partnership_id="technical_excellence",
                settings={"url": f"{service.url}/broken", "mapping": {"development_velocity": "$.velocity"}},
            )
        )
        good = services.collector_save(
            collector=Collector(
                name="good",
                kind="http_json",
                partnership_id="technical_excellence",
                settings={"url": f"{service.url}/good", "mapping": {"development_velocity": "$.velocity"}},
            )
        )
        failed = tasks.run_collector.apply_async(args=[broken.pk], queue=celery_worker_process).get(timeout=60)
        assert failed["status"] == "failed"
        ok = tasks.run_collector.apply_async(args=[good.pk], queue=celery_worker_process).get(timeout=60)
        assert (ok["status"], ok["samples"]) == ("succeeded", 1), CollectorRun.objects.get(pk=ok["run"]).error
    run = CollectorRun.objects.get(pk=failed["run"])
    assert (run.http_requests, run.http_status) == (3, 500)
    assert MetricSample.objects.filter(source="collector:good", value=47).count() == 1


def test_a_webhook_delivery_is_retried_by_the_worker_until_it_succeeds(quick_worker_env, celery_worker_process):
    call_command("seed_demo", stdout=io.StringIO())
    with FakeService() as service:
        service.script("/hook", Reply(500), Reply(502), Reply(200))
        subscription = services.webhook_subscription_save(
            subscription=WebhookSubscription(name="ops", url=f"{service.url}/hook", events=["*"]),
            secret="a-long-enough-signing-secret",
        )
        delivery = WebhookDelivery.objects.create(
            subscription=subscription, event_id="evt-1", event_type="report.built", payload={"id": "evt-1"}
        )
        tasks.deliver_webhook.apply_async(args=[delivery.pk], queue=celery_worker_process)
        wait_until(lambda: WebhookDelivery.objects.filter(pk=delivery.pk, status="succeeded").exists())
        assert len(service.requests) == 3
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.response_code, delivery.error) == (3, 200, "")
