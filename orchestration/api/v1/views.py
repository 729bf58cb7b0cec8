from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.mixins import ListModelMixin
from rest_framework.request import Request
from rest_framework.response import Response

from devsky.api.conditional import expected_version, set_version_etag
from devsky.api.exceptions import ApplicationError, PreconditionRequiredError
from devsky.api.idempotency import idempotent
from devsky.api.pagination import CursorPagination
from devsky.api.schema import documented_error
from devsky.api.views import BaseAPIView, BaseGenericAPIView
from orchestration import selectors, services
from orchestration.api.v1 import serializers as s
from orchestration.config_schema import ConfigPutInput
from orchestration.filtersets import AlertFilter, DecisionFilter, SecurityIncidentFilter

MAX_SERIES_SPAN = timedelta(days=366)


class HealthView(BaseAPIView):
    """Overall orchestration health (document 1.1), computed per DESIGN.md §3; cached 30 s."""

    policy_group = "health"

    @extend_schema(
        summary="System health and status",
        operation_id="orchestration_health",
        responses=s.HealthOutput,
        examples=[
            OpenApiExample(
                "Demo data",
                value={
                    "status": "healthy",
                    "partnerships": {
                        "technical": {"health": "excellent", "uptime": 99.95},
                        "brand": {"health": "good", "engagement": 285},
                        "visual": {"health": "excellent", "accuracy": 94},
                        "customer": {"health": "excellent", "satisfaction": 92},
                    },
                    "last_updated": "2024-10-25T10:30:00Z",
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        return Response(selectors.health_current())


class MetricsView(BaseAPIView):
    """Latest KPI values of every partnership type; POST ingests samples (collectors)."""

    policy_group = "metrics"

    @extend_schema(
        summary="Latest metrics of every partnership type", operation_id="metrics_list", responses=s.MetricsOutput
    )
    def get(self, request: Request) -> Response:
        return Response(selectors.metrics_all())

    @extend_schema(
        summary="Ingest metric samples (up to 5,000, all or nothing)",
        operation_id="metrics_ingest",
        request=s.MetricIngestInput,
        responses={201: s.MetricIngestOutput},
        examples=[
            OpenApiExample(
                "One sample",
                value={
                    "samples": [
                        {
                            "partnership": "technical_excellence",
                            "metric": "development_velocity",
                            "value": 36.0,
                            "recorded_at": "2024-10-25T10:30:00Z",
                            "source": "jira",
                        }
                    ]
                },
                request_only=True,
            )
        ],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = s.MetricIngestInput(data=request.data)
        data.is_valid(raise_exception=True)
        accepted = services.metric_samples_ingest(samples=data.validated_data["samples"])
        return Response({"accepted": accepted}, status=status.HTTP_201_CREATED)


class PartnershipTypeMetricsView(BaseAPIView):
    """Latest KPI values of one partnership type (document 1.2); cached 30 s."""

    policy_group = "metrics"

    @extend_schema(
        summary="Latest metrics of one partnership type",
        operation_id="metrics_by_type",
        responses=s.PartnershipMetricsOutput,
        examples=[
            OpenApiExample(
                "Technical (demo data)",
                value={
                    "partnership_type": "technical",
                    "metrics": {
                        "development_velocity": 35.2,
                        "system_uptime": 99.95,
                        "api_response_time": 85,
                        "security_score": 100,
                    },
                    "timestamp": "2024-10-25T10:30:00Z",
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request, partnership_type: str) -> Response:
        return Response(selectors.metrics_for_type(partnership_type=partnership_type))


class MetricSeriesView(BaseAPIView):
    """One KPI over time, aggregated per hour or day in the database."""

    policy_group = "metrics"

    @extend_schema(
        summary="Time series of one KPI",
        operation_id="metrics_series",
        parameters=[s.SeriesQueryInput],
        responses=s.SeriesOutput,
    )
    def get(self, request: Request, partnership_type: str) -> Response:
        query = s.SeriesQueryInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        until = query.validated_data.get("until") or timezone.now()
        since = query.validated_data.get("since") or until - timedelta(days=7)
        if since >= until:
            raise ApplicationError("`since` must be before `until`.", errors={"since": ["Must be before until."]})
        if until - since > MAX_SERIES_SPAN:
            raise ApplicationError("The range may span at most 366 days.", errors={"since": ["Range too long."]})
        body = selectors.metric_series(
            partnership_type=partnership_type,
            metric=query.validated_data["metric"],
            since=since,
            until=until,
            bucket=query.validated_data["bucket"],
        )
        return Response(body)


class KpiCatalogView(BaseAPIView):
    """Every KPI with its target and direction (reference data, cached 24 h)."""

    policy_group = "metrics"

    @extend_schema(summary="KPI catalog", operation_id="kpi_catalog", responses=s.KpiCatalogOutput)
    def get(self, request: Request) -> Response:
        fields = ("partnership_type", "key", "label", "unit", "target", "direction", "headline")
        return Response({"kpis": [{name: kpi[name] for name in fields} for kpi in selectors.kpi_catalog()]})


DOCUMENT_CONTEXT = {
    "revenue_impact": 500000,
    "customer_impact": 5000,
    "estimated_cost": 100000,
    "expected_revenue": 300000,
    "affects_technical": True,
    "affects_brand": False,
}


class DecisionPagination(CursorPagination):
    ordering = ("-created_at", "-id")


class DecisionCollectionView(ListModelMixin, BaseGenericAPIView):
    """POST a context for a recommendation (stored unless ?dry_run=true); GET the stored decisions."""

    policy_group = "decisions"
    serializer_class = s.StoredDecisionOutput
    filterset_class = DecisionFilter
    pagination_class = DecisionPagination
    ordering_fields: list[str] = []

    def get_queryset(self):
        return selectors.decision_list()

    @extend_schema(summary="Stored decisions", operation_id="decisions_list")
    def get(self, request: Request) -> Response:
        return self.list(request)

    @extend_schema(
        summary="Strategic decision engine",
        operation_id="decisions_create",
        parameters=[s.DecisionQueryInput],
        request=s.DecisionInput,
        responses={201: s.DecisionOutput, 200: s.DecisionOutput},
        examples=[
            OpenApiExample(
                "The requirements document's example", value={"context": DOCUMENT_CONTEXT}, request_only=True
            )
        ],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        query = s.DecisionQueryInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = s.DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        dry_run = query.validated_data["dry_run"]
        answer = services.decision_make(context=data.validated_data["context"], user=request.user, dry_run=dry_run)
        if dry_run:
            return Response(answer, status=status.HTTP_200_OK)
        response = Response(answer, status=status.HTTP_201_CREATED)
        response["Location"] = reverse("orchestration-decision", kwargs={"decision_id": answer["id"]})
        return response


class DecisionDetailView(BaseAPIView):
    policy_group = "decisions"

    @extend_schema(summary="One stored decision", operation_id="decisions_retrieve", responses=s.StoredDecisionOutput)
    def get(self, request: Request, decision_id: str) -> Response:
        decision = selectors.decision_get(decision_id=int(decision_id))
        return Response(s.StoredDecisionOutput(decision).data)


class DecisionSimulateView(BaseAPIView):
    """Preview a rule change: one context under any version, or many contexts under two versions."""

    policy_group = "decisions"

    @extend_schema(
        summary="Simulate decisions under other rule-set versions",
        operation_id="decisions_simulate",
        request=s.SimulateInput,
        responses={200: s.DecisionOutput},
    )
    def post(self, request: Request) -> Response:
        data = s.SimulateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if "context" in values:
            answer, _ = selectors.decision_evaluate(context=values["context"], version=values.get("rule_set"))
            return Response({**answer, "id": None, "dry_run": True})
        return Response(selectors.decision_compare(contexts=values["contexts"], versions=values["rule_sets"]))


class ConfigView(BaseAPIView):
    """The orchestration configuration document: GET it (ETag), PUT the whole of it with If-Match."""

    policy_group = "config"

    @extend_schema(summary="The orchestration configuration", operation_id="config_retrieve", responses=s.ConfigOutput)
    def get(self, request: Request) -> Response:
        body = selectors.config_revision_current()
        return set_version_etag(Response(body), body["version"])

    @extend_schema(
        summary="Replace the orchestration configuration (If-Match required)",
        operation_id="config_update",
        request=ConfigPutInput,
        responses={
            200: s.ConfigOutput,
            412: documented_error("If-Match names an older version; `current_etag` is the current one."),
            428: documented_error("If-Match is required."),
        },
    )
    def put(self, request: Request) -> Response:
        version = expected_version(request, required=True)
        if version is None:  # If-Match: * is not precise enough for a whole-document replace
            raise PreconditionRequiredError('Send If-Match with the ETag you read, e.g. "v3".')
        data = ConfigPutInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.config_update(config=data.validated_data["config"], expected_version=version, user=request.user)
        body = selectors.config_history()[0]  # read from the database: the cache is cleared after commit
        return set_version_etag(Response(body), body["version"])


class ConfigHistoryView(BaseAPIView):
    policy_group = "config"

    @extend_schema(
        summary="Every revision of the configuration, newest first",
        operation_id="config_history",
        responses=s.ConfigHistoryOutput,
    )
    def get(self, request: Request) -> Response:
        return Response({"revisions": selectors.config_history()})


class AlertPagination(CursorPagination):
    ordering = ("-first_seen", "-id")


class AlertCollectionView(ListModelMixin, BaseGenericAPIView):
    """Alerts opened from the configuration's ``alert_thresholds``, newest first (``?status=open``...)."""

    policy_group = "alerts"
    serializer_class = s.AlertOutput
    filterset_class = AlertFilter
    pagination_class = AlertPagination
    ordering_fields: list[str] = []

    def get_queryset(self):
        return selectors.alert_list()

    @extend_schema(summary="Alerts", operation_id="alerts_list")
    def get(self, request: Request) -> Response:
        return self.list(request)


class AlertDetailView(BaseAPIView):
    policy_group = "alerts"

    @extend_schema(
        summary="One alert with its escalation notifications", operation_id="alerts_retrieve", responses=s.AlertOutput
    )
    def get(self, request: Request, alert_id: str) -> Response:
        return Response(s.AlertOutput(selectors.alert_get(alert_id=int(alert_id))).data)


class AlertAcknowledgeView(BaseAPIView):
    """Mark an alert as seen (it stays open until the KPI recovers; escalation goes on)."""

    policy_group = "alerts"

    @extend_schema(
        summary="Acknowledge an alert", operation_id="alerts_acknowledge", request=None, responses=s.AlertOutput
    )
    def post(self, request: Request, alert_id: str) -> Response:
        services.alert_acknowledge(alert_id=int(alert_id), user=request.user)
        return Response(s.AlertOutput(selectors.alert_get(alert_id=int(alert_id))).data)


class IncidentPagination(CursorPagination):
    ordering = ("-reported_at", "-id")


class SecurityIncidentCollectionView(ListModelMixin, BaseGenericAPIView):
    """Security incidents; open ones count towards ``alert_thresholds.security_incidents``."""

    policy_group = "incidents"
    serializer_class = s.SecurityIncidentOutput
    filterset_class = SecurityIncidentFilter
    pagination_class = IncidentPagination
    ordering_fields: list[str] = []

    def get_queryset(self):
        return selectors.security_incident_list()

    @extend_schema(summary="Security incidents", operation_id="incidents_list")
    def get(self, request: Request) -> Response:
        return self.list(request)

    @extend_schema(
        summary="Report a security incident",
        operation_id="incidents_create",
        request=s.SecurityIncidentInput,
        responses={201: s.SecurityIncidentOutput},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = s.SecurityIncidentInput(data=request.data)
        data.is_valid(raise_exception=True)
        incident = services.security_incident_report(
            partnership_id=data.validated_data["partnership"], summary=data.validated_data["summary"], user=request.user
        )
        return Response(s.SecurityIncidentOutput(incident).data, status=status.HTTP_201_CREATED)


class SecurityIncidentResolveView(BaseAPIView):
    """Only admins resolve: a collector's key may report incidents but never silence them."""

    policy_group = "incident_resolution"

    @extend_schema(
        summary="Resolve a security incident",
        operation_id="incidents_resolve",
        request=None,
        responses=s.SecurityIncidentOutput,
    )
    def post(self, request: Request, incident_id: str) -> Response:
        return Response(s.SecurityIncidentOutput(services.security_incident_resolve(incident_id=int(incident_id))).data)
