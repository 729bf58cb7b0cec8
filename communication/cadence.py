"""Which days a protocol meets: daily, weekly on a weekday, monthly on the first or last given weekday."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, timedelta


def occurs_on(*, cadence: str, weekday: int | None, week_of_month: str, day: date) -> bool:
    if cadence == "daily":
        return True
    if day.weekday() != weekday:
        return False
    if cadence == "weekly":
        return True
    if week_of_month == "first":
        return day.day <= 7
    last_day = calendar.monthrange(day.year, day.month)[1]
    return day.day > last_day - 7


def occurrences(*, cadence: str, weekday: int | None, week_of_month: str, start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        if occurs_on(cadence=cadence, weekday=weekday, week_of_month=week_of_month, day=day):
            yield day
        day += timedelta(days=1)
