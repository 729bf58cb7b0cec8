"""Routes of integrations under /api/v1/integrations/."""

from devsky.api.routing import api_path
from integrations.api.v1 import views

urlpatterns = [
    api_path("integrations/webhooks", views.WebhookCollectionView.as_view(), name="integrations-webhooks"),
    api_path(
        "integrations/webhooks/<int:subscription_id>", views.WebhookDetailView.as_view(), name="integrations-webhook"
    ),
    api_path(
        "integrations/webhooks/<int:subscription_id>/deliveries",
        views.WebhookDeliveryCollectionView.as_view(),
        name="integrations-webhook-deliveries",
    ),
    api_path("integrations/collectors", views.CollectorCollectionView.as_view(), name="integrations-collectors"),
    api_path(
        "integrations/collectors/<int:collector_id>/runs",
        views.CollectorRunCollectionView.as_view(),
        name="integrations-collector-runs",
    ),
]
