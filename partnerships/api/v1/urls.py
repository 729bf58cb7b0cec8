"""Routes of partnerships under /api/v1/partnerships/."""

from devsky.api.routing import api_path
from partnerships.api.v1 import views

P = "partnerships/<slug:partnership_id>"
D = f"{P}/deliverables/<slug:deliverable_id>"

urlpatterns = [
    api_path("partnerships", views.PartnershipListView.as_view(), name="partnership-list"),
    api_path(f"{P}/status", views.PartnershipStatusView.as_view(), name="partnership-status"),
    api_path(f"{P}/deliverables", views.DeliverableListView.as_view(), name="deliverable-list"),
    api_path(D, views.DeliverableDetailView.as_view(), name="deliverable-detail"),
    api_path(f"{D}/history", views.DeliverableHistoryView.as_view(), name="deliverable-history"),
]
