"""Writes of the integrations app: collector runs and schedule, collector credentials, webhook subscriptions
and deliveries."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from rest_framework import serializers

from devsky import crypto, env, events
from devsky.api.exceptions import ApplicationError, NotFoundError, flatten_errors
from integrations import webhooks
from integrations.choices import DeliveryStatus, RunStatus
from integrations.collectors import CollectorError, plugin_for
from integrations.http import Fetcher, FetchError
from integrations.models import Collector, CollectorRun, WebhookDelivery, WebhookSubscription
from orchestration.selectors import config_current
from orchestration.services import metric_samples_ingest

logger = logging.getLogger("devsky.integrations")


class CollectorSettingsInvalid(ApplicationError):
    code = "invalid_collector"
    default_detail = "The collector's settings are invalid. See errors."


# --- collectors ------------------------------------------------------------------------------------


def collector_validate(*, kind: str, settings_data: Any, credential_env: str = "") -> dict[str, Any]:
    """The plug-in's validated settings; raises CollectorSettingsInvalid with field errors (admin and API)."""
    try:
        plugin = plugin_for(kind)
    except CollectorError as error:
        raise CollectorSettingsInvalid(errors={"kind": [str(error)]}) from None
    if credential_env and not credential_env.startswith(env.CREDENTIAL_PREFIX):
        raise CollectorSettingsInvalid(
            errors={"credential_env": [f"The variable's name must start with {env.CREDENTIAL_PREFIX}."]}
        )
    try:
        return plugin.validate_settings(settings_data)
    except serializers.ValidationError as error:
        raise CollectorSettingsInvalid(
            errors={f"settings.{key}": value for key, value in flatten_errors(error.detail).items()}
        ) from None


@transaction.atomic
def collector_save(*, collector: Collector, credential: str | None = None) -> Collector:
    """Validate and save a collector; ``credential`` (when given) is stored encrypted, "" clears it."""
    collector_validate(kind=collector.kind, settings_data=collector.settings, credential_env=collector.credential_env)
    if credential is not None:
        collector.credential_encrypted = crypto.encrypt(credential)
    collector.save()
    return collector


def collector_credential(collector: Collector) -> str:
    """The stored credential (decrypted), else the one of its environment variable, else ""."""
    if collector.credential_encrypted:
        return crypto.decrypt(collector.credential_encrypted)
    if collector.credential_env:
        return env.get_credential(collector.credential_env) or ""
    return ""


def collector_interval(collector: Collector) -> timedelta:
    seconds = collector.interval_seconds or config_current()["monitoring_interval_seconds"]
    return timedelta(seconds=seconds)


def collectors_claim_due(*, now: datetime | None = None) -> list[int]:
    """Ids of the enabled collectors whose time has come, each claimed by moving its next run forward
    with a conditional UPDATE, so two schedulers (or two beats) never start the same run twice."""
    now = now or timezone.now()
    claimed = []
    due = Collector.objects.filter(enabled=True).filter(Q(next_run_at__isnull=True) | Q(next_run_at__lte=now))
    for collector in due.only("id", "interval_seconds", "next_run_at"):
        moved = (
            Collector.objects.filter(pk=collector.pk, enabled=True)
            .filter(Q(next_run_at__isnull=True) | Q(next_run_at__lte=now))
            .update(next_run_at=now + collector_interval(collector))
        )
        if moved:
            claimed.append(collector.pk)
    return claimed


def collector_run_queue(*, collector_id: int) -> None:
    """Run a collector soon, on a worker (a run may take longer than a web request may)."""
    from integrations import tasks

    transaction.on_commit(lambda: tasks.run_collector.delay(collector_id))


def collector_run(*, collector_id: int, fetcher: Fetcher | None = None) -> CollectorRun:
    """Run a collector once and record the run. Never raises for a failing source: the run says why."""
    collector = Collector.objects.select_related("partnership").filter(pk=collector_id).first()
    if collector is None:
        raise NotFoundError(f"No collector {collector_id}.")
    fetcher = fetcher or Fetcher()
    run = CollectorRun.objects.create(collector=collector, started_at=timezone.now())
    try:
        plugin = plugin_for(collector.kind)
        plugin_settings = plugin.validate_settings(collector.settings)
        samples = plugin.collect(
            settings=plugin_settings,
            credential=collector_credential(collector),
            fetcher=fetcher,
            partnership_id=collector.partnership_id,
        )
        written = (
            metric_samples_ingest(
                samples=[{"partnership": collector.partnership_id, **sample} for sample in samples],
                source=f"collector:{collector.name}"[:64],
            )
            if samples
            else 0
        )
    except (FetchError, CollectorError, crypto.DecryptionError, ApplicationError, serializers.ValidationError) as error:
        return _run_finish(run, collector, fetcher, error=_describe(error))
    except Exception as error:
        logger.exception("collector run failed", extra={"collector": collector.name})
        return _run_finish(run, collector, fetcher, error=f"unexpected error: {type(error).__name__}: {error}")
    return _run_finish(run, collector, fetcher, written=written)


def _describe(error: Exception) -> str:
    if isinstance(error, ApplicationError) and getattr(error, "errors", None):
        details = "; ".join(f"{key}: {' '.join(map(str, value))}" for key, value in list(error.errors.items())[:10])
        return f"{error.detail} {details}"
    if isinstance(error, serializers.ValidationError):
        return f"invalid settings: {flatten_errors(error.detail)}"
    return str(error)


def _run_finish(
    run: CollectorRun, collector: Collector, fetcher: Fetcher, *, written: int = 0, error: str = ""
) -> CollectorRun:
    now = timezone.now()
    run.finished_at = now
    run.status = RunStatus.FAILED if error else RunStatus.SUCCEEDED
    run.samples_written = written
    run.http_requests = fetcher.requests
    run.http_status = fetcher.last_status
    run.error = error[:4000]
    run.save()
    Collector.objects.filter(pk=collector.pk).update(
        last_run_at=now,
        last_status=run.status,
        consecutive_failures=F("consecutive_failures") + 1 if error else 0,
    )
    if error:
        logger.warning("collector run failed", extra={"collector": collector.name, "error": error})
        events.publish(
            "collector.failed",
            {"collector": collector.name, "run": run.pk, "error": error[:500], "http_status": run.http_status},
            topic="integrations",
        )
    return run


# --- webhooks -------------------------------------------------------------------------------------


def webhook_events_validate(patterns: Any) -> list[str]:
    if not isinstance(patterns, list) or not patterns or not all(isinstance(p, str) for p in patterns):
        raise ApplicationError(errors={"events": ["Give a non-empty list of event types or patterns."]})
    unknown = [p for p in patterns if not webhooks.pattern_is_known(p)]
    if unknown:
        raise ApplicationError(
            errors={
                "events": [
                    f"Unknown event types: {', '.join(unknown)}; known: {', '.join(sorted(events.EVENT_TYPES))}."
                ]
            }
        )
    return sorted(set(patterns))


@transaction.atomic
def webhook_subscription_save(
    *, subscription: WebhookSubscription, secret: str | None = None, user: Any = None
) -> WebhookSubscription:
    """Create or update a subscription; a new one without a secret gets a generated one (shown once)."""
    subscription.events = webhook_events_validate(subscription.events)
    if secret is not None:
        subscription.secret_encrypted = crypto.encrypt(secret)
    elif not subscription.secret_encrypted:
        raise ApplicationError(errors={"secret": ["A signing secret is required."]})
    if subscription.pk is None and getattr(user, "is_authenticated", False):
        subscription.created_by = user
    subscription.save()
    transaction.on_commit(webhooks.invalidate_subscriptions)
    return subscription


@transaction.atomic
def webhook_subscription_delete(*, subscription_id: int) -> None:
    deleted, _ = WebhookSubscription.objects.filter(pk=subscription_id).delete()
    if not deleted:
        raise NotFoundError(f"No webhook subscription {subscription_id}.")
    transaction.on_commit(webhooks.invalidate_subscriptions)


def webhook_deliveries_create(*, message: dict[str, Any]) -> list[int]:
    """After an event's commit: one delivery per matching active subscription, each sent by a task."""
    from integrations import tasks

    targets = [
        sub_id for sub_id, patterns in webhooks.active_subscriptions() if webhooks.matches(patterns, message["event"])
    ]
    if not targets:
        return []
    payload = webhooks.payload_of(message)
    now = timezone.now()
    rows = [
        WebhookDelivery(
            subscription_id=sub_id,
            event_id=message["id"],
            event_type=message["event"],
            payload=payload,
            next_attempt_at=now,
        )
        for sub_id in targets
    ]
    WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    ids = list(
        WebhookDelivery.objects.filter(event_id=message["id"], subscription_id__in=targets).values_list("pk", flat=True)
    )
    for delivery_id in ids:
        tasks.deliver_webhook.delay(delivery_id)
    return ids


class DeliveryRetry(Exception):
    """A transient failure: the task retries with backoff."""


def webhook_retry_scheduled(*, delivery_id: int, delay_seconds: float) -> None:
    """Record when the retry of a pending delivery is due, so the sweeper knows a late one from a waiting one."""
    WebhookDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).update(
        next_attempt_at=timezone.now() + timedelta(seconds=delay_seconds)
    )


#: A pending delivery or unsent notification this late is taken as lost (broker down at enqueue time,
#: a worker killed between claim and send) and queued again by the sweeper.
SWEEP_GRACE = timedelta(minutes=10)


def lost_work_requeue(*, now: datetime | None = None) -> dict[str, int]:
    """Queue again the webhook deliveries and alert e-mails whose task was lost. Each delivery is claimed
    by moving its ``next_attempt_at`` (two sweepers never queue it twice); a notification's send claims
    it itself, so a duplicate task sends nothing."""
    from integrations import tasks
    from orchestration import tasks as orchestration_tasks
    from orchestration.models import AlertNotification

    now = now or timezone.now()
    late = now - SWEEP_GRACE
    requeued = {"webhook_deliveries": 0, "alert_notifications": 0}
    overdue = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).filter(
        Q(next_attempt_at__lt=late) | Q(next_attempt_at__isnull=True, created_at__lt=late)
    )
    for delivery_id in overdue.values_list("pk", flat=True)[:1000]:
        claimed = (
            WebhookDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .filter(Q(next_attempt_at__lt=late) | Q(next_attempt_at__isnull=True))
            .update(next_attempt_at=now)
        )
        if claimed:
            tasks.deliver_webhook.delay(delivery_id)
            requeued["webhook_deliveries"] += 1
    unsent = AlertNotification.objects.filter(sent_at__isnull=True, created_at__lt=late).exclude(recipients=[])
    for notification_id in unsent.values_list("pk", flat=True)[:1000]:
        orchestration_tasks.send_alert_notification.delay(notification_id)
        requeued["alert_notifications"] += 1
    return requeued


def webhook_deliver(*, delivery_id: int, final_attempt: bool) -> str:
    """One attempt to POST a delivery. Returns the status; raises DeliveryRetry when it should be retried."""
    delivery = WebhookDelivery.objects.select_related("subscription").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return delivery.status if delivery else "missing"
    subscription = delivery.subscription
    if not subscription.active:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED, error="the subscription was deactivated"
        )
        return DeliveryStatus.FAILED
    body = webhooks.encode(delivery.payload)
    now = timezone.now()
    error, code = "", None
    try:
        secret = crypto.decrypt(subscription.secret_encrypted)
        headers = webhooks.headers_for(
            secret=secret,
            body=body,
            event_type=delivery.event_type,
            delivery_id=delivery.pk,
            timestamp=int(now.timestamp()),
        )
        response = httpx.post(
            subscription.url, content=body, headers=headers, timeout=settings.DEVSKY_HTTP_TIMEOUT_SECONDS
        )
        code = response.status_code
    except crypto.DecryptionError as failure:
        error, retry = str(failure), False
    except httpx.TimeoutException:
        error, retry = "timed out", True
    except httpx.HTTPError as failure:
        error, retry = f"{type(failure).__name__}: {failure}", True
    else:
        retry = code >= 500 or code in (408, 429)
        if not 200 <= code < 300:
            error = f"answered {code}"
    status = (
        DeliveryStatus.SUCCEEDED
        if not error
        else (DeliveryStatus.PENDING if retry and not final_attempt else DeliveryStatus.FAILED)
    )
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        attempts=F("attempts") + 1,
        last_attempt_at=now,
        response_code=code,
        error=error[:500],
        status=status,
        delivered_at=now if status == DeliveryStatus.SUCCEEDED else None,
    )
    if status == DeliveryStatus.PENDING:
        raise DeliveryRetry(error)
    return status


@transaction.atomic
def webhook_delivery_redeliver(*, delivery_id: int) -> WebhookDelivery:
    """Send a failed delivery again (a fresh series of attempts)."""
    from integrations import tasks

    delivery = WebhookDelivery.objects.select_for_update().filter(pk=delivery_id).first()
    if delivery is None:
        raise NotFoundError(f"No webhook delivery {delivery_id}.")
    if delivery.status == DeliveryStatus.FAILED:
        delivery.status = DeliveryStatus.PENDING
        delivery.save(update_fields=["status"])
        transaction.on_commit(lambda: tasks.deliver_webhook.delay(delivery.pk))
    return delivery
