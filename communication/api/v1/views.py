from django.http import HttpResponse
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, renderers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from communication import selectors, services
from communication.api.v1 import serializers as s
from communication.filtersets import MeetingFilter
from devsky.api.idempotency import idempotent
from devsky.api.lists import DownloadRenderer
from devsky.api.pagination import KeysetPagination
from devsky.api.schema import documented_error
from devsky.api.views import BaseAPIView, BaseViewSet

MEETING_CONFLICT = documented_error(
    "An attendee is already booked then (`overlaps` lists the meetings; `?allow_overlap=true` books anyway), "
    "or the protocol already meets at that time."
)


class ICalendarRenderer(DownloadRenderer):
    media_type = "text/calendar"
    format = "ics"


def ical_response(meetings, filename: str) -> HttpResponse:
    response = HttpResponse(services.meetings_ical(list(meetings)), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ProtocolListView(BaseAPIView):
    """The partnerships' communication protocols (cached 24 h)."""

    policy_group = "communication"

    @extend_schema(summary="Communication protocols", operation_id="protocols_list", responses=s.ProtocolListOutput)
    def get(self, request: Request) -> Response:
        return Response({"protocols": selectors.protocols_all()})


class ScheduleView(BaseAPIView):
    policy_group = "communication"

    @extend_schema(
        summary="Turn protocols' cadences into meetings over a date range (idempotent)",
        operation_id="schedule_create",
        request=s.ScheduleInput,
        responses={201: s.ScheduleOutput, 200: OpenApiResponse(s.ScheduleOutput, description="Nothing new to create.")},
        examples=[
            OpenApiExample(
                "A month of technical meetings",
                value={"partnership": "technical_excellence", "start_date": "2030-03-01", "end_date": "2030-03-31"},
                request_only=True,
            )
        ],
    )
    def post(self, request: Request) -> Response:
        data = s.ScheduleInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        result = services.schedule_meetings(
            protocol_id=values.get("protocol"),
            partnership_id=values.get("partnership"),
            start=values["start_date"],
            end=values["end_date"],
        )
        body = {"created": result["created"], "meetings": s.MeetingOutput(result["meetings"], many=True).data}
        return Response(body, status=status.HTTP_201_CREATED if result["created"] else status.HTTP_200_OK)


@extend_schema_view(
    list=extend_schema(
        summary="Meetings",
        operation_id="meetings_list",
        parameters=[OpenApiParameter("format", str, enum=["ics"], description="`ics`: the filtered list as iCalendar")],
    ),
    retrieve=extend_schema(summary="One meeting", operation_id="meetings_retrieve"),
)
class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, BaseViewSet):
    policy_group = "communication"
    serializer_class = s.MeetingOutput
    filterset_class = MeetingFilter
    pagination_class = KeysetPagination
    ordering_fields = ["starts_at", "id"]
    ordering = ("starts_at",)
    renderer_classes = [renderers.JSONRenderer, ICalendarRenderer]

    def get_queryset(self):
        return selectors.meeting_list()

    def wants_ical(self) -> bool:
        return (
            self.request.query_params.get("format") == "ics"
            or getattr(getattr(self.request, "accepted_renderer", None), "format", None) == "ics"
        )

    def list(self, request: Request, *args, **kwargs):
        if self.wants_ical():
            return ical_response(self.filter_queryset(self.get_queryset())[:5000], "meetings.ics")
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args, **kwargs):
        if self.wants_ical():
            meeting = self.get_object()
            return ical_response([meeting], f"meeting-{meeting.pk}.ics")
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="One meeting as iCalendar", operation_id="meetings_ical", responses={(200, "text/calendar"): str}
    )
    @action(detail=True, methods=["get"], url_path="ics")
    def ics(self, request: Request, pk: str):
        meeting = self.get_object()
        return ical_response([meeting], f"meeting-{meeting.pk}.ics")

    def _save(self, request: Request, meeting_id: int | None, partial: bool) -> Response:
        query = s.MeetingQueryInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = s.MeetingInput(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        meeting = services.meeting_save(
            data=dict(data.validated_data),
            meeting_id=meeting_id,
            allow_overlap=query.validated_data["allow_overlap"],
            user=request.user,
        )
        return Response(
            s.MeetingOutput(meeting).data, status=status.HTTP_200_OK if meeting_id else status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Book a meeting (409 when an attendee is busy, unless ?allow_overlap=true)",
        operation_id="meetings_create",
        request=s.MeetingInput,
        responses={201: s.MeetingOutput, 409: MEETING_CONFLICT},
        parameters=[s.MeetingQueryInput],
    )
    @idempotent
    def create(self, request: Request) -> Response:
        return self._save(request, None, partial=False)

    @extend_schema(
        summary="Replace a meeting",
        operation_id="meetings_update",
        request=s.MeetingInput,
        parameters=[s.MeetingQueryInput],
        responses={200: s.MeetingOutput, 409: MEETING_CONFLICT},
    )
    def update(self, request: Request, pk: str) -> Response:
        return self._save(request, self.get_object().pk, partial=False)

    @extend_schema(
        summary="Change some fields of a meeting",
        operation_id="meetings_partial_update",
        request=s.MeetingInput(partial=True),
        parameters=[s.MeetingQueryInput],
        responses={200: s.MeetingOutput, 409: MEETING_CONFLICT},
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        return self._save(request, self.get_object().pk, partial=True)

    @extend_schema(summary="Cancel a meeting", operation_id="meetings_destroy")
    def destroy(self, request: Request, pk: str) -> Response:
        services.meeting_delete(meeting_id=self.get_object().pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
