"""Writes of the access layer: API keys."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from devsky.api.exceptions import ApplicationError, NotFoundError
from devsky.models import UserAPIKey


def api_key_create(*, username: str, name: str, expires_days: int | None = None) -> tuple[UserAPIKey, str]:
    """Create a key for ``username``; returns the stored key and the secret, which is never stored or shown again."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise NotFoundError(f"No user named {username!r}.")
    if not name.strip():
        raise ApplicationError("An API key needs a name.", errors={"name": ["This field may not be blank."]})
    max_length = UserAPIKey._meta.get_field("name").max_length
    if len(name.strip()) > max_length:
        raise ApplicationError(
            f"An API key's name has at most {max_length} characters.", errors={"name": ["Too long."]}
        )
    if expires_days is not None and expires_days < 1:
        raise ApplicationError("Expiry must be at least one day.", errors={"expires_days": ["Must be ≥ 1."]})
    expiry = timezone.now() + timedelta(days=expires_days) if expires_days else None
    return UserAPIKey.objects.create_key(user=user, name=name.strip(), expiry_date=expiry)


def api_key_revoke(*, api_key: UserAPIKey) -> None:
    UserAPIKey.objects.filter(pk=api_key.pk).update(revoked=True)
