from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from analytics import selectors, services
from analytics.api.v1 import serializers as s
from analytics.models import CostEntry, Report, ReportSubscription
from devsky.api.exceptions import ApplicationError, NotFoundError
from devsky.api.idempotency import idempotent
from devsky.api.pagination import CursorPagination
from devsky.api.schema import documented_error
from devsky.api.views import BaseAPIView, BaseGenericAPIView, BaseViewSet
from partnerships.models import Partnership


class OrdersView(BaseAPIView):
    """Attributed orders from the shop (collectors). Re-sending an order is harmless."""

    policy_group = "orders"

    @extend_schema(
        summary="Ingest attributed orders (up to 5,000, all or nothing)",
        operation_id="orders_ingest",
        request=s.OrdersInput,
        responses={201: s.OrdersOutput},
        examples=[
            OpenApiExample(
                "One order",
                value={
                    "orders": [
                        {
                            "order_id": "A-1001",
                            "partnership": "brand_amplification",
                            "amount": 500.0,
                            "placed_at": "2024-10-25T10:30:00Z",
                            "utm_source": "instagram",
                        }
                    ]
                },
                request_only=True,
            )
        ],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = s.OrdersInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(services.orders_ingest(orders=data.validated_data["orders"]), status=status.HTTP_201_CREATED)


class _RoiView(BaseAPIView):
    policy_group = "analytics"

    def query(self, request: Request) -> dict:
        data = s.RoiQueryInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        return {key: data.validated_data.get(key) for key in ("period", "start", "end")}


class RoiListView(_RoiView):
    @extend_schema(
        summary="ROI of every partnership",
        operation_id="roi_list",
        parameters=[s.RoiQueryInput],
        responses=s.RoiListOutput,
    )
    def get(self, request: Request) -> Response:
        return Response(selectors.roi_for(partnership_id=None, **self.query(request)))


class RoiDetailView(_RoiView):
    @extend_schema(
        summary="ROI of one partnership",
        operation_id="roi_retrieve",
        parameters=[s.RoiQueryInput],
        responses=s.RoiOutput,
        examples=[
            OpenApiExample(
                "Brand (demo data)",
                value={
                    "partnership_id": "brand_amplification",
                    "attributed_revenue": 250000,
                    "roi_percentage": 150,
                    "revenue_per_order": 500,
                    "period": "30_days",
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request, partnership_id: str) -> Response:
        return Response(selectors.roi_for(partnership_id=partnership_id, **self.query(request)))


class CostPagination(CursorPagination):
    ordering = ("-start_date", "-id")


class CostEntryViewSet(mixins.ListModelMixin, BaseViewSet):
    """Costs per partnership, spread over their days for ROI (writes: orchestration_admin)."""

    policy_group = "analytics"
    serializer_class = s.CostEntryOutput
    pagination_class = CostPagination
    filterset_fields = ["partnership"]
    ordering_fields: list[str] = []

    def get_queryset(self):
        return CostEntry.objects.all()

    @extend_schema(
        summary="Add a cost entry",
        operation_id="costs_create",
        request=s.CostEntryInput,
        responses={201: s.CostEntryOutput},
    )
    @idempotent
    def create(self, request: Request) -> Response:
        data = s.CostEntryInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        partnership = values.pop("partnership")
        if not Partnership.objects.filter(pk=partnership).exists():
            raise ApplicationError(
                "Unknown partnership.", errors={"partnership": [f"Unknown partnership {partnership!r}."]}
            )
        entry = services.cost_entry_create(data={**values, "partnership_id": partnership}, user=request.user)
        return Response(s.CostEntryOutput(entry).data, status=status.HTTP_201_CREATED)


class ReportView(BaseAPIView):
    """The latest finished report of a type, or the one for the period containing ?date= (document 4.1)."""

    policy_group = "reports"

    @extend_schema(
        summary="A performance report",
        operation_id="reports_retrieve",
        parameters=[s.ReportQueryInput],
        responses=s.ReportOutput,
    )
    def get(self, request: Request, report_type: str) -> Response:
        query = s.ReportQueryInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(selectors.report_for(report_type=report_type, day=query.validated_data.get("date")))


class ReportPagination(CursorPagination):
    ordering = ("-period_start", "-id")


class ReportListView(mixins.ListModelMixin, BaseGenericAPIView):
    policy_group = "reports"
    serializer_class = s.ReportListOutput
    pagination_class = ReportPagination
    filterset_fields = ["report_type"]
    ordering_fields: list[str] = []

    def get_queryset(self):
        return Report.objects.all()

    @extend_schema(summary="Reports built so far", operation_id="reports_list")
    def get(self, request: Request) -> Response:
        return self.list(request)


class SubscriptionView(BaseAPIView):
    """Your own report e-mail subscriptions."""

    policy_group = "subscriptions"

    @extend_schema(
        summary="My report subscriptions", operation_id="subscriptions_list", responses=s.SubscriptionOutput(many=True)
    )
    def get(self, request: Request) -> Response:
        rows = ReportSubscription.objects.filter(user=request.user)
        return Response(s.SubscriptionOutput(rows, many=True).data)

    @extend_schema(
        summary="Subscribe to a report type",
        operation_id="subscriptions_create",
        request=s.SubscriptionInput,
        responses={201: s.SubscriptionOutput},
    )
    def post(self, request: Request) -> Response:
        data = s.SubscriptionInput(data=request.data)
        data.is_valid(raise_exception=True)
        if not request.user.email:
            raise ApplicationError("Your account has no e-mail address.", errors={"email": ["Set one first."]})
        row = services.subscription_create(user=request.user, report_type=data.validated_data["report_type"])
        return Response(s.SubscriptionOutput(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Unsubscribe from a report type",
        operation_id="subscriptions_delete",
        parameters=[s.SubscriptionInput],
        responses={204: None, 404: documented_error("You are not subscribed to this report type.")},
    )
    def delete(self, request: Request) -> Response:
        data = s.SubscriptionInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        if not services.subscription_delete(user=request.user, report_type=data.validated_data["report_type"]):
            raise NotFoundError("You are not subscribed to this report type.")
        return Response(status=status.HTTP_204_NO_CONTENT)
