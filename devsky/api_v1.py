"""Version 1 of the REST API: every app's routes under /api/v1/, plus the schema and its viewers."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from devsky.api.routing import api_path

urlpatterns = [
    api_path("schema", SpectacularAPIView.as_view(), name="api-schema"),
    api_path("docs", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    api_path("redoc", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("", include("orchestration.api.v1.urls")),
    path("", include("partnerships.api.v1.urls")),
    path("", include("content.api.v1.urls")),
    path("", include("analytics.api.v1.urls")),
    path("", include("communication.api.v1.urls")),
]
