"""Routes of analytics under /api/v1/analytics/."""

from analytics.api.v1 import views
from devsky.api.routing import ApiRouter, api_path

router = ApiRouter()
router.register("analytics/costs", views.CostEntryViewSet, basename="analytics-cost")

urlpatterns = [
    api_path("analytics/orders", views.OrdersView.as_view(), name="analytics-orders"),
    api_path("analytics/roi", views.RoiListView.as_view(), name="analytics-roi"),
    api_path("analytics/roi/<slug:partnership_id>", views.RoiDetailView.as_view(), name="analytics-roi-detail"),
    api_path("analytics/reports", views.ReportListView.as_view(), name="analytics-reports"),
    api_path("analytics/reports/<slug:report_type>", views.ReportView.as_view(), name="analytics-report"),
    api_path("analytics/subscriptions", views.SubscriptionView.as_view(), name="analytics-subscriptions"),
    *router.urls,
]
