from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import filters, mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from content import selectors, services
from content.api.v1 import serializers as s
from content.filtersets import ContentPieceFilter, InfluencerFilter
from devsky.api.idempotency import idempotent
from devsky.api.lists import CollectionMixin
from devsky.api.pagination import KeysetPagination
from devsky.api.schema import documented_error
from devsky.api.views import BaseViewSet

DUPLICATE_INFLUENCER = documented_error("An influencer with this name on this platform exists; `existing_id` names it.")

LIST_PARAMETERS = [
    OpenApiParameter("fields", str, description="Comma-separated output fields, e.g. `id,platform,reach`."),
    OpenApiParameter("brief", bool, description="Slim rows with the most used fields."),
    OpenApiParameter("format", str, enum=["csv"], description="`csv` streams every filtered row as CSV."),
    OpenApiParameter("ordering", str, description="A sort field of this list, `-` for descending; ties go by id."),
]
BACKENDS = [DjangoFilterBackend, filters.SearchFilter]  # the keyset pagination applies ?ordering=


def _create(view, request: Request, input_class, service, output_class, detail_route: str) -> Response:
    """One object → 201 with it; a list (up to 1,000) → 201 with all, or nothing stored at all."""
    bulk = isinstance(request.data, list)
    data = input_class(
        data=request.data, many=bulk, **({"max_length": services.MAX_BULK, "allow_empty": False} if bulk else {})
    )
    data.is_valid(raise_exception=True)
    created = service(items=data.validated_data if bulk else [data.validated_data], bulk=bulk)
    if bulk:
        body = {"created": len(created), "results": output_class(created, many=True).data}
        return Response(body, status=status.HTTP_201_CREATED)
    response = Response(output_class(created[0]).data, status=status.HTTP_201_CREATED)
    response["Location"] = reverse(detail_route, kwargs={"pk": created[0].pk})
    return response


@extend_schema_view(
    list=extend_schema(summary="Content pieces", parameters=LIST_PARAMETERS, operation_id="content_pieces_list"),
    retrieve=extend_schema(summary="One content piece", operation_id="content_pieces_retrieve"),
)
class ContentPieceViewSet(CollectionMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, BaseViewSet):
    """The brand's content library (document 3.1)."""

    policy_group = "content"
    serializer_class = s.ContentPieceOutput
    filterset_class = ContentPieceFilter
    filter_backends = BACKENDS
    search_fields = ["title", "content_type"]
    # each sort has an index ending in id (content/models.py)
    ordering_fields = ["published_at", "engagement_rate", "reach", "id"]
    ordering = ("-published_at",)
    pagination_class = KeysetPagination
    brief_fields = ("id", "platform", "content_type", "published_at", "reach", "conversions", "engagement_rate")
    csv_filename = "content-pieces.csv"

    def get_queryset(self):
        return selectors.content_list()

    @extend_schema(
        summary="Create a content piece, or up to 1,000 (a JSON list, all or nothing)",
        operation_id="content_pieces_create",
        request=s.ContentPieceInput,
        responses={201: s.ContentPieceOutput},
        examples=[
            OpenApiExample(
                "The requirements document's example",
                value={
                    "platform": "instagram",
                    "content_type": "luxury_showcase",
                    "engagement_rate": 8.5,
                    "reach": 50000,
                    "conversions": 125,
                },
                request_only=True,
            )
        ],
    )
    @idempotent
    def create(self, request: Request) -> Response:
        return _create(
            self, request, s.ContentPieceInput, services.content_create, s.ContentPieceOutput, "content-piece-detail"
        )

    @extend_schema(summary="Replace a content piece", operation_id="content_pieces_update", request=s.ContentPieceInput)
    def update(self, request: Request, pk: str) -> Response:
        return self._update(request, pk, partial=False)

    @extend_schema(
        summary="Change some fields of a content piece",
        operation_id="content_pieces_partial_update",
        request=s.ContentPieceInput(partial=True),
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        return self._update(request, pk, partial=True)

    def _update(self, request: Request, pk: str, *, partial: bool) -> Response:
        piece = self.get_object()
        data = s.ContentPieceInput(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        piece = services.content_update(piece_id=piece.pk, data=data.validated_data)
        return Response(s.ContentPieceOutput(piece).data)

    @extend_schema(summary="Delete a content piece (orchestration_admin only)", operation_id="content_pieces_destroy")
    def destroy(self, request: Request, pk: str) -> Response:
        services.content_delete(piece_id=self.get_object().pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="Influencers", parameters=LIST_PARAMETERS, operation_id="influencers_list"),
    retrieve=extend_schema(summary="One influencer", operation_id="influencers_retrieve"),
)
class InfluencerViewSet(CollectionMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, BaseViewSet):
    """The influencer network (document 3.2). A name already on the platform is a 409 with its id."""

    policy_group = "content"
    serializer_class = s.InfluencerOutput
    filterset_class = InfluencerFilter
    filter_backends = BACKENDS
    search_fields = ["name", "contact", "notes"]
    ordering_fields = ["followers", "id"]
    ordering = ("-id",)
    pagination_class = KeysetPagination
    brief_fields = ("id", "name", "platform", "followers", "engagement_rate", "tier", "status", "verified")
    csv_filename = "influencers.csv"

    def get_queryset(self):
        return selectors.influencer_list()

    @extend_schema(
        summary="Add an influencer, or up to 1,000 (a JSON list, all or nothing)",
        operation_id="influencers_create",
        request=s.InfluencerInput,
        responses={201: s.InfluencerOutput, 409: DUPLICATE_INFLUENCER},
        examples=[
            OpenApiExample(
                "The requirements document's example",
                value={
                    "name": "LuxuryLifestyle_Anna",
                    "platform": "instagram",
                    "followers": 2500000,
                    "engagement_rate": 6.5,
                    "tier": "tier_1",
                },
                request_only=True,
            )
        ],
    )
    @idempotent
    def create(self, request: Request) -> Response:
        return _create(
            self,
            request,
            s.InfluencerInput,
            services.influencers_create,
            s.InfluencerOutput,
            "content-influencer-detail",
        )

    @extend_schema(
        summary="Replace an influencer",
        operation_id="influencers_update",
        request=s.InfluencerInput,
        responses={200: s.InfluencerOutput, 409: DUPLICATE_INFLUENCER},
    )
    def update(self, request: Request, pk: str) -> Response:
        return self._update(request, pk, partial=False)

    @extend_schema(
        summary="Change some fields of an influencer (e.g. status)",
        operation_id="influencers_partial_update",
        request=s.InfluencerInput(partial=True),
        responses={200: s.InfluencerOutput, 409: DUPLICATE_INFLUENCER},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        return self._update(request, pk, partial=True)

    def _update(self, request: Request, pk: str, *, partial: bool) -> Response:
        influencer = self.get_object()
        data = s.InfluencerInput(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        influencer = services.influencer_update(influencer_id=influencer.pk, data=data.validated_data)
        return Response(s.InfluencerOutput(influencer).data)
