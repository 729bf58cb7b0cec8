"""Events for the real-time stream (DESIGN.md §12), published after the transaction commits.

Services call ``publish("decision.made", {...}, topic="decisions")``; the message goes to the
channel-layer group ``events`` (in memory on the embedded default, Redis in services mode), where each
WebSocket consumer forwards the events of the topics its client subscribed to and may read. A publish
that fails is logged, never raised: the write it reports has already been committed.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.utils import timezone
from redis.exceptions import RedisError

from devsky.log import current_request_id
from devsky.timeutil import iso_utc

logger = logging.getLogger("devsky.events")
EVENTS_GROUP = "events"
EVENT_TYPES = frozenset(
    {
        "metric.recorded",
        "health.changed",
        "deliverable.updated",
        "decision.made",
        "report.built",
        "config.updated",
        "content.created",
        "influencer.updated",
        "alert.opened",
        "alert.escalated",
        "alert.resolved",
        "alert.acknowledged",
        "collector.failed",
    }
)


def publish(event_type: str, data: dict[str, Any], *, topic: str) -> None:
    """Send the event once the current transaction commits (at once outside a transaction)."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {event_type!r}")
    message = {
        "type": "event.message",
        "event": event_type,
        "topic": topic,
        "id": uuid.uuid4().hex,
        "data": data,
        "at": iso_utc(timezone.now()),
        "request_id": current_request_id().lstrip("-"),
    }
    transaction.on_commit(lambda: send(message))


#: Callables that receive every event after the commit, next to the WebSocket group (outbound webhooks).
SINKS: list[Callable[[dict[str, Any]], None]] = []


def add_sink(sink: Callable[[dict[str, Any]], None]) -> None:
    if sink not in SINKS:
        SINKS.append(sink)


def send(message: dict[str, Any]) -> None:
    for sink in SINKS:
        try:
            sink(message)
        except Exception as error:
            logger.exception("event sink failed", extra={"event": message["event"], "error": repr(error)})
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(EVENTS_GROUP, message)
    except (RedisError, OSError) as error:
        logger.warning("event not published", extra={"event": message["event"], "error": repr(error)})
