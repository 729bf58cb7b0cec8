"""Routes of orchestration under /api/v1/orchestration/."""

from devsky.api.routing import api_path
from orchestration.api.v1 import views

urlpatterns = [
    api_path("orchestration/health", views.HealthView.as_view(), name="orchestration-health"),
    api_path("orchestration/metrics", views.MetricsView.as_view(), name="orchestration-metrics"),
    api_path("orchestration/kpis", views.KpiCatalogView.as_view(), name="orchestration-kpis"),
    api_path(
        "orchestration/metrics/<slug:partnership_type>",
        views.PartnershipTypeMetricsView.as_view(),
        name="orchestration-metrics-type",
    ),
    api_path(
        "orchestration/metrics/<slug:partnership_type>/series",
        views.MetricSeriesView.as_view(),
        name="orchestration-metrics-series",
    ),
    api_path("config/orchestration", views.ConfigView.as_view(), name="config-orchestration"),
    api_path("config/orchestration/history", views.ConfigHistoryView.as_view(), name="config-orchestration-history"),
    api_path("orchestration/decisions", views.DecisionCollectionView.as_view(), name="orchestration-decisions"),
    api_path(
        "orchestration/decisions/simulate",
        views.DecisionSimulateView.as_view(),
        name="orchestration-decisions-simulate",
    ),
    api_path(
        "orchestration/decisions/<int:decision_id>", views.DecisionDetailView.as_view(), name="orchestration-decision"
    ),
    api_path("orchestration/alerts", views.AlertCollectionView.as_view(), name="orchestration-alerts"),
    api_path("orchestration/alerts/<int:alert_id>", views.AlertDetailView.as_view(), name="orchestration-alert"),
    api_path(
        "orchestration/alerts/<int:alert_id>/acknowledge",
        views.AlertAcknowledgeView.as_view(),
        name="orchestration-alert-acknowledge",
    ),
    api_path("orchestration/incidents", views.SecurityIncidentCollectionView.as_view(), name="orchestration-incidents"),
    api_path(
        "orchestration/incidents/<int:incident_id>/resolve",
        views.SecurityIncidentResolveView.as_view(),
        name="orchestration-incident-resolve",
    ),
]
