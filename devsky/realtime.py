"""The real-time stream: ``/ws/v1/events/`` (DESIGN.md §12).

Connect with a JWT (``?token=<access>`` or the ``Sec-WebSocket-Protocol`` pair ``bearer, <access>``),
an API key (``?api_key=`` or ``api-key, <key>``), or an admin session. Failed authentication, and a
JWT that expires while connected, close the socket with code 4401. Then send
``{"action": "subscribe" | "unsubscribe", "topics": [...]}``; each event of a subscribed topic arrives
as ``{"type", "topic", "data", "at", "id"}``. Topics: ``metrics`` / ``metrics.<type>``, ``health``,
``partnerships`` / ``partnerships.<id>``, ``decisions``, ``reports``, ``content``, ``config``, ``alerts``,
``integrations``; a topic the principal's roles may not read (DESIGN.md §10) is refused, and a malformed message gets an
``error`` message, never a dropped connection.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from devsky.api.policy import permissions_of
from devsky.events import EVENTS_GROUP

CLOSE_UNAUTHENTICATED = 4401
TOPIC = re.compile(
    r"^(metrics|health|partnerships|decisions|reports|content|config|alerts|integrations)(?:\.([a-z0-9_-]{1,64}))?$"
)
NEEDS = {
    "metrics": "metrics:read",
    "health": "health:read",
    "partnerships": "partnerships:read",
    "decisions": "decisions:read",
    "reports": "reports:read",
    "content": "content:read",
    "config": "config:read",
    "alerts": "alerts:read",
    "integrations": "integrations:read",
}
MAX_TOPICS = 50


def topic_matches(subscription: str, event_topic: str, data: dict[str, Any]) -> bool:
    """``metrics`` takes every metrics event; ``metrics.brand`` those whose batch held brand samples;
    ``partnerships`` every partnership; ``partnerships.<id>`` that one."""
    family, _, member = subscription.partition(".")
    event_family, _, event_member = event_topic.partition(".")
    if family != event_family:
        return False
    if not member:
        return True
    if event_member:
        return member == event_member
    return member in data.get("partnership_types", [])


@database_sync_to_async
def authenticate(scope: dict[str, Any]) -> tuple[Any, float | None]:
    """The user and, for a JWT, when it expires; (None, None) when the credentials are missing or bad."""
    from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
    from rest_framework_simplejwt.tokens import AccessToken

    from devsky.api.auth_views import token_user
    from devsky.models import UserAPIKey

    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    protocols = scope.get("subprotocols") or []
    token = (query.get("token") or [None])[0]
    api_key = (query.get("api_key") or [None])[0]
    if len(protocols) >= 2 and protocols[0].lower() == "bearer":
        token = protocols[1]
    if len(protocols) >= 2 and protocols[0].lower() == "api-key":
        api_key = protocols[1]
    if token:
        try:
            access = AccessToken(token)
            return token_user(access), float(access["exp"])
        except (TokenError, InvalidToken, KeyError):
            return None, None
    if api_key:
        if not re.fullmatch(r"[A-Za-z0-9]{8}\.[A-Za-z0-9]{16,64}", api_key):
            return None, None
        try:
            key = UserAPIKey.objects.get_from_key(api_key)
        except UserAPIKey.DoesNotExist:
            return None, None
        if key.has_expired or not key.user.is_active:
            return None, None
        return key.user, None
    user = scope.get("user")
    if user is not None and user.is_authenticated and user.is_active and _same_origin(scope):
        return user, None  # a session cookie counts only from our own pages (no cross-site hijacking)
    return None, None


def _same_origin(scope: dict[str, Any]) -> bool:
    from urllib.parse import urlparse

    from django.conf import settings
    from django.http.request import validate_host

    headers = dict(scope.get("headers") or [])
    origin = headers.get(b"origin", b"").decode("latin-1")
    host = urlparse(origin).hostname if origin else None
    return bool(host) and validate_host(host, settings.ALLOWED_HOSTS)


@database_sync_to_async
def readable_permissions(user: Any) -> frozenset[str]:
    return permissions_of(user)


class EventsConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        self.user, self.expires = await authenticate(self.scope)
        protocols = self.scope.get("subprotocols") or []
        await self.accept(subprotocol=protocols[0] if protocols else None)
        if self.user is None:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.permissions = await readable_permissions(self.user)
        self.topics: set[str] = set()
        await self.channel_layer.group_add(EVENTS_GROUP, self.channel_name)
        await self.send_json({"type": "welcome", "user": self.user.get_username(), "topics": []})

    async def disconnect(self, code: int) -> None:
        if getattr(self, "user", None) is not None:
            await self.channel_layer.group_discard(EVENTS_GROUP, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any) -> None:
        if self._expired():
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        try:
            message = json.loads(text_data or "")
        except json.JSONDecodeError:
            await self.send_json({"type": "error", "error": "Messages are JSON objects."})
            return
        await self.receive_json(message)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict) or content.get("action") not in {"subscribe", "unsubscribe"}:
            await self.send_json(
                {"type": "error", "error": 'Send {"action": "subscribe" | "unsubscribe", "topics": [...]}.'}
            )
            return
        topics = content.get("topics")
        if not isinstance(topics, list) or not topics or not all(isinstance(t, str) for t in topics):
            await self.send_json({"type": "error", "error": "topics must be a non-empty list of strings."})
            return
        if content["action"] == "unsubscribe":
            self.topics -= set(topics)
            await self.send_json({"type": "unsubscribed", "topics": sorted(self.topics)})
            return
        refused: dict[str, str] = {}
        for topic in topics:
            match = TOPIC.match(topic)
            if match is None:
                refused[topic] = "unknown topic"
            elif NEEDS[match.group(1)] not in self.permissions:
                refused[topic] = "your role may not read this topic"
            elif len(self.topics) >= MAX_TOPICS:
                refused[topic] = f"at most {MAX_TOPICS} topics"
            else:
                self.topics.add(topic)
        await self.send_json({"type": "subscribed", "topics": sorted(self.topics), "refused": refused})

    async def event_message(self, message: dict[str, Any]) -> None:
        if self._expired():
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        if any(topic_matches(topic, message["topic"], message["data"]) for topic in self.topics):
            await self.send_json(
                {
                    "type": message["event"],
                    "topic": message["topic"],
                    "data": message["data"],
                    "at": message["at"],
                    "id": message["id"],
                }
            )

    def _expired(self) -> bool:
        return self.expires is not None and time.time() >= self.expires
