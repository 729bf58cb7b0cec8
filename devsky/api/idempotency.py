"""``Idempotency-Key`` on creating POSTs (DESIGN.md §9).

The same key and body from the same principal within the TTL replays the first response; the same
key with another body is a 409; a second request while the first is still running is a 409 too.
Only successful (2xx) responses are stored: a failed attempt may be retried with the same key.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from devsky.api.exceptions import ApplicationError, ConflictError
from devsky.api.principal import principal_key
from devsky.models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
_STORED_HEADERS = ("Location", "ETag", "Content-Location")


class IdempotencyKeyInvalid(ApplicationError):
    code = "invalid_idempotency_key"
    default_detail = "Idempotency-Key must be 1-255 visible ASCII characters."


class IdempotencyKeyReused(ConflictError):
    code = "idempotency_key_reused"
    default_detail = "This Idempotency-Key was already used with a different request."


class IdempotencyKeyInProgress(ConflictError):
    code = "idempotency_key_in_progress"
    default_detail = "A request with this Idempotency-Key is still being processed; retry shortly."


def request_fingerprint(request: Request) -> str:
    canonical = json.dumps(request.data, sort_keys=True, separators=(",", ":"), cls=JSONEncoder)
    digest = hashlib.sha256()
    # The same resource with or without its trailing slash is the same request.
    path = request.path.rstrip("/") + "?" + request.META.get("QUERY_STRING", "")
    for part in (request.method, path, canonical):
        digest.update(part.encode())
        digest.update(b"\x00")
    return digest.hexdigest()


def idempotency_begin(
    *, principal: str, key: str, method: str, path: str, fingerprint: str
) -> IdempotencyRecord | None:
    """Claim the key. Returns the finished record to replay, or None when this request should run.

    The unique (principal, key) constraint decides races: exactly one concurrent request claims it.
    """
    now = timezone.now()
    ttl = timedelta(seconds=settings.IDEMPOTENCY_TTL_SECONDS)
    lock = timedelta(seconds=settings.IDEMPOTENCY_LOCK_SECONDS)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                IdempotencyRecord.objects.create(
                    principal=principal, key=key, method=method, path=path[:2048], fingerprint=fingerprint
                )
            return None
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(principal=principal, key=key).first()
        if existing is None:
            continue  # removed between our insert and read: try once more
        stale = existing.created_at < now - ttl or (existing.status_code is None and existing.created_at < now - lock)
        if stale:
            IdempotencyRecord.objects.filter(pk=existing.pk, created_at=existing.created_at).delete()
            continue
        if existing.fingerprint != fingerprint:
            raise IdempotencyKeyReused()
        if existing.status_code is None:
            raise IdempotencyKeyInProgress(headers={"Retry-After": "1"})
        return existing
    raise IdempotencyKeyInProgress(headers={"Retry-After": "1"})


def idempotency_complete(*, principal: str, key: str, response: Response) -> None:
    body = json.loads(json.dumps(response.data, cls=JSONEncoder)) if response.data is not None else None
    headers = {name: response[name] for name in _STORED_HEADERS if name in response}
    IdempotencyRecord.objects.filter(principal=principal, key=key, status_code__isnull=True).update(
        status_code=response.status_code, response_body=body, response_headers=headers, completed_at=timezone.now()
    )


def idempotency_release(*, principal: str, key: str) -> None:
    IdempotencyRecord.objects.filter(principal=principal, key=key, status_code__isnull=True).delete()


def idempotency_purge_expired() -> int:
    """Delete records past the TTL; run daily by Celery beat."""
    cutoff = timezone.now() - timedelta(seconds=settings.IDEMPOTENCY_TTL_SECONDS)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def replay_response(record: IdempotencyRecord) -> Response:
    response = Response(record.response_body, status=record.status_code)
    for name, value in record.response_headers.items():
        response[name] = value
    response[REPLAY_HEADER] = "true"
    return response


def idempotent(handler: Callable[..., Response]) -> Callable[..., Response]:
    """Decorate a view's creating handler (``post`` or ``create``) to honour ``Idempotency-Key``."""

    @functools.wraps(handler)
    def wrapper(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(HEADER)
        if key is None:
            return handler(view, request, *args, **kwargs)
        if not _VALID_KEY.match(key):
            raise IdempotencyKeyInvalid(errors={HEADER: [IdempotencyKeyInvalid.default_detail]})
        principal = principal_key(request)
        record = idempotency_begin(
            principal=principal,
            key=key,
            method=request.method,
            path=request.get_full_path(),
            fingerprint=request_fingerprint(request),
        )
        if record is not None:
            return replay_response(record)
        stored = False
        try:
            response = handler(view, request, *args, **kwargs)
            if 200 <= response.status_code < 300:
                idempotency_complete(principal=principal, key=key, response=response)
                stored = True
        finally:
            if not stored:
                idempotency_release(principal=principal, key=key)
        return response

    return wrapper
