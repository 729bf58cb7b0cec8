"""OpenAPI schema hooks: every operation documents its problem-details error responses."""

from __future__ import annotations

from typing import Any

from drf_spectacular.contrib.django_oauth_toolkit import DjangoOAuthToolkitScheme
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerExtension
from drf_spectacular.utils import OpenApiResponse

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string", "example": "about:blank"},
        "title": {"type": "string", "example": "Bad Request"},
        "status": {"type": "integer", "example": 400},
        "detail": {"type": "string", "example": "The request has invalid fields; see errors."},
        "code": {"type": "string", "example": "validation_error"},
        "instance": {"type": "string", "example": "/api/v1/partnerships/technical_excellence/deliverables/x"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "example": {"completion_percentage": ["Ensure this value is less than or equal to 100."]},
        },
        "request_id": {"type": "string", "example": "5f0c2b3e9a0d4c1f8e7b6a5d4c3b2a19"},
    },
    "required": ["type", "title", "status", "detail", "errors", "request_id"],
}

_DESCRIPTIONS = {
    "400": "Invalid input; `errors` names each field.",
    "401": "No or invalid credentials.",
    "403": "Credentials lack the permission.",
    "404": "No such resource.",
    "405": "Method not allowed.",
    "409": "Conflict with the current state (or an Idempotency-Key reused with another body).",
    "412": "If-Match did not match the current version.",
    "415": "Unsupported media type (send application/json).",
    "428": "If-Match is required for this write.",
    "429": "Rate limit exceeded; see Retry-After.",
    "503": "The database is unreachable for the moment; retry after Retry-After seconds.",
}


def _problem_response(code: str) -> dict[str, Any]:
    return {
        "description": _DESCRIPTIONS[code],
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def documented_error(description: str) -> OpenApiResponse:
    """An error answer of one operation (409, 412, ...); the schema hook gives it the problem-details body."""
    return OpenApiResponse(description=description)


def postprocess_problem_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    # Routes match with and without the trailing slash; document the canonical form without it.
    result["paths"] = {
        (path.rstrip("/") if path.count("/") > 3 else path): operations
        for path, operations in result.get("paths", {}).items()
    }
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "put", "patch", "post", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            codes = ["401", "403", "405", "429", "503"]
            if method in {"put", "patch", "post"}:
                codes += ["400", "415"]
            elif any(parameter.get("in") == "query" for parameter in operation.get("parameters", [])):
                codes.append("400")
            if "{" in path:
                codes.append("404")
            for code in codes:
                responses.setdefault(code, _problem_response(code))
            for code, response in responses.items():
                if code[:1] in {"4", "5"} and "content" not in response:
                    response["content"] = _problem_response("400")["content"]
    return result


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    """Documents ``Authorization: Api-Key <key>`` in the schema (and in Swagger UI's Authorize dialog)."""

    target_class = "devsky.api.authentication.ApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Service API key, sent as `Api-Key <prefix>.<secret>`.",
        }


class JWTAuthenticationScheme(SimpleJWTScheme):
    target_class = "devsky.api.authentication.JWTAuthentication"


class OAuth2AuthenticationScheme(DjangoOAuthToolkitScheme):
    target_class = "devsky.api.authentication.OAuth2Authentication"


class FieldSelectionSerializerScheme(OpenApiSerializerExtension):
    """Rows of collections with ``?fields=`` / ``?brief=1`` may carry any subset of the fields: none is required."""

    target_class = "devsky.api.serializers.FieldSelectionSerializerMixin"
    match_subclasses = True

    def map_serializer(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "response":
            schema.pop("required", None)
        return schema
