"""Celery tasks: take ids or dates, retry only transient failures, and are safe to run twice
(reports are upserts per period, mails are recorded per report and address before sending)."""

from __future__ import annotations

import smtplib
from datetime import date

from celery import shared_task
from django.db import OperationalError

from analytics import services
from analytics.periods import latest_finished

TRANSIENT = (OperationalError, smtplib.SMTPException, ConnectionError, TimeoutError)


@shared_task(
    name="analytics.build_report",
    autoretry_for=TRANSIENT,
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=5,
    acks_late=True,
)
def build_report(report_type: str, period_start: str | None = None, mail: bool = True) -> int:
    """Build the report of the period starting at ``period_start`` (default: the latest finished one)."""
    start = date.fromisoformat(period_start) if period_start else latest_finished(report_type)[0]
    report = services.report_build(report_type=report_type, start=start)
    if mail:
        mail_report.delay(report.pk)
    return report.pk


@shared_task(
    name="analytics.mail_report",
    autoretry_for=TRANSIENT,
    retry_backoff=60,
    retry_backoff_max=1800,
    max_retries=8,
    acks_late=True,
)
def mail_report(report_id: int) -> int:
    return services.report_mail(report_id=report_id)
