"""Reads of the integrations app."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from devsky.api.exceptions import NotFoundError
from integrations.models import Collector, CollectorRun, WebhookDelivery, WebhookSubscription


def collector_list() -> QuerySet[Collector]:
    return Collector.objects.select_related("partnership")


def collector_get(*, collector_id: int) -> Collector:
    collector = collector_list().filter(pk=collector_id).first()
    if collector is None:
        raise NotFoundError(f"No collector {collector_id}.")
    return collector


def collector_run_list(*, collector_id: int | None = None) -> QuerySet[CollectorRun]:
    runs = CollectorRun.objects.select_related("collector")
    return runs.filter(collector_id=collector_id) if collector_id is not None else runs


def collector_failures() -> list[tuple[str, int]]:
    return list(Collector.objects.filter(enabled=True).order_by("name").values_list("name", "consecutive_failures"))


def webhook_subscription_list() -> QuerySet[WebhookSubscription]:
    return WebhookSubscription.objects.select_related("created_by")


def webhook_subscription_get(*, subscription_id: int) -> WebhookSubscription:
    subscription = webhook_subscription_list().filter(pk=subscription_id).first()
    if subscription is None:
        raise NotFoundError(f"No webhook subscription {subscription_id}.")
    return subscription


def webhook_delivery_list(*, subscription_id: int | None = None) -> QuerySet[WebhookDelivery]:
    deliveries = WebhookDelivery.objects.all()
    return deliveries.filter(subscription_id=subscription_id) if subscription_id is not None else deliveries


def webhook_delivery_counts() -> dict[str, int]:
    return dict(WebhookDelivery.objects.order_by().values_list("status").annotate(count=Count("id")))
