"""Version 1 of the REST API: every app's routes under /api/v1/, plus the schema and its viewers."""

from django.urls import include, path

from devsky.api import auth_views
from devsky.api.routing import api_path
from devsky.api.views import RedocView, SchemaView, SwaggerView

urlpatterns = [
    api_path("schema", SchemaView.as_view(), name="api-schema"),
    api_path("docs", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    api_path("redoc", RedocView.as_view(url_name="api-schema"), name="api-redoc"),
    api_path("auth/token", auth_views.TokenObtainView.as_view(), name="auth-token"),
    api_path("auth/token/refresh", auth_views.TokenRefreshView.as_view(), name="auth-token-refresh"),
    api_path("auth/token/verify", auth_views.TokenVerifyView.as_view(), name="auth-token-verify"),
    api_path("auth/logout", auth_views.LogoutView.as_view(), name="auth-logout"),
    path("", include("orchestration.api.v1.urls")),
    path("", include("partnerships.api.v1.urls")),
    path("", include("content.api.v1.urls")),
    path("", include("analytics.api.v1.urls")),
    path("", include("communication.api.v1.urls")),
    path("", include("integrations.api.v1.urls")),
]
