"""Unauthenticated probes: /healthz (the process answers) and /readyz (its dependencies answer)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu import Connection
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

logger = logging.getLogger("devsky.health")

# What a dependency that is down or unreachable raises; anything else is a bug and should surface.
READINESS_ERRORS = (DatabaseError, OSError, RuntimeError, KombuError, RedisError)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("unexpected answer to SELECT 1")


def check_cache() -> None:
    # IGNORE_EXCEPTIONS turns Redis errors into misses, so prove a real round trip.
    key, value = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise RuntimeError("cache round trip failed")
    cache.delete(key)


def check_broker() -> None:
    timeout = settings.READINESS_TIMEOUT_SECONDS
    with Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=timeout,
        transport_options={"socket_connect_timeout": timeout, "socket_timeout": timeout},
    ) as broker:
        broker.ensure_connection(max_retries=1, timeout=timeout)


# Without the database nothing can be served: the process is not ready. Without the cache (or the broker)
# the API still answers from the database (DESIGN.md §11), so it stays in the load balancer, degraded:
# taking every web process out because a shared Redis is down would turn a slower API into no API.
REQUIRED_CHECKS = frozenset({"database"})
OK = "ok"


def readiness_checks() -> dict[str, Callable[[], None]]:
    """The checks that apply to this deployment: the broker only when one is configured."""
    checks: dict[str, Callable[[], None]] = {"database": check_database, "cache": check_cache}
    if not settings.CELERY_TASK_ALWAYS_EAGER and settings.CELERY_BROKER_URL != "memory://":
        checks["broker"] = check_broker
    return checks


def run_readiness_checks() -> dict[str, str]:
    """``{"database": "ok", "cache": "degraded: ConnectionError", ...}``: ``error`` for a required check."""
    results: dict[str, str] = {}
    for name, check in readiness_checks().items():
        try:
            check()
        except READINESS_ERRORS as error:
            logger.warning("readiness check failed", extra={"check": name, "error": repr(error)})
            results[name] = f"{'error' if name in REQUIRED_CHECKS else 'degraded'}: {type(error).__name__}"
        else:
            results[name] = OK
    return results


def readiness_summary(checks: dict[str, str]) -> dict[str, object]:
    """Status and the names of the failed (required) and degraded (optional) dependencies."""
    failed = sorted(name for name, result in checks.items() if result != OK and name in REQUIRED_CHECKS)
    degraded = sorted(name for name, result in checks.items() if result != OK and name not in REQUIRED_CHECKS)
    status = "unavailable" if failed else "degraded" if degraded else OK
    return {"status": status, "checks": checks, "failed": failed, "degraded": degraded}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    body = readiness_summary(run_readiness_checks())
    return JsonResponse(body, status=503 if body["failed"] else 200)
