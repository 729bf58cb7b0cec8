"""Outbound webhooks: which subscriptions an event goes to, the payload, and its signature.

Every request carries::

    X-DevSky-Event: alert.opened
    X-DevSky-Delivery: 42
    X-DevSky-Timestamp: 1764115200
    X-DevSky-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the subscription's secret>

A receiver recomputes the HMAC over the timestamp, a dot and the raw body, compares it in constant
time (``verify_signature``) and refuses timestamps older than a few minutes (replays).
"""

from __future__ import annotations

import fnmatch
import hashlib
import hmac
import json
import time
from typing import Any

from django.core.cache import cache

from devsky import events

SIGNATURE_HEADER = "X-DevSky-Signature"
TIMESTAMP_HEADER = "X-DevSky-Timestamp"
EVENT_HEADER = "X-DevSky-Event"
DELIVERY_HEADER = "X-DevSky-Delivery"
USER_AGENT = "DevSky-Orchestration-Webhooks/1.0"
SUBSCRIPTIONS_KEY = "integrations:webhook-subscriptions:v1"
SUBSCRIPTIONS_TTL = 300


def pattern_is_known(pattern: str) -> bool:
    return any(fnmatch.fnmatchcase(event_type, pattern) for event_type in events.EVENT_TYPES)


def matches(patterns: list[str], event_type: str) -> bool:
    return any(fnmatch.fnmatchcase(event_type, pattern) for pattern in patterns)


def active_subscriptions() -> list[tuple[int, list[str]]]:
    """(id, event patterns) of the active subscriptions; cached, so events without subscribers cost no query."""
    found = cache.get(SUBSCRIPTIONS_KEY)
    if found is None:
        from integrations.models import WebhookSubscription

        found = [
            (pk, patterns)
            for pk, patterns in WebhookSubscription.objects.filter(active=True).values_list("pk", "events")
        ]
        cache.set(SUBSCRIPTIONS_KEY, found, SUBSCRIPTIONS_TTL)
    return found


def invalidate_subscriptions() -> None:
    cache.delete(SUBSCRIPTIONS_KEY)


def payload_of(message: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": message["id"],
        "type": message["event"],
        "topic": message["topic"],
        "at": message["at"],
        "request_id": message.get("request_id", ""),
        "data": message["data"],
    }


def encode(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


def sign(*, secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify_signature(*, secret: str, timestamp: str, body: bytes, signature: str, tolerance: int = 300) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent."""
    try:
        stamp = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs(time.time() - stamp) > tolerance:
        return False
    expected = sign(secret=secret, timestamp=stamp, body=body).encode()
    return hmac.compare_digest(expected, (signature or "").encode("utf-8", "replace"))


def headers_for(*, secret: str, body: bytes, event_type: str, delivery_id: int, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        EVENT_HEADER: event_type,
        DELIVERY_HEADER: str(delivery_id),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret=secret, timestamp=timestamp, body=body),
    }


def on_event(message: dict[str, Any]) -> None:
    """The event sink (after the commit): queue a delivery per matching subscription."""
    if not active_subscriptions():
        return
    from integrations.services import webhook_deliveries_create

    webhook_deliveries_create(message=message)
