"""Who sent a request: the unit that owns a rate-limit budget and an Idempotency-Key namespace."""

from __future__ import annotations

from rest_framework.request import Request


def principal_key(request: Request) -> str:
    """The API key itself, else the user, else the client address (as DRF resolves it behind proxies)."""
    from devsky.models import UserAPIKey

    if isinstance(request.auth, UserAPIKey):
        return f"api_key:{request.auth.pk}"
    if request.user and request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"
