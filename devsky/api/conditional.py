"""Conditional requests (DESIGN.md §9).

GET: ``django.middleware.http.ConditionalGetMiddleware`` gives every GET response an ETag (a hash of
the body) and answers a matching ``If-None-Match`` with 304. A versioned resource sets its own ETag
from its version (``set_version_etag``) so that the value a client read is the value it sends back.

Writes: ``expected_version(request)`` reads ``If-Match``; the service compares it *inside* the UPDATE
(``update_versioned``, under a row lock), so two writers holding the same ETag cannot both win (PITFALLS.md).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet
from rest_framework.request import Request
from rest_framework.response import Response

from devsky.api.exceptions import NotFoundError, PreconditionFailedError, PreconditionRequiredError

_VERSION_ETAG = re.compile(r'^(?:W/)?"v(?P<version>[0-9]{1,18})"$')


def version_etag(version: int) -> str:
    return f'"v{version}"'


def set_version_etag(response: Response, version: int) -> Response:
    response["ETag"] = version_etag(version)
    return response


def expected_version(request: Request, *, required: bool = False) -> int | None:
    """The version named by If-Match; ``None`` when absent (or ``*``) and not required.

    A value that is not one of our ETags can never match, so it is a 412, not a 400.
    """
    header = request.headers.get("If-Match", "").strip()
    if not header:
        if required:
            raise PreconditionRequiredError()
        return None
    if header == "*":
        return None
    versions = [_VERSION_ETAG.match(tag.strip()) for tag in header.split(",")]
    matched = [int(m.group("version")) for m in versions if m]
    if not matched:
        raise PreconditionFailedError("If-Match does not name a version of this resource.")
    if len(set(matched)) > 1:
        raise PreconditionFailedError("If-Match names more than one version.")
    return matched[0]


def update_versioned(
    queryset: QuerySet[Any], *, pk: Any, expected: int | None, values: dict[str, Any], version_field: str = "version"
) -> int:
    """Apply ``values`` and bump the version, under a row lock, if the version is still ``expected``.

    Returns the new version. Raises 404 when the row is gone and 412 when its version moved on.
    """
    with transaction.atomic():
        current = queryset.select_for_update().filter(pk=pk).values_list(version_field, flat=True).first()
        if current is None:
            raise NotFoundError()
        if expected is not None and current != expected:
            raise PreconditionFailedError(extra={"current_etag": version_etag(current)})
        queryset.filter(pk=pk, **{version_field: current}).update(**values, **{version_field: F(version_field) + 1})
    return current + 1
