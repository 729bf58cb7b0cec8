"""Top-level routes: admin, probes, and the versioned API."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from oauth2_provider import urls as oauth2_urls

from analytics import views as analytics_views
from devsky import bench, health
from devsky.api.throttling import login_rate_limited
from devsky.api.views import ApiRootView
from integrations import exposition
from orchestration import views as orchestration_views

urlpatterns = [
    re_path(r"^healthz/?$", health.healthz, name="healthz"),
    re_path(r"^readyz/?$", health.readyz, name="readyz"),
    re_path(r"^metrics/?$", exposition.metrics_view, name="prometheus-metrics"),
    re_path(r"^api/v1/?$", ApiRootView.as_view(), name="api-root"),
    path("unsubscribe/<str:token>/", analytics_views.unsubscribe, name="analytics-unsubscribe"),
    path("live/", orchestration_views.live, name="live"),
    path("bench/bare", bench.bare_json, name="bench-bare"),
    path("api/v1/", include("devsky.api_v1")),
    # OAuth 2.0 authorize/token/revoke/introspect only: applications are managed in the admin.
    path("o/", include((oauth2_urls.base_urlpatterns, "oauth2_provider"), namespace="oauth2_provider")),
    path(
        "accounts/login/",
        login_rate_limited(
            auth_views.LoginView.as_view(template_name="admin/login.html", extra_context={"site_header": "DevSky"})
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Staff log in here; the form shares the token endpoint's per-address-and-username attempt budget.
    path("admin/login/", login_rate_limited(admin.site.login), name="admin-login"),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "DevSky Orchestration"
admin.site.site_title = "DevSky Orchestration"
admin.site.index_title = "Control room"
admin.site.index_template = "admin/devsky/index.html"  # the dashboard above the app list
admin.site.site_url = "/live/"  # the admin's "View site" link opens the live status page
