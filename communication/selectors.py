"""Reads of communication: protocols (cached a day) and meetings."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet

from communication.cache import PROTOCOLS_KEY, PROTOCOLS_TTL
from communication.models import Meeting, Protocol


def protocol_to_dict(protocol: Protocol) -> dict[str, Any]:
    return {
        "id": protocol.pk,
        "partnership": protocol.partnership_id,
        "name": protocol.name,
        "channel": protocol.channel,
        "cadence": protocol.cadence,
        "weekday": protocol.get_weekday_display() if protocol.weekday is not None else None,
        "week_of_month": protocol.week_of_month or None,
        "time_utc": protocol.time_utc.strftime("%H:%M"),
        "duration_minutes": protocol.duration_minutes,
        "participants": protocol.participants,
        "agenda": protocol.agenda,
        "expected_outputs": protocol.expected_outputs,
        "active": protocol.active,
    }


def protocols_all() -> list[dict[str, Any]]:
    body = cache.get(PROTOCOLS_KEY)
    if body is None:
        body = [protocol_to_dict(protocol) for protocol in Protocol.objects.all()]
        cache.set(PROTOCOLS_KEY, body, PROTOCOLS_TTL)
    return body


def meeting_list() -> QuerySet[Meeting]:
    return Meeting.objects.all()
