"""Authentication: JWT bearer tokens, API keys for services, OAuth 2.0 bearer tokens, admin sessions."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from oauth2_provider.contrib.rest_framework import OAuth2Authentication as _OAuth2Authentication
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication as _JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import Token

from devsky.api.principal import user_cached
from devsky.models import UserAPIKey

API_KEY_KEYWORD = "Api-Key"
# <prefix>.<secret> as djangorestframework-api-key makes them; anything else never reaches the database.
_KEY_SHAPE = re.compile(r"^[A-Za-z0-9]{8}\.[A-Za-z0-9]{16,64}$")
LAST_USED_RESOLUTION = timedelta(minutes=1)


class JWTAuthentication(_JWTAuthentication):
    """``Authorization: Bearer <jwt>``. A bearer value that is not a JWT is left to OAuth 2.0."""

    www_authenticate_realm = "api"

    def get_raw_token(self, header: bytes) -> bytes | None:
        raw = super().get_raw_token(header)
        if raw is not None and raw.count(b".") != 2:
            return None
        return raw

    def get_user(self, validated_token: Token) -> Any:
        """simplejwt's checks (user exists, is active, password unchanged) on the cached user snapshot."""
        try:
            user_id = validated_token[jwt_settings.USER_ID_CLAIM]
        except KeyError:
            raise InvalidToken("Token contained no recognizable user identification") from None
        user = user_cached(user_id)
        if user is None:
            raise exceptions.AuthenticationFailed("User not found", code="user_not_found")
        if jwt_settings.CHECK_USER_IS_ACTIVE and not user.is_active:
            raise exceptions.AuthenticationFailed("User is inactive", code="user_inactive")
        if jwt_settings.CHECK_REVOKE_TOKEN and (
            validated_token.get(jwt_settings.REVOKE_TOKEN_CLAIM) != user._devsky_password_digest
        ):
            raise exceptions.AuthenticationFailed("The user's password has been changed.", code="password_changed")
        return user


class ApiKeyAuthentication(BaseAuthentication):
    """``Authorization: Api-Key <prefix>.<secret>``: a service acting with its owner's roles."""

    def authenticate(self, request: Request) -> tuple[Any, UserAPIKey] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != API_KEY_KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Malformed Api-Key header: expected 'Api-Key <key>'.")
        key = parts[1].decode("latin-1")
        if not _KEY_SHAPE.match(key):
            raise exceptions.AuthenticationFailed("Invalid API key.")
        try:
            api_key = UserAPIKey.objects.get_from_key(key)
        except UserAPIKey.DoesNotExist:
            raise exceptions.AuthenticationFailed("Invalid or revoked API key.") from None
        if api_key.has_expired:
            raise exceptions.AuthenticationFailed("This API key has expired.")
        user = user_cached(api_key.user_id)  # the owner with its roles, without a query for the groups
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed("The owner of this API key is inactive.")
        api_key_touch(api_key)
        return user, api_key

    def authenticate_header(self, request: Request) -> str:
        return API_KEY_KEYWORD


def api_key_touch(api_key: UserAPIKey) -> None:
    """Record the key's use, writing at most once a minute per key."""
    now = timezone.now()
    if api_key.last_used_at and now - api_key.last_used_at < LAST_USED_RESOLUTION:
        return
    UserAPIKey.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION), pk=api_key.pk
    ).update(last_used_at=now)


class OAuth2Authentication(_OAuth2Authentication):
    """``Authorization: Bearer <token>`` from /o/token/. Client-credentials tokens act as the app's owner."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        # Tokens are accepted only in the Authorization header (RFC 9700 §4.3.2); without one, stop
        # here rather than let oauthlib read (and parse) the request body.
        parts = get_authorization_header(request).split()
        if len(parts) != 2 or parts[0].lower() != b"bearer":
            return None
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        if user is None:
            user = token.application.user if token.application_id else None
        if user is None:
            raise exceptions.AuthenticationFailed("This OAuth application has no owner to act as.")
        if not user.is_active:
            raise exceptions.AuthenticationFailed("User is inactive.")
        return user, token
