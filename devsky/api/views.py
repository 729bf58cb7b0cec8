"""Base classes every API view derives from, so cross-cutting policy is set in one place.

Authentication, the permission policy, throttles, the error format and pagination come from
REST_FRAMEWORK settings and from here; a concrete view names its selector, serializers and filterset.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet


class BaseAPIView(APIView):
    """A single-purpose endpoint (status, decisions, schedule...)."""

    #: Which group of the permission policy (DESIGN.md §10) this endpoint belongs to.
    policy_group: str = ""


class BaseGenericAPIView(GenericAPIView):
    """An endpoint over a queryset (lists with filters and pagination)."""

    policy_group: str = ""


class BaseViewSet(GenericViewSet):
    """A resource collection with list/retrieve/create/update/delete mixins added per resource."""

    policy_group: str = ""


class ApiRootView(BaseAPIView):
    """Entry point of API v1: where the documentation and the schema are."""

    authentication_classes: list = []
    policy_group = "public"

    @extend_schema(
        summary="API entry point",
        responses=inline_serializer(
            "ApiRootOutput",
            fields={
                "name": serializers.CharField(),
                "version": serializers.CharField(),
                "schema": serializers.CharField(),
                "docs": serializers.CharField(),
                "redoc": serializers.CharField(),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        return Response(
            {
                "name": "DevSky Orchestration API",
                "version": "v1",
                "schema": request.build_absolute_uri(reverse("api-schema")),
                "docs": request.build_absolute_uri(reverse("api-docs")),
                "redoc": request.build_absolute_uri(reverse("api-redoc")),
            }
        )


class SchemaView(SpectacularAPIView):
    policy_group = "public"


class SwaggerView(SpectacularSwaggerView):
    policy_group = "public"


class RedocView(SpectacularRedocView):
    policy_group = "public"
