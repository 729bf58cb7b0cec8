"""JWT endpoints: obtain, refresh (rotating, blacklist-first), verify and logout."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework_simplejwt import views as jwt_views
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken, Token, UntypedToken
from rest_framework_simplejwt.utils import datetime_from_epoch, get_md5_hash_password

from devsky.api.throttling import LoginRateThrottle
from devsky.api.views import BaseAPIView


def token_user(token: Token) -> Any:
    """The active user a token belongs to, if it was issued since their last password change."""
    user_model = get_user_model()
    user = user_model.objects.filter(**{api_settings.USER_ID_FIELD: token.get(api_settings.USER_ID_CLAIM)}).first()
    if user is None or not api_settings.USER_AUTHENTICATION_RULE(user):
        raise InvalidToken("No active account found for this token.")
    if token.get(api_settings.REVOKE_TOKEN_CLAIM) != get_md5_hash_password(user.password):
        raise InvalidToken("The password has changed since this token was issued.")
    return user


def refresh_token_consume(raw: str) -> tuple[RefreshToken, Any]:
    """Validate a refresh token and blacklist it in the same transaction, exactly once.

    The blacklist row is inserted first, under its unique constraint: of two concurrent refreshes
    (or a refresh racing a logout) with one token, exactly one succeeds and the other gets 401.
    """
    try:
        token = RefreshToken(raw)
    except TokenError as error:
        raise InvalidToken(str(error)) from None
    user = token_user(token)
    try:
        with transaction.atomic():
            outstanding, _ = OutstandingToken.objects.get_or_create(
                jti=token[api_settings.JTI_CLAIM],
                defaults={
                    "user": user,
                    "token": raw,
                    "created_at": token.current_time,
                    "expires_at": datetime_from_epoch(token["exp"]),
                },
            )
            BlacklistedToken.objects.create(token=outstanding)
    except IntegrityError:
        raise InvalidToken("Token is blacklisted.") from None
    return token, user


class TokenObtainInput(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})


class TokenPairOutput(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class TokenRefreshInput(serializers.Serializer):
    refresh = serializers.CharField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        _old, user = refresh_token_consume(attrs["refresh"])
        fresh = RefreshToken.for_user(user)
        return {"access": str(fresh.access_token), "refresh": str(fresh)}


class TokenVerifyInput(serializers.Serializer):
    token = serializers.CharField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Valid means usable: signed, unexpired, not blacklisted, and its user active and not since re-passworded."""
        try:
            token = UntypedToken(attrs["token"])
        except TokenError as error:
            raise InvalidToken(str(error)) from None
        if BlacklistedToken.objects.filter(token__jti=token.get(api_settings.JTI_CLAIM)).exists():
            raise InvalidToken("Token is blacklisted.")
        token_user(token)
        return {}


class LogoutInput(serializers.Serializer):
    refresh = serializers.CharField()


class _JWTView(BaseAPIView):
    policy_group = "auth"
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get_authenticate_header(self, request: Request) -> str:
        # A rejected token is a 401 with a challenge, though these views take no credential header.
        return 'Bearer realm="api"'


class TokenObtainView(_JWTView, jwt_views.TokenObtainPairView):
    """Exchange a username and password for an access token (15 min) and a refresh token (7 days)."""

    throttle_classes = [LoginRateThrottle]

    @extend_schema(request=TokenObtainInput, responses={200: TokenPairOutput}, summary="Obtain a JWT pair")
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().post(request, *args, **kwargs)


class TokenRefreshView(_JWTView, jwt_views.TokenRefreshView):
    """Exchange a refresh token for a new pair; the old refresh token stops working."""

    serializer_class = TokenRefreshInput

    @extend_schema(request=TokenRefreshInput, responses={200: TokenPairOutput}, summary="Refresh a JWT pair")
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().post(request, *args, **kwargs)


class TokenVerifyView(_JWTView, jwt_views.TokenVerifyView):
    """200 when the token is usable (signature, expiry, not blacklisted, not revoked), 401 otherwise."""

    serializer_class = TokenVerifyInput

    @extend_schema(request=TokenVerifyInput, responses={200: None}, summary="Verify a JWT")
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().post(request, *args, **kwargs)


class LogoutView(_JWTView):
    """Blacklist a refresh token, ending the session it belongs to."""

    @extend_schema(request=LogoutInput, responses={204: None}, summary="Log out (blacklist the refresh token)")
    def post(self, request: Request) -> Response:
        data = LogoutInput(data=request.data)
        data.is_valid(raise_exception=True)
        refresh_token_consume(data.validated_data["refresh"])
        return Response(status=status.HTTP_204_NO_CONTENT)
