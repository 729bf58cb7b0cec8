"""Serializer fields shared by the apps."""

from __future__ import annotations

import math
from typing import Any

from rest_framework import serializers


class StrictFloatField(serializers.FloatField):
    """A JSON number, finite: strings like "85", booleans and NaN/Infinity are refused."""

    default_error_messages = {
        **serializers.FloatField.default_error_messages,
        "not_a_number": "Must be a JSON number, not {input_type}.",
        "not_finite": "Must be a finite number.",
    }

    def to_internal_value(self, data: Any) -> float:
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("not_a_number", input_type=type(data).__name__ if data is not None else "null")
        if isinstance(data, float) and not math.isfinite(data):
            self.fail("not_finite")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """A JSON true or false: "yes", 1 and "true" are refused."""

    default_error_messages = {"invalid": "Must be a JSON boolean (true or false)."}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer (12.0 accepted): strings, booleans and fractions are refused."""

    default_error_messages = {
        **serializers.IntegerField.default_error_messages,
        "not_a_number": "Must be a JSON integer, not {input_type}.",
    }

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("not_a_number", input_type=type(data).__name__ if data is not None else "null")
        if isinstance(data, float) and (not math.isfinite(data) or not data.is_integer()):
            self.fail("invalid")
        return super().to_internal_value(int(data))
