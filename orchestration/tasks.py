"""Celery tasks of the orchestration core: alert evaluation (scheduled and after ingestion) and alert e-mails."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.core.cache import cache
from django.db import OperationalError

from orchestration import services

TRANSIENT = (OperationalError, smtplib.SMTPException, OSError)  # OSError: connection refused, DNS, timeouts


@shared_task(name="orchestration.evaluate_alerts", autoretry_for=(OperationalError,), retry_backoff=5, max_retries=3)
def evaluate_alerts() -> dict[str, int]:
    cache.delete(services.ALERT_EVALUATION_PENDING_KEY)  # writes from now on queue the next evaluation
    return services.alerts_evaluate()


@shared_task(
    name="orchestration.send_alert_notification",
    autoretry_for=TRANSIENT,
    retry_backoff=30,
    retry_backoff_max=900,
    max_retries=8,
    acks_late=True,
)
def send_alert_notification(notification_id: int) -> bool:
    return services.alert_notification_send(notification_id=notification_id)
