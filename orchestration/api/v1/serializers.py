from rest_framework import serializers

from devsky.api.fields import StrictFloatField
from devsky.api.serializers import StrictInputSerializer
from orchestration.services import MAX_SAMPLES_PER_REQUEST
from partnerships.choices import PartnershipType


class MetricSampleInput(StrictInputSerializer):
    partnership = serializers.SlugField(required=False, help_text="Partnership id, e.g. technical_excellence.")
    partnership_type = serializers.ChoiceField(choices=PartnershipType.choices, required=False)
    metric = serializers.SlugField(help_text="A KPI key of the partnership's type, e.g. development_velocity.")
    value = StrictFloatField()
    recorded_at = serializers.DateTimeField(required=False, help_text="ISO 8601; default now.")
    source = serializers.CharField(required=False, max_length=64, allow_blank=True)


class MetricIngestInput(StrictInputSerializer):
    samples = serializers.ListField(child=MetricSampleInput(), min_length=1, max_length=MAX_SAMPLES_PER_REQUEST)


class MetricIngestOutput(serializers.Serializer):
    accepted = serializers.IntegerField()


class PartnershipMetricsOutput(serializers.Serializer):
    partnership_type = serializers.CharField()
    partnership_id = serializers.CharField(allow_null=True)
    metrics = serializers.DictField(child=serializers.FloatField())
    timestamp = serializers.DateTimeField(allow_null=True)


class MetricsOutput(serializers.Serializer):
    metrics = PartnershipMetricsOutput(many=True)
    timestamp = serializers.DateTimeField(allow_null=True)


class SeriesQueryInput(serializers.Serializer):
    metric = serializers.SlugField()
    since = serializers.DateTimeField(required=False, help_text="Default: 7 days before `until`.")
    until = serializers.DateTimeField(required=False, help_text="Default: now.")
    bucket = serializers.ChoiceField(choices=["hour", "day"], default="hour")


class SeriesPointOutput(serializers.Serializer):
    start = serializers.DateTimeField()
    avg = serializers.FloatField()
    min = serializers.FloatField()
    max = serializers.FloatField()
    count = serializers.IntegerField()


class SeriesOutput(serializers.Serializer):
    partnership_type = serializers.CharField()
    partnership_id = serializers.CharField(allow_null=True)
    metric = serializers.CharField()
    bucket = serializers.CharField()
    since = serializers.DateTimeField()
    until = serializers.DateTimeField()
    points = SeriesPointOutput(many=True)


class PartnershipHealthOutput(serializers.Serializer):
    health = serializers.ChoiceField(
        choices=["excellent", "good", "fair", "poor", "unknown"], help_text="`unknown` until a KPI has a sample."
    )
    score = serializers.FloatField(allow_null=True)
    partnership_id = serializers.CharField()
    progress = serializers.FloatField()
    stale_kpis = serializers.ListField(child=serializers.CharField())


class HealthOutput(serializers.Serializer):
    status = serializers.ChoiceField(choices=["healthy", "degraded", "critical"])
    partnerships = serializers.DictField(
        child=PartnershipHealthOutput(),
        help_text="Per type; each also carries its headline value: technical `uptime`, brand `engagement`, "
        "visual `accuracy`, customer `satisfaction`.",
    )
    last_updated = serializers.DateTimeField()
    checks = serializers.DictField(child=serializers.CharField())


class KpiOutput(serializers.Serializer):
    partnership_type = serializers.CharField()
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    target = serializers.FloatField()
    direction = serializers.CharField()
    headline = serializers.BooleanField()


class KpiCatalogOutput(serializers.Serializer):
    kpis = KpiOutput(many=True)
