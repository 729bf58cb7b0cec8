"""Writes of communication: scheduling meetings from protocols, meetings, reminders, iCalendar."""

from __future__ import annotations

import smtplib
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from communication.cache import invalidate_protocols
from communication.cadence import occurrences
from communication.models import MAX_DURATION_MINUTES, Meeting, Protocol
from devsky import audit
from devsky.api.exceptions import ApplicationError, ConflictError, NotFoundError
from devsky.timeutil import day_bounds
from partnerships.models import Partnership

MAX_SCHEDULE_DAYS = 366


def schedule_meetings(*, protocol_id: str | None, partnership_id: str | None, start: date, end: date) -> dict[str, Any]:
    """Create the meetings the protocols' cadences imply in [start, end]; existing ones are kept (idempotent)."""
    if end < start:
        raise ApplicationError(
            "end_date is before start_date.", errors={"end_date": ["Must not be before start_date."]}
        )
    if (end - start).days >= MAX_SCHEDULE_DAYS:
        raise ApplicationError(
            "A schedule spans at most one year.", errors={"end_date": ["At most 366 days after start_date."]}
        )
    if start < timezone.now().astimezone(UTC).date():
        raise ApplicationError(
            "Meetings are scheduled from today on.", errors={"start_date": ["Must not be in the past."]}
        )
    if protocol_id:
        protocols = list(Protocol.objects.filter(pk=protocol_id, active=True))
        if not protocols:
            raise NotFoundError(f"No active protocol {protocol_id!r}.", errors={"protocol": ["Unknown protocol."]})
    else:
        if not Partnership.objects.filter(pk=partnership_id).exists():
            raise NotFoundError(f"No partnership {partnership_id!r}.", errors={"partnership": ["Unknown partnership."]})
        protocols = list(Protocol.objects.filter(partnership_id=partnership_id, active=True))
    rows = [
        Meeting(
            title=protocol.name,
            partnership_id=protocol.partnership_id,
            protocol=protocol,
            starts_at=datetime.combine(day, protocol.time_utc, tzinfo=UTC),
            duration_minutes=protocol.duration_minutes,
            attendees=protocol.participants,
            agenda=protocol.agenda,
        )
        for protocol in protocols
        for day in occurrences(
            cadence=protocol.cadence,
            weekday=protocol.weekday,
            week_of_month=protocol.week_of_month,
            start=start,
            end=end,
        )
    ]
    before = Meeting.objects.filter(protocol__in=protocols).count()
    low, high = day_bounds(start, end)
    in_range = Meeting.objects.filter(protocol__in=protocols, starts_at__gte=low, starts_at__lt=high)
    with transaction.atomic():
        Meeting.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
        # the rows this call inserted have no audit record yet (ignore_conflicts returns no ids)
        audit.record_created(Meeting, in_range.exclude(pk__in=Meeting.history.values("id")))
    created = Meeting.objects.filter(protocol__in=protocols).count() - before
    meetings = list(in_range)
    return {"created": created, "meetings": meetings}


def _overlaps(
    *, attendees: list[str], starts_at: datetime, minutes: int, exclude_id: int | None
) -> list[dict[str, Any]]:
    """Meetings that share an attendee and overlap in time (candidates by index, intersection in Python)."""
    ends_at = starts_at + timedelta(minutes=minutes)
    wanted = {address.lower() for address in attendees}
    candidates = Meeting.objects.filter(
        starts_at__lt=ends_at, starts_at__gt=starts_at - timedelta(minutes=MAX_DURATION_MINUTES)
    ).exclude(pk=exclude_id)
    clashes = []
    for meeting in candidates:
        if meeting.starts_at + timedelta(minutes=meeting.duration_minutes) <= starts_at:
            continue
        shared = wanted & {address.lower() for address in meeting.attendees}
        if shared:
            clashes.append({"meeting": meeting.pk, "title": meeting.title, "attendees": sorted(shared)})
    return clashes


@transaction.atomic
def meeting_save(
    *, data: dict[str, Any], meeting_id: int | None = None, allow_overlap: bool = False, user: Any = None
) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting_id) if meeting_id else Meeting(created_by=user)
    if "partnership" in data:
        partnership = data.pop("partnership")
        if not Partnership.objects.filter(pk=partnership).exists():
            raise ApplicationError(
                "Unknown partnership.", errors={"partnership": [f"Unknown partnership {partnership!r}."]}
            )
        meeting.partnership_id = partnership
    if "protocol" in data:
        protocol = data.pop("protocol")
        if protocol is not None and not Protocol.objects.filter(pk=protocol).exists():
            raise ApplicationError("Unknown protocol.", errors={"protocol": [f"Unknown protocol {protocol!r}."]})
        meeting.protocol_id = protocol
    for name, value in data.items():
        setattr(meeting, name, value)
    if meeting_id is None and meeting.starts_at <= timezone.now():
        raise ApplicationError("A new meeting starts in the future.", errors={"starts_at": ["Must be in the future."]})
    if not allow_overlap:
        clashes = _overlaps(
            attendees=meeting.attendees,
            starts_at=meeting.starts_at,
            minutes=meeting.duration_minutes,
            exclude_id=meeting.pk,
        )
        if clashes:
            raise ConflictError(
                "An attendee already has a meeting at that time; send ?allow_overlap=true to book anyway.",
                errors={
                    "attendees": [
                        f"{', '.join(c['attendees'])} in meeting {c['meeting']} ({c['title']})" for c in clashes
                    ]
                },
                extra={"overlaps": clashes},
            )
    meeting.full_clean(exclude=["partnership", "protocol", "created_by"])
    occupied = ConflictError(
        "This protocol already has a meeting at that time.",
        errors={"starts_at": [f"The protocol {meeting.protocol_id!r} already meets at this time."]},
    )
    if (
        meeting.protocol_id is not None
        and Meeting.objects.filter(protocol_id=meeting.protocol_id, starts_at=meeting.starts_at)
        .exclude(pk=meeting.pk)
        .exists()
    ):
        raise occupied
    try:
        with transaction.atomic():  # a concurrent booking of the same occurrence loses here
            meeting.save()
    except IntegrityError:
        raise occupied from None
    return meeting


def meeting_delete(*, meeting_id: int) -> None:
    Meeting.objects.filter(pk=meeting_id).delete()


def protocol_saved() -> None:
    transaction.on_commit(invalidate_protocols)


def meetings_ical(meetings: list[Meeting]) -> bytes:
    """An RFC 5545 calendar of the meetings (one VEVENT each, attendees as mailto: addresses)."""
    calendar = Calendar()
    calendar.add("prodid", "-//DevSky Orchestration//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    stamp = timezone.now()
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@devsky")
        event.add("dtstamp", stamp)
        event.add("summary", meeting.title)
        event.add("dtstart", meeting.starts_at)
        event.add("duration", timedelta(minutes=meeting.duration_minutes))
        if meeting.agenda:
            event.add("description", "\n".join(f"- {item}" for item in meeting.agenda))
        if meeting.link:
            event.add("url", meeting.link)
            event.add("location", meeting.link)
        for address in meeting.attendees:
            attendee = vCalAddress(f"mailto:{address}")
            attendee.params["ROLE"] = "REQ-PARTICIPANT"
            event.add("attendee", attendee, encode=0)
        calendar.add_component(event)
    return calendar.to_ical()


def meeting_reminders_send(*, now: datetime | None = None) -> int:
    """Mail each meeting starting within the reminder lead time, once: the row is claimed by a conditional
    UPDATE (reminder_sent_at IS NULL), so concurrent or repeated runs never send twice."""
    now = now or timezone.now()
    lead = timedelta(minutes=settings.DEVSKY_MEETING_REMINDER_MINUTES)
    sent = 0
    due = Meeting.objects.filter(reminder_sent_at__isnull=True, starts_at__gt=now, starts_at__lte=now + lead)
    for meeting in due:
        claimed = Meeting.objects.filter(pk=meeting.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now)
        if not claimed or not meeting.attendees:
            continue
        agenda = "\n".join(f"- {item}" for item in meeting.agenda) or "- (no agenda)"
        try:
            _send_reminder(meeting, agenda)
        except (OSError, smtplib.SMTPException):
            Meeting.objects.filter(pk=meeting.pk).update(reminder_sent_at=None)  # the retry sends it
            raise
        sent += 1
    return sent


def _send_reminder(meeting: Meeting, agenda: str) -> None:
    send_mail(
        subject=f"Reminder: {meeting.title} at {meeting.starts_at:%H:%M} UTC",
        message=f"{meeting.title} starts at {meeting.starts_at:%Y-%m-%d %H:%M} UTC for "
        f"{meeting.duration_minutes} minutes.\n\nAgenda:\n{agenda}\n\n{meeting.link}",
        from_email=None,
        recipient_list=meeting.attendees,
    )
