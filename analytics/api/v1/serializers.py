from decimal import ROUND_HALF_UP, Decimal

from rest_framework import serializers

from analytics.models import CostEntry, Report, ReportType
from analytics.services import MAX_ORDERS_PER_REQUEST
from devsky.api.fields import StrictFloatField, StrictIntegerField
from devsky.api.serializers import StrictInputSerializer

MAX_AMOUNT = 1e12


class MoneyField(StrictFloatField):
    """A JSON number ≥ 0, kept as an exact Decimal to the cent."""

    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=MAX_AMOUNT, **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value > MAX_AMOUNT:  # checked before the Decimal, which cannot hold 1e307 to the cent
            self.fail("max_value", max_value=MAX_AMOUNT)
        return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class OrderInput(StrictInputSerializer):
    order_id = serializers.CharField(max_length=64)
    partnership = serializers.SlugField()
    amount = MoneyField()
    placed_at = serializers.DateTimeField()
    content_piece = StrictIntegerField(required=False, allow_null=True, min_value=1)
    influencer = StrictIntegerField(required=False, allow_null=True, min_value=1)
    promo_code = serializers.CharField(max_length=64, required=False, allow_blank=True)
    utm_source = serializers.CharField(max_length=64, required=False, allow_blank=True)


class OrdersInput(StrictInputSerializer):
    orders = serializers.ListField(child=OrderInput(), min_length=1, max_length=MAX_ORDERS_PER_REQUEST)


class OrdersOutput(serializers.Serializer):
    accepted = serializers.IntegerField(help_text="New orders stored.")
    unchanged = serializers.IntegerField(help_text="Orders already stored with the same data (re-sent).")


class RoiQueryInput(serializers.Serializer):
    period = serializers.CharField(required=False, help_text="7_days, 30_days (default), 90_days or 365_days.")
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)


class RoiOutput(serializers.Serializer):
    partnership_id = serializers.CharField()
    attributed_revenue = serializers.FloatField()
    orders = serializers.IntegerField()
    revenue_per_order = serializers.FloatField(allow_null=True)
    cost = serializers.FloatField()
    roi_percentage = serializers.FloatField(allow_null=True, help_text="null when there is no cost")
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()


class RoiListOutput(serializers.Serializer):
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    partnerships = RoiOutput(many=True)


class CostEntryInput(StrictInputSerializer):
    partnership = serializers.SlugField()
    amount = MoneyField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)

    def validate(self, attrs):
        if attrs["end_date"] < attrs["start_date"]:
            raise serializers.ValidationError({"end_date": ["Must not be before start_date."]})
        return attrs


class CostEntryOutput(serializers.ModelSerializer):
    partnership = serializers.CharField(source="partnership_id")
    amount = serializers.FloatField()

    class Meta:
        model = CostEntry
        fields = ["id", "partnership", "amount", "start_date", "end_date", "description", "created_at"]


class ReportQueryInput(serializers.Serializer):
    date = serializers.DateField(required=False, help_text="Any day of the period; default the latest finished period.")


class ReportSummaryOutput(serializers.Serializer):
    overall_health = serializers.CharField()
    key_achievements = serializers.ListField(child=serializers.CharField())
    strategic_priorities = serializers.ListField(child=serializers.CharField())
    next_actions = serializers.ListField(child=serializers.CharField())


class ReportOutput(serializers.Serializer):
    report_type = serializers.CharField()
    date = serializers.DateField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    generated_at = serializers.DateTimeField()
    summary = ReportSummaryOutput()
    partnerships = serializers.DictField(child=serializers.JSONField())
    content = serializers.JSONField()
    influencers = serializers.JSONField()
    empty = serializers.BooleanField()


class ReportListOutput(serializers.ModelSerializer):
    summary = serializers.JSONField(source="body.summary")

    class Meta:
        model = Report
        fields = ["id", "report_type", "period_start", "period_end", "generated_at", "summary"]


class SubscriptionInput(StrictInputSerializer):
    report_type = serializers.ChoiceField(choices=ReportType.choices)


class SubscriptionOutput(serializers.Serializer):
    report_type = serializers.CharField()
    created_at = serializers.DateTimeField()
