from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from devsky.api.conditional import expected_version, set_version_etag
from devsky.api.exceptions import ApplicationError
from devsky.api.schema import documented_error
from devsky.api.views import BaseAPIView
from devsky.timeutil import iso_utc
from partnerships import selectors, services
from partnerships.api.v1 import serializers as s

DELIVERABLE_ERRORS = {
    409: documented_error("`last_updated` is older than the stored progress report."),
    412: documented_error("If-Match names an older version; `current_etag` is the current one."),
}


class PartnershipListView(BaseAPIView):
    """Every partnership with health, progress and deliverables (document 2.1)."""

    policy_group = "partnerships"

    @extend_schema(
        summary="Status of all partnerships",
        operation_id="partnerships_list",
        responses=s.PartnershipListOutput,
        examples=[
            OpenApiExample(
                "Demo data (first entry)",
                value={
                    "partnerships": [
                        {
                            "id": "technical_excellence",
                            "name": "Claude + Cursor Technical Engine",
                            "health": "excellent",
                            "progress": 71.25,
                            "deliverables": [
                                {"name": "microservices_architecture", "progress": 60.0},
                                {"name": "ai_personalization_engine", "progress": 75.0},
                            ],
                        }
                    ]
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        return Response({"partnerships": selectors.partnership_summaries()})


class PartnershipStatusView(BaseAPIView):
    policy_group = "partnerships"

    @extend_schema(
        summary="Status of one partnership", operation_id="partnership_status", responses=s.PartnershipStatusOutput
    )
    def get(self, request: Request, partnership_id: str) -> Response:
        return Response(selectors.partnership_status(partnership_id=partnership_id))


class DeliverableListView(BaseAPIView):
    policy_group = "partnerships"

    @extend_schema(
        summary="Deliverables of a partnership", operation_id="deliverables_list", responses=s.DeliverableListOutput
    )
    def get(self, request: Request, partnership_id: str) -> Response:
        partnership = selectors.partnership_get(partnership_id=partnership_id)
        deliverables = selectors.deliverable_list(partnership_ids=[partnership.pk])
        progress = selectors.partnership_progress(partnership_ids=[partnership.pk]).get(partnership.pk, 0.0)
        return Response(
            {
                "partnership": partnership.pk,
                "progress": progress,
                "deliverables": [selectors.deliverable_to_dict(deliverable) for deliverable in deliverables],
            }
        )


class DeliverableDetailView(BaseAPIView):
    """One deliverable. Its ETag is its version; send it back in If-Match to update safely."""

    policy_group = "partnerships"

    @extend_schema(summary="One deliverable", operation_id="deliverable_retrieve", responses=s.DeliverableOutput)
    def get(self, request: Request, partnership_id: str, deliverable_id: str) -> Response:
        deliverable = selectors.deliverable_get(partnership_id=partnership_id, key=deliverable_id)
        return set_version_etag(Response(selectors.deliverable_to_dict(deliverable)), deliverable.version)

    @extend_schema(
        summary="Update a deliverable's progress",
        operation_id="deliverable_update",
        request=s.DeliverableUpdateInput,
        responses={200: s.DeliverableUpdateOutput, **DELIVERABLE_ERRORS},
        examples=[
            OpenApiExample(
                "Progress report",
                value={
                    "completion_percentage": 85.0,
                    "status": "Implementation 85% complete",
                    "last_updated": "2024-10-25T10:30:00Z",
                },
                request_only=True,
            )
        ],
    )
    def put(self, request: Request, partnership_id: str, deliverable_id: str) -> Response:
        return self._update(request, partnership_id, deliverable_id, partial=False)

    @extend_schema(
        summary="Update some of a deliverable's fields",
        request=s.DeliverableUpdateInput(partial=True),
        responses={200: s.DeliverableUpdateOutput, **DELIVERABLE_ERRORS},
        operation_id="deliverable_partial_update",
    )
    def patch(self, request: Request, partnership_id: str, deliverable_id: str) -> Response:
        return self._update(request, partnership_id, deliverable_id, partial=True)

    def _update(self, request: Request, partnership_id: str, deliverable_id: str, *, partial: bool) -> Response:
        selectors.deliverable_get(partnership_id=partnership_id, key=deliverable_id)  # 404 before 400
        data = s.DeliverableUpdateInput(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if not values:
            raise ApplicationError(
                "Nothing to change: send at least one field.", errors={"non_field_errors": ["Empty."]}
            )
        deliverable = services.deliverable_update(
            partnership_id=partnership_id,
            key=deliverable_id,
            completion=values.get("completion_percentage"),
            status=values.get("status"),
            state=values.get("state"),
            last_updated=values.get("last_updated"),
            expected_version=expected_version(request),
            user=request.user,
        )
        progress = selectors.partnership_progress(partnership_ids=[partnership_id]).get(partnership_id, 0.0)
        body = {**selectors.deliverable_to_dict(deliverable), "partnership_progress": progress}
        return set_version_etag(Response(body), deliverable.version)


class DeliverableHistoryView(BaseAPIView):
    policy_group = "partnerships"

    @extend_schema(
        summary="History of a deliverable's progress (newest first)",
        operation_id="deliverable_history",
        responses=s.DeliverableHistoryOutput,
    )
    def get(self, request: Request, partnership_id: str, deliverable_id: str) -> Response:
        deliverable = selectors.deliverable_get(partnership_id=partnership_id, key=deliverable_id)
        changes = [
            {
                "changed_at": iso_utc(change.changed_at),
                "changed_by": change.changed_by.username if change.changed_by else None,
                "from_completion": change.from_completion,
                "to_completion": change.to_completion,
                "from_state": change.from_state,
                "to_state": change.to_state,
                "status": change.status,
                "source": change.source,
            }
            for change in selectors.deliverable_history(deliverable=deliverable)
        ]
        return Response({"deliverable": deliverable.key, "changes": changes})
