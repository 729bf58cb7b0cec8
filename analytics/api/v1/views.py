from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from analytics import selectors, services
from analytics.api.v1 import serializers as s
from analytics.models import CostEntry
from devsky.api.exceptions import ApplicationError
from devsky.api.idempotency import idempotent
from devsky.api.pagination import CursorPagination
from devsky.api.views import BaseAPIView, BaseViewSet
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
