"""Protocols, scheduling, meetings (validation, overlaps, iCalendar) and reminders."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from communication.models import Meeting
from communication.services import meeting_reminders_send

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]
MEETINGS = "/api/v1/communication/meetings"


@pytest.fixture
def admin(role_client, settings):
    settings.DEVSKY_RATE_LIMITS_ENABLED = False
    return role_client("orchestration_admin")


def next_month() -> tuple[date, date]:
    today = timezone.now().date()
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last


def test_protocols_are_the_six_of_the_design(admin):
    protocols = admin.get("/api/v1/communication/protocols").json()["protocols"]
    assert {p["id"] for p in protocols} == {
        "daily_standup",
        "weekly_architecture_review",
        "monthly_strategic_alignment",
        "daily_trend_analysis",
        "weekly_campaign_review",
        "monthly_brand_strategy",
    }
    review = next(p for p in protocols if p["id"] == "weekly_architecture_review")
    assert (review["weekday"], review["time_utc"], review["duration_minutes"]) == ("Friday", "14:00", 60)
    alignment = next(p for p in protocols if p["id"] == "monthly_strategic_alignment")
    assert (alignment["week_of_month"], alignment["weekday"], alignment["time_utc"]) == ("last", "Friday", "16:00")


def test_scheduling_a_month_of_technical_meetings_is_right_and_idempotent(admin):
    first, last = next_month()
    body = {"partnership": "technical_excellence", "start_date": first.isoformat(), "end_date": last.isoformat()}
    response = admin.post("/api/v1/communication/schedule", body, format="json")
    assert response.status_code == 201
    created = Meeting.objects.filter(partnership_id="technical_excellence")
    days = (last - first).days + 1
    standups = created.filter(protocol_id="daily_standup")
    assert standups.count() == days
    assert all(m.starts_at.hour == 9 and m.duration_minutes == 15 for m in standups)
    reviews = created.filter(protocol_id="weekly_architecture_review")
    fridays = [first + timedelta(days=i) for i in range(days) if (first + timedelta(days=i)).weekday() == 4]
    assert sorted(m.starts_at.date() for m in reviews) == fridays
    alignment = created.get(protocol_id="monthly_strategic_alignment")
    assert alignment.starts_at.date() == fridays[-1] and alignment.starts_at.hour == 16
    assert response.json()["created"] == days + len(fridays) + 1
    again = admin.post("/api/v1/communication/schedule", body, format="json")
    assert again.status_code == 200 and again.json()["created"] == 0
    assert len(again.json()["meetings"]) == days + len(fridays) + 1


def test_monthly_first_monday(admin):
    first, last = next_month()
    admin.post(
        "/api/v1/communication/schedule",
        {"protocol": "monthly_brand_strategy", "start_date": first.isoformat(), "end_date": last.isoformat()},
        format="json",
    )
    meeting = Meeting.objects.get(protocol_id="monthly_brand_strategy")
    assert meeting.starts_at.weekday() == 0 and meeting.starts_at.day <= 7


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"protocol": "daily_standup", "start_date": "2031-02-01", "end_date": "2031-01-01"}, "end_date"),
        ({"protocol": "daily_standup", "start_date": "2031-01-01", "end_date": "2032-06-01"}, "end_date"),
        ({"protocol": "daily_standup", "start_date": "2001-01-01", "end_date": "2001-01-02"}, "start_date"),
        ({"start_date": "2031-01-01", "end_date": "2031-01-02"}, "protocol"),
        ({"protocol": "nope", "start_date": "2031-01-01", "end_date": "2031-01-02"}, "protocol"),
    ],
)
def test_schedule_validation(admin, body, field):
    response = admin.post("/api/v1/communication/schedule", body, format="json")
    assert response.status_code in (400, 404) and field in response.json()["errors"]


def meeting(**extra):
    starts = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    return {
        "title": "Runway sync",
        "partnership": "brand_amplification",
        "starts_at": starts.isoformat(),
        "duration_minutes": 30,
        "attendees": ["anna@example.com", "mike@example.com"],
        "agenda": ["Looks", "Timing"],
        "link": "https://meet.example.com/runway",
        **extra,
    }


def test_meeting_crud_with_exactly_the_design_fields(admin):
    created = admin.post(MEETINGS, meeting(), format="json")
    assert created.status_code == 201
    body = created.json()
    assert set(body) == {
        "id",
        "title",
        "partnership",
        "protocol",
        "starts_at",
        "duration_minutes",
        "attendees",
        "agenda",
        "link",
    }
    url = f"{MEETINGS}/{body['id']}"
    assert admin.patch(url, {"duration_minutes": 45}, format="json").json()["duration_minutes"] == 45
    assert admin.get(url).json()["title"] == "Runway sync"
    assert admin.delete(url).status_code == 204
    assert admin.get(url).status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"attendees": ["not-an-email"]}, "attendees"),
        ({"partnership": "nobody"}, "partnership"),
        ({"starts_at": "2001-01-01T10:00:00Z"}, "starts_at"),
        ({"protocol": "nope"}, "protocol"),
        ({"colour": "red"}, "colour"),
        ({"link": "nope"}, "link"),
    ],
)
def test_meeting_validation_names_the_field(admin, change, field):
    response = admin.post(MEETINGS, meeting(**change), format="json")
    assert response.status_code == 400
    assert any(key.startswith(field) for key in response.json()["errors"]), response.json()


def test_overlapping_attendee_is_409_unless_allowed(admin):
    admin.post(MEETINGS, meeting(), format="json")
    start = datetime.fromisoformat(meeting()["starts_at"]) + timedelta(minutes=15)
    clash = meeting(title="Clash", starts_at=start.isoformat(), attendees=["MIKE@example.com"])
    response = admin.post(MEETINGS, clash, format="json")
    assert response.status_code == 409 and response.json()["overlaps"][0]["attendees"] == ["mike@example.com"]
    assert admin.post(f"{MEETINGS}?allow_overlap=true", clash, format="json").status_code == 201
    later = meeting(title="After", starts_at=(start + timedelta(minutes=15)).isoformat())
    assert admin.post(MEETINGS, later, format="json").status_code == 409  # still overlaps the clash
    free = meeting(title="Free", starts_at=(start + timedelta(hours=2)).isoformat())
    assert admin.post(MEETINGS, free, format="json").status_code == 201


def test_ical_round_trips_title_start_duration_attendees(admin):
    body = admin.post(MEETINGS, meeting(), format="json").json()
    response = admin.get(f"{MEETINGS}/{body['id']}/ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    event = next(iter(calendar.walk("VEVENT")))
    assert str(event["SUMMARY"]) == "Runway sync"
    assert event.decoded("DTSTART") == datetime.fromisoformat(body["starts_at"].replace("Z", "+00:00"))
    assert event.decoded("DURATION") == timedelta(minutes=30)
    assert sorted(str(a) for a in event["ATTENDEE"]) == ["mailto:anna@example.com", "mailto:mike@example.com"]
    listed = admin.get(MEETINGS, {"format": "ics", "partnership": "brand_amplification"})
    assert len(Calendar.from_ical(listed.content).walk("VEVENT")) == 1
    by_accept = admin.get(f"{MEETINGS}/{body['id']}", HTTP_ACCEPT="text/calendar")
    assert by_accept["Content-Type"].startswith("text/calendar")


def test_filters_by_partnership_and_dates(admin):
    first, last = next_month()
    admin.post(
        "/api/v1/communication/schedule",
        {"partnership": "brand_amplification", "start_date": first.isoformat(), "end_date": last.isoformat()},
        format="json",
    )
    window = {
        "partnership": "brand_amplification",
        "starts_after": datetime.combine(first, datetime.min.time(), UTC).isoformat(),
        "starts_before": datetime.combine(first + timedelta(days=7), datetime.min.time(), UTC).isoformat(),
        "page_size": 100,
    }
    rows = admin.get(MEETINGS, window).json()["results"]
    assert rows and all(row["partnership"] == "brand_amplification" for row in rows)
    assert len([row for row in rows if row["protocol"] == "daily_trend_analysis"]) == 7


def test_reminders_are_sent_once(admin):
    soon = (timezone.now() + timedelta(minutes=10)).isoformat()
    admin.post(MEETINGS, meeting(starts_at=soon, title="Soon"), format="json")
    admin.post(MEETINGS, meeting(title="Later", attendees=["x@example.com"]), format="json")
    mail.outbox.clear()
    assert meeting_reminders_send() == 1
    assert meeting_reminders_send() == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].subject.startswith("Reminder: Soon")
    assert sorted(mail.outbox[0].to) == ["anna@example.com", "mike@example.com"]


def test_communication_is_admin_only(role_client):
    for role in ("partnership_manager", "content_manager", "metrics_viewer"):
        assert role_client(role).get("/api/v1/communication/protocols").status_code == 403


def test_protocol_list_cache_is_refreshed_by_the_admin(admin, django_capture_on_commit_callbacks):
    from devsky.testing.admin import form_data
    from devsky.testing.clients import browser_for
    from tests.devsky.factories import UserFactory

    names = lambda: {p["id"]: p["name"] for p in admin.get("/api/v1/communication/protocols").json()["protocols"]}  # noqa: E731
    assert names()["daily_standup"] == "Daily standup"  # now cached
    staff = browser_for(UserFactory(roles=["orchestration_admin"], is_staff=True))
    url = "/admin/communication/protocol/daily_standup/change/"
    data = form_data(staff.get(url))
    data["name"] = "Morning standup"
    with django_capture_on_commit_callbacks(execute=True):
        assert staff.post(url, data).status_code == 302
    assert names()["daily_standup"] == "Morning standup"


@pytest.mark.parametrize(
    "value",
    ["0415-07-21T21:40:17.774227+19:25", "0001-01-01T00:00:00+08:00", "not a time"],
)
def test_impossible_date_time_filters_are_400_naming_the_parameter(admin, value):
    response = admin.get(MEETINGS, {"starts_before": value})
    assert response.status_code == 400
    assert "starts_before" in response.json()["errors"]


def test_date_time_filters_with_other_offsets_mean_the_same_instant(admin):
    body = admin.post(MEETINGS, meeting(), format="json").json()
    starts = datetime.fromisoformat(body["starts_at"].replace("Z", "+00:00"))
    in_tokyo = (starts - timedelta(minutes=1)).astimezone(timezone.get_fixed_timezone(9 * 60)).isoformat()
    ids = [row["id"] for row in admin.get(MEETINGS, {"starts_after": in_tokyo, "page_size": 100}).json()["results"]]
    assert body["id"] in ids


def test_moving_a_protocol_meeting_onto_another_occurrence_is_a_409(admin):
    first, _last = next_month()
    admin.post(
        "/api/v1/communication/schedule",
        {
            "protocol": "daily_standup",
            "start_date": first.isoformat(),
            "end_date": (first + timedelta(days=1)).isoformat(),
        },
        format="json",
    )
    one, two = Meeting.objects.filter(protocol_id="daily_standup").order_by("starts_at")[:2]
    response = admin.patch(
        f"{MEETINGS}/{two.pk}?allow_overlap=true", {"starts_at": one.starts_at.isoformat()}, format="json"
    )
    assert response.status_code == 409
    assert "starts_at" in response.json()["errors"]
    two.refresh_from_db()
    assert two.starts_at != one.starts_at
