"""Domain errors and the DRF exception handler that renders every error as problem details."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions as drf_exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from devsky.api.problems import PROBLEM_CONTENT_TYPE, problem_body


class ApplicationError(Exception):
    """Base of every domain error. Services raise these; the handler renders them.

    Subclasses set ``status`` and ``code``; ``errors`` maps field names to messages.
    """

    status = 400
    code = "invalid"
    default_detail = "The request could not be processed."

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: dict[str, list[str]] | None = None,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.detail = detail or self.default_detail
        self.errors = errors or {}
        self.extra = extra or {}
        self.headers = headers or {}
        super().__init__(self.detail)


class NotFoundError(ApplicationError):
    status = 404
    code = "not_found"
    default_detail = "Not found."


class ConflictError(ApplicationError):
    status = 409
    code = "conflict"
    default_detail = "The request conflicts with the current state of the resource."


class PreconditionFailedError(ApplicationError):
    status = 412
    code = "precondition_failed"
    default_detail = "The resource has changed since you read it (If-Match did not match)."


class PreconditionRequiredError(ApplicationError):
    status = 428
    code = "precondition_required"
    default_detail = "This write needs an If-Match header with the ETag you last read."


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested error detail into ``{"field.sub.0": ["message", ...]}``."""
    flat: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            if key == api_settings.NON_FIELD_ERRORS_KEY and prefix:
                name = prefix  # an error about the nested object itself is the object's
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            for sub_key, messages in flatten_errors(value, name).items():
                flat.setdefault(sub_key, []).extend(messages)
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            flat[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                if item in ({}, []):
                    continue
                name = f"{prefix}.{index}" if prefix else str(index)
                for sub_key, messages in flatten_errors(item, name).items():
                    flat.setdefault(sub_key, []).extend(messages)
    else:
        flat[prefix or "non_field_errors"] = [str(detail)]
    return flat


def _first_code(codes: Any) -> str | None:
    if isinstance(codes, str):
        return codes
    if isinstance(codes, dict):
        for value in codes.values():
            found = _first_code(value)
            if found:
                return found
    if isinstance(codes, list):
        for value in codes:
            found = _first_code(value)
            if found:
                return found
    return None


def _detail_and_code(exc: drf_exceptions.APIException) -> tuple[str, str | None]:
    """The message and code of a non-validation error; simplejwt nests both in a dict."""
    detail = exc.detail
    if isinstance(detail, dict):
        message = detail.get("detail", "")
        code = detail.get("code")
        return str(message), (str(code) if code else _first_code(exc.get_codes()))
    return str(detail), _first_code(exc.get_codes())


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    request = context.get("request")
    instance = request.path if request is not None else None
    request_id = getattr(request, "request_id", None)

    if isinstance(exc, ApplicationError):
        body = problem_body(
            status=exc.status,
            detail=exc.detail,
            code=exc.code,
            errors=exc.errors,
            instance=instance,
            request_id=request_id,
            extra=exc.extra,
        )
        return Response(body, status=exc.status, headers=exc.headers, content_type=PROBLEM_CONTENT_TYPE)

    if isinstance(exc, DjangoValidationError):
        exc = drf_exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf_exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a bug: Django logs it and ProblemDetailsMiddleware answers 500

    if isinstance(exc, drf_exceptions.ValidationError):
        errors = flatten_errors(exc.detail)
        detail = "The request has invalid fields; see errors."
        if set(errors) == {"non_field_errors"} and len(errors["non_field_errors"]) == 1:
            detail = errors["non_field_errors"][0]
        code = "validation_error"
    else:
        errors = {}
        detail, code = _detail_and_code(exc)
    extra: dict[str, Any] = {}
    if isinstance(exc, drf_exceptions.Throttled) and exc.wait is not None:
        extra["retry_after"] = int(exc.wait)
    response.data = problem_body(
        status=response.status_code,
        detail=detail,
        code=code,
        errors=errors,
        instance=instance,
        request_id=request_id,
        extra=extra,
    )
    response.content_type = PROBLEM_CONTENT_TYPE
    return response
