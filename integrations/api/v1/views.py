import secrets

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.mixins import ListModelMixin
from rest_framework.request import Request
from rest_framework.response import Response

from devsky.api.pagination import CursorPagination
from devsky.api.views import BaseAPIView, BaseGenericAPIView
from integrations import selectors, services
from integrations.api.v1 import serializers as s
from integrations.models import WebhookSubscription


class NewestFirst(CursorPagination):
    ordering = ("-created_at", "-id")


class RunsNewestFirst(CursorPagination):
    ordering = ("-started_at", "-id")


class ByName(CursorPagination):
    ordering = ("name", "id")


class WebhookCollectionView(ListModelMixin, BaseGenericAPIView):
    """Outbound webhook subscriptions: events are POSTed, signed, after they commit."""

    policy_group = "integrations"
    serializer_class = s.WebhookSubscriptionOutput
    pagination_class = ByName
    filter_backends: list = []

    def get_queryset(self):
        return selectors.webhook_subscription_list()

    @extend_schema(summary="Webhook subscriptions", operation_id="webhooks_list")
    def get(self, request: Request) -> Response:
        return self.list(request)

    @extend_schema(
        summary="Subscribe a URL to events",
        operation_id="webhooks_create",
        request=s.WebhookSubscriptionInput,
        responses={201: s.WebhookSubscriptionCreated},
    )
    def post(self, request: Request) -> Response:  # no Idempotency-Key replay: it would store the secret
        data = s.WebhookSubscriptionInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        secret = values.pop("secret", None) or secrets.token_urlsafe(32)
        subscription = services.webhook_subscription_save(
            subscription=WebhookSubscription(**values), secret=secret, user=request.user
        )
        body = dict(s.WebhookSubscriptionOutput(subscription).data, secret=secret)
        return Response(body, status=status.HTTP_201_CREATED)


class WebhookDetailView(BaseAPIView):
    policy_group = "integrations"

    @extend_schema(
        summary="One webhook subscription", operation_id="webhooks_retrieve", responses=s.WebhookSubscriptionOutput
    )
    def get(self, request: Request, subscription_id: str) -> Response:
        subscription = selectors.webhook_subscription_get(subscription_id=int(subscription_id))
        return Response(s.WebhookSubscriptionOutput(subscription).data)

    @extend_schema(
        summary="Change a webhook subscription (name, url, events, active, secret)",
        operation_id="webhooks_partial_update",
        request=s.WebhookSubscriptionPatch,
        responses=s.WebhookSubscriptionOutput,
    )
    def patch(self, request: Request, subscription_id: str) -> Response:
        subscription = selectors.webhook_subscription_get(subscription_id=int(subscription_id))
        data = s.WebhookSubscriptionPatch(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        secret = values.pop("secret", None)
        for name, value in values.items():
            setattr(subscription, name, value)
        subscription = services.webhook_subscription_save(subscription=subscription, secret=secret, user=request.user)
        return Response(s.WebhookSubscriptionOutput(subscription).data)

    @extend_schema(summary="Delete a webhook subscription", operation_id="webhooks_destroy", responses={204: None})
    def delete(self, request: Request, subscription_id: str) -> Response:
        services.webhook_subscription_delete(subscription_id=int(subscription_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveryCollectionView(ListModelMixin, BaseGenericAPIView):
    policy_group = "integrations"
    serializer_class = s.WebhookDeliveryOutput
    pagination_class = NewestFirst
    filter_backends: list = []

    def get_queryset(self):
        subscription = selectors.webhook_subscription_get(subscription_id=int(self.kwargs["subscription_id"]))
        return selectors.webhook_delivery_list(subscription_id=subscription.pk)

    @extend_schema(summary="Deliveries of a webhook subscription, newest first", operation_id="webhooks_deliveries")
    def get(self, request: Request, subscription_id: str) -> Response:
        return self.list(request)


class CollectorCollectionView(ListModelMixin, BaseGenericAPIView):
    """Metric collectors (configured in the admin) and their state."""

    policy_group = "integrations"
    serializer_class = s.CollectorOutput
    pagination_class = ByName
    filter_backends: list = []

    def get_queryset(self):
        return selectors.collector_list()

    @extend_schema(summary="Metric collectors", operation_id="collectors_list")
    def get(self, request: Request) -> Response:
        return self.list(request)


class CollectorRunCollectionView(ListModelMixin, BaseGenericAPIView):
    policy_group = "integrations"
    serializer_class = s.CollectorRunOutput
    pagination_class = RunsNewestFirst
    filter_backends: list = []

    def get_queryset(self):
        collector = selectors.collector_get(collector_id=int(self.kwargs["collector_id"]))
        return selectors.collector_run_list(collector_id=collector.pk)

    @extend_schema(summary="Runs of a collector, newest first", operation_id="collectors_runs")
    def get(self, request: Request, collector_id: str) -> Response:
        return self.list(request)

    @extend_schema(
        summary="Queue a run of a collector now (its result appears in the runs)",
        operation_id="collectors_run",
        request=None,
        responses={202: s.CollectorRunQueued},
    )
    def post(self, request: Request, collector_id: str) -> Response:
        collector = selectors.collector_get(collector_id=int(collector_id))
        services.collector_run_queue(collector_id=collector.pk)
        return Response({"collector": collector.pk, "status": "queued"}, status=status.HTTP_202_ACCEPTED)
