"""Request id, access log and the problem-details guarantee for everything under /api/."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse

from devsky.api.problems import is_api_path, problem_response
from devsky.log import request_id_var

logger = logging.getLogger("devsky.request")

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
DATABASE_RETRY_AFTER_SECONDS = 5


class RequestIdMiddleware:
    """Accept a well-formed X-Request-ID or make one; echo it; put it in every log line of the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        # Not reset on the way out: Django logs 4xx/5xx after the middleware chain returns, and those
        # lines belong to this request too. The next request on this thread sets its own id.
        request_id_var.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        logger.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            },
        )
        return response


class ProblemDetailsMiddleware:
    """No HTML error page under /api/: any 4xx/5xx that is not already problem+json becomes one.

    DRF errors are rendered by devsky.api.exceptions; this catches what happens outside a DRF view:
    Django's own 404 for an unknown route, 405 from a plain view, 400 for a bad Host header, and 500s.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_api_path(request.path_info):
            return self.get_response(request)
        bad_parameter = _nul_in_query(request)
        if bad_parameter is not None:
            return problem_response(
                request,
                status=400,
                detail="Query parameters must not contain NUL characters.",
                code="invalid_query",
                errors={bad_parameter: ["Contains a NUL character."]},
            )
        response = self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith("application/problem+json"):
            replacement = problem_response(request, status=response.status_code)
            for header in ("Allow", "Retry-After", "WWW-Authenticate", "X-Frame-Options", "Vary"):
                if header in response:
                    replacement[header] = response[header]
            return replacement
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # Unhandled errors are logged by Django's handler; DEBUG pages never reach an API client.
        if not is_api_path(request.path_info):
            return None
        if isinstance(exception, OperationalError | InterfaceError):
            # The database is unreachable (or refused the connection, or the pool timed out): a temporary
            # condition of the service, not a bug. Clients may retry; /readyz fails meanwhile.
            logger.error("database unavailable", extra={"error": repr(exception)})
            response = problem_response(
                request,
                status=503,
                detail="The database is unreachable; try again shortly.",
                code="database_unavailable",
            )
            response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
            return response
        logger.exception("unhandled error", exc_info=exception)
        return problem_response(request, status=500)


def _nul_in_query(request: HttpRequest) -> str | None:
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return key.replace("\x00", "") or "query"
    return None


class ProbeMiddleware:
    """Answers /healthz and /readyz before host validation and HTTPS redirects.

    Orchestrators probe each process by its own address (``Host: 10.1.2.3:8000``), which is not in
    ALLOWED_HOSTS; the probes expose nothing but liveness, so they need not be bound to a host name.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from devsky import health

        probe = {"/healthz": health.healthz, "/readyz": health.readyz}.get(request.path_info.rstrip("/"))
        return probe(request) if probe is not None else self.get_response(request)
