"""Communication protocols (recurring meetings of a partnership) and meetings (DESIGN.md §8)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from devsky.audit import audit_history


class Cadence(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly on a weekday"
    MONTHLY = "monthly", "Monthly on the first or last given weekday"


class WeekOfMonth(models.TextChoices):
    FIRST = "first", "First"
    LAST = "last", "Last"


WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]
MAX_DURATION_MINUTES = 24 * 60


class Protocol(models.Model):
    id = models.SlugField(primary_key=True, max_length=64, help_text="Globally unique, e.g. daily_standup.")
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="protocols")
    name = models.CharField(max_length=120)
    channel = models.CharField(max_length=64, default="video call")
    cadence = models.CharField(max_length=8, choices=Cadence.choices)
    weekday = models.PositiveSmallIntegerField(null=True, blank=True, choices=WEEKDAYS)
    week_of_month = models.CharField(max_length=5, choices=WeekOfMonth.choices, blank=True)
    time_utc = models.TimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION_MINUTES)]
    )
    participants = models.JSONField(default=list, blank=True, help_text="E-mail addresses invited to each meeting.")
    agenda = models.JSONField(default=list, blank=True)
    expected_outputs = models.JSONField(default=list, blank=True)
    active = models.BooleanField(default=True)

    history = audit_history()

    class Meta:
        ordering = ["partnership_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cadence="daily") | Q(weekday__isnull=False), name="protocol_weekday_when_needed"
            ),
            models.CheckConstraint(
                condition=~Q(cadence="monthly") | ~Q(week_of_month=""), name="protocol_week_of_month_when_monthly"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    title = models.CharField(max_length=200)
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="meetings")
    protocol = models.ForeignKey(Protocol, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings")
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION_MINUTES)]
    )
    attendees = models.JSONField(default=list, blank=True)
    agenda = models.JSONField(default=list, blank=True)
    link = models.URLField(max_length=500, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    history = audit_history(excluded_fields=["reminder_sent_at"])  # the reminder claim is bookkeeping

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            # scheduling the same cadence twice creates nothing new
            models.UniqueConstraint(
                fields=["protocol", "starts_at"], condition=Q(protocol__isnull=False), name="meeting_unique_occurrence"
            )
        ]
        indexes = [
            models.Index(fields=["starts_at", "id"], name="meeting_time"),
            models.Index(fields=["partnership", "starts_at"], name="meeting_partnership_time"),
            models.Index(fields=["reminder_sent_at", "starts_at"], name="meeting_reminders"),
        ]

    def __str__(self) -> str:
        return f"{self.title} @ {self.starts_at:%Y-%m-%d %H:%M}"
