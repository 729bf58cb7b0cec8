"""Filter types shared by the apps' FilterSets."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, turned into UTC before it reaches the database.

    PostgreSQL refuses offsets it cannot represent (``+19:25``) with an error, and a far-off date near
    year 1 overflows once shifted; both are the client's input, so both are a 400 naming the parameter.
    """

    default_error_messages = {"overflow": "Date-time out of range or with an impossible UTC offset."}

    def to_python(self, value: Any) -> datetime | None:
        parsed = super().to_python(value)
        if parsed is None:
            return None
        offset = parsed.utcoffset()
        if offset is not None and abs(offset.total_seconds()) > 14 * 3600:  # real zones span -12:00 to +14:00
            raise forms.ValidationError(self.error_messages["overflow"], code="overflow")
        try:
            return parsed.astimezone(UTC)
        except OverflowError:
            raise forms.ValidationError(self.error_messages["overflow"], code="overflow") from None


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField
