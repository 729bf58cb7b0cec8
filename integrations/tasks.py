"""Celery tasks of the integrations app: take ids, record what happened, never crash the worker."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from integrations import services


@shared_task(name="integrations.run_due_collectors")
def run_due_collectors() -> list[int]:
    """Start a run of every collector whose interval has passed (each claimed once)."""
    claimed = services.collectors_claim_due()
    for collector_id in claimed:
        run_collector.delay(collector_id)
    return claimed


@shared_task(name="integrations.run_collector", autoretry_for=(OperationalError,), retry_backoff=10, max_retries=3)
def run_collector(collector_id: int) -> dict:
    run = services.collector_run(collector_id=collector_id)
    return {"run": run.pk, "status": run.status, "samples": run.samples_written}


@shared_task(name="integrations.deliver_webhook", bind=True, acks_late=True, max_retries=None)
def deliver_webhook(self, delivery_id: int) -> str:
    final = self.request.retries + 1 >= settings.DEVSKY_WEBHOOK_MAX_ATTEMPTS
    try:
        return services.webhook_deliver(delivery_id=delivery_id, final_attempt=final)
    except services.DeliveryRetry as error:
        delay = min(settings.DEVSKY_WEBHOOK_BACKOFF_SECONDS * 2**self.request.retries, 3600)
        services.webhook_retry_scheduled(delivery_id=delivery_id, delay_seconds=delay)
        raise self.retry(exc=error, countdown=delay) from None


@shared_task(name="integrations.requeue_lost_work")
def requeue_lost_work() -> dict:
    """Beat: queue again deliveries and alert e-mails whose task was lost."""
    return services.lost_work_requeue()
