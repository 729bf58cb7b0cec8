"""Report periods in UTC: a day, an ISO week (Monday to Sunday), a calendar month."""

from __future__ import annotations

import calendar
from datetime import UTC, date, timedelta

from django.utils import timezone

TYPES = ("daily", "weekly", "monthly")


def period_containing(report_type: str, day: date) -> tuple[date, date]:
    if report_type == "daily":
        return day, day
    if report_type == "weekly":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if report_type == "monthly":
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)
    raise ValueError(f"unknown report type {report_type!r}")


def today_utc() -> date:
    return timezone.now().astimezone(UTC).date()


def latest_finished(report_type: str, today: date | None = None) -> tuple[date, date]:
    """The most recent period that has ended before today (UTC)."""
    today = today or today_utc()
    start, _end = period_containing(report_type, today)
    return period_containing(report_type, start - timedelta(days=1))


def is_finished(period_end: date, today: date | None = None) -> bool:
    return period_end < (today or today_utc())
