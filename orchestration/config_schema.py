"""The orchestration configuration document's schema (DESIGN.md §8): strict, every key required.

Used by the API and by the admin, so both refuse the same documents with the same messages.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from devsky.api.fields import StrictFloatField, StrictIntegerField
from devsky.api.serializers import StrictInputSerializer


class AlertThresholds(StrictInputSerializer):
    below_target_percent = StrictFloatField(min_value=0, max_value=100)
    security_incidents = StrictIntegerField(min_value=0, max_value=1000)
    min_customer_satisfaction = StrictFloatField(min_value=0, max_value=100)
    min_uptime = StrictFloatField(min_value=0, max_value=100)


class HealthThresholds(StrictInputSerializer):
    excellent = StrictFloatField(min_value=0, max_value=100)
    good = StrictFloatField(min_value=0, max_value=100)
    fair = StrictFloatField(min_value=0, max_value=100)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs["excellent"] > attrs["good"] > attrs["fair"]:
            raise serializers.ValidationError("Thresholds must fall: excellent > good > fair.")
        return attrs


class QualityGates(StrictInputSerializer):
    security = serializers.ListField(child=serializers.CharField(max_length=100), max_length=50)
    performance = serializers.ListField(child=serializers.CharField(max_length=100), max_length=50)
    business = serializers.ListField(child=serializers.CharField(max_length=100), max_length=50)


class ConfigDocument(StrictInputSerializer):
    monitoring_interval_seconds = StrictIntegerField(min_value=10, max_value=86400)
    alert_thresholds = AlertThresholds()
    health_thresholds = HealthThresholds()
    kpi_freshness_hours = StrictIntegerField(min_value=1, max_value=720)
    escalation_levels = serializers.ListField(child=serializers.SlugField(max_length=64), min_length=1, max_length=10)
    quality_gates = QualityGates()

    def validate_escalation_levels(self, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise serializers.ValidationError("Each level may appear once.")
        return value


class ConfigPutInput(StrictInputSerializer):
    config = ConfigDocument()
