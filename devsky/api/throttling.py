"""Rate limits per principal and endpoint group, exact across processes (DESIGN.md §10, PITFALLS.md).

Fixed one-minute windows. With Redis the counter is one INCR (+ EXPIRE) in a pipeline: atomic, so N
web processes share one budget exactly. On the embedded default the local-memory cache's ``incr``
(atomic within the process) does the same job. If Redis is unreachable the limit fails open and
logs, so an outage of the cache never takes the API down with it.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from redis.exceptions import RedisError
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from devsky.api.policy import PUBLIC_GROUPS
from devsky.api.principal import principal_key

logger = logging.getLogger("devsky.throttling")
WINDOW_SECONDS = 60


@dataclass(frozen=True)
class RateLimitState:
    limit: int
    remaining: int
    reset: int  # epoch seconds when the window ends

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset),
        }


def clock() -> float:
    """Seconds since the epoch; the one place the throttles read the time (tests pin it mid-window)."""
    return time.time()


def _uses_redis() -> bool:
    return settings.CACHES["default"]["BACKEND"].startswith("django_redis")


def rate_limit_hit(key: str, *, window: int = WINDOW_SECONDS, now: float | None = None) -> tuple[int, int]:
    """Count one request against ``key`` in the current window; returns (count, window end).

    Returns count 0 when the counter store is unreachable (fail open).
    """
    now = clock() if now is None else now
    window_start = int(now // window) * window
    window_end = window_start + window
    full_key = f"rl:{key}:{window_start}"
    if _uses_redis():
        from django_redis import get_redis_connection

        try:
            client = get_redis_connection("default")
            pipe = client.pipeline()
            pipe.incr(cache.make_key(full_key))
            pipe.expire(cache.make_key(full_key), window + 1)
            count, _ = pipe.execute()
            return int(count), window_end
        except (RedisError, OSError) as error:
            logger.warning("rate limit store unavailable, failing open", extra={"error": repr(error)})
            return 0, window_end
    cache.add(full_key, 0, timeout=window + 1)
    try:
        return cache.incr(full_key), window_end
    except ValueError:  # expired between add and incr: start the window again
        cache.set(full_key, 1, timeout=window + 1)
        return 1, window_end


def group_rate(group: str) -> int:
    return settings.DEVSKY_RATE_LIMITS.get(group, settings.DEVSKY_RATE_DEFAULT)


def _attach(request: Request, state: RateLimitState) -> None:
    # Read by RateLimitHeadersMiddleware to put the X-RateLimit-* headers on the response.
    request._request.rate_limit = state


class _CountingThrottle(BaseThrottle):
    def _check(self, request: Request, key: str, limit: int) -> bool:
        if not settings.DEVSKY_RATE_LIMITS_ENABLED:
            return True
        now = clock()
        count, reset = rate_limit_hit(key, now=now)
        self._wait = max(1, math.ceil(reset - now))
        _attach(request, RateLimitState(limit=limit, remaining=max(0, limit - count), reset=reset))
        return count <= limit

    def wait(self) -> float | None:
        return getattr(self, "_wait", None)


class PolicyRateThrottle(_CountingThrottle):
    """The default throttle: the view's endpoint group sets the rate, the principal owns the budget."""

    def allow_request(self, request: Request, view: Any) -> bool:
        group = getattr(view, "policy_group", "")
        if group in PUBLIC_GROUPS:
            return True
        limit = group_rate(group)
        return self._check(request, f"{group}:{principal_key(request)}", limit)


def login_key(ident: str, username: str) -> str:
    """One budget per client address + username, shared by the token endpoint and the login forms."""
    return f"login:{ident}:{username[:150].lower()}"


class LoginRateThrottle(_CountingThrottle):
    """Token endpoint: attempts per client IP + username, so one guesser cannot lock out everyone."""

    def allow_request(self, request: Request, view: Any) -> bool:
        username = ""
        if isinstance(request.data, dict):
            username = str(request.data.get("username", ""))
        return self._check(request, login_key(self.get_ident(request), username), settings.DEVSKY_RATE_LOGIN)


def login_rate_limited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The admin's and the OAuth flow's login forms share the token endpoint's budget against password guessing.

    Each POST counts; past the budget the form answers 429 with Retry-After until the minute is over.
    """

    @wraps(view)
    def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST" and settings.DEVSKY_RATE_LIMITS_ENABLED:
            now = clock()
            # DRF's address logic (NUM_PROXIES-aware) works on the plain request's META.
            ident = BaseThrottle().get_ident(request)
            count, reset = rate_limit_hit(login_key(ident, str(request.POST.get("username", ""))), now=now)
            if count > settings.DEVSKY_RATE_LOGIN:
                logger.warning("login form throttled", extra={"path": request.path, "client": ident})
                response = HttpResponse(
                    "Too many login attempts for this account from your address; try again in a minute.\n",
                    status=429,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = str(max(1, math.ceil(reset - now)))
                return response
        return view(request, *args, **kwargs)

    return limited


class RateLimitHeadersMiddleware:
    """Puts X-RateLimit-Limit / -Remaining / -Reset on every response a throttle counted."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        state: RateLimitState | None = getattr(request, "rate_limit", None)
        if state is not None:
            for name, value in state.headers().items():
                response[name] = value
        return response
