"""Top-level routes: admin, probes, and the versioned API."""

from django.contrib import admin
from django.urls import include, path, re_path

from devsky import health
from devsky.api.views import ApiRootView

urlpatterns = [
    re_path(r"^healthz/?$", health.healthz, name="healthz"),
    re_path(r"^readyz/?$", health.readyz, name="readyz"),
    re_path(r"^api/v1/?$", ApiRootView.as_view(), name="api-root"),
    path("api/v1/", include("devsky.api_v1")),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "DevSky Orchestration"
admin.site.site_title = "DevSky Orchestration"
admin.site.index_title = "Control room"
