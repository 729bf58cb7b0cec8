"""RFC 9457 problem details: the one error body of the API."""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse

from devsky.log import current_request_id

PROBLEM_CONTENT_TYPE = "application/problem+json"
API_PREFIX = "/api/"

# Machine-readable code per status, used when the error carries no more specific one.
DEFAULT_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    412: "precondition_failed",
    413: "request_too_large",
    415: "unsupported_media_type",
    428: "precondition_required",
    429: "throttled",
    500: "server_error",
    503: "service_unavailable",
}

DEFAULT_DETAILS = {
    404: "No resource at this address.",
    405: "This method is not allowed here.",
    500: "The server hit an unexpected error; it has been logged with this request id.",
}


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIX) or path == API_PREFIX.rstrip("/")


def status_title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem_body(
    *,
    status: int,
    detail: str | None = None,
    code: str | None = None,
    errors: dict[str, Any] | None = None,
    instance: str | None = None,
    request_id: str | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": status_title(status),
        "status": status,
        "detail": detail or DEFAULT_DETAILS.get(status) or status_title(status),
        "code": code or DEFAULT_CODES.get(status, "error"),
        "errors": errors or {},
        "request_id": request_id or current_request_id(),
    }
    if instance:
        body["instance"] = instance
    if extra:
        body.update(extra)
    return body


def problem_response(
    request: HttpRequest,
    *,
    status: int,
    detail: str | None = None,
    code: str | None = None,
    errors: dict[str, Any] | None = None,
) -> HttpResponse:
    """A plain Django response for errors raised outside DRF (middleware, URL resolver, 500)."""
    body = problem_body(
        status=status,
        detail=detail,
        code=code,
        errors=errors,
        instance=request.path,
        request_id=getattr(request, "request_id", None),
    )
    return HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_CONTENT_TYPE)
