from rest_framework import serializers

from devsky.api.fields import StrictFloatField
from devsky.api.serializers import StrictInputSerializer
from partnerships.choices import DeliverableState


class DeliverableUpdateInput(StrictInputSerializer):
    completion_percentage = StrictFloatField(min_value=0, max_value=100)
    status = serializers.CharField(max_length=255, allow_blank=True)
    last_updated = serializers.DateTimeField(
        required=False, help_text="When this progress was observed; an older value than the stored one is a 409."
    )
    state = serializers.ChoiceField(choices=DeliverableState.choices, required=False)


class DeliverableOutput(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField(help_text="The deliverable's key, as in the requirements document.")
    title = serializers.CharField()
    progress = serializers.FloatField()
    completion_percentage = serializers.FloatField()
    status = serializers.CharField()
    state = serializers.ChoiceField(choices=DeliverableState.choices)
    weight = serializers.IntegerField()
    target_metric = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    last_updated = serializers.DateTimeField()
    version = serializers.IntegerField()


class DeliverableUpdateOutput(DeliverableOutput):
    partnership_progress = serializers.FloatField()


class PartnershipSummaryOutput(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    type = serializers.CharField()
    ai_partner = serializers.CharField()
    active = serializers.BooleanField()
    health = serializers.CharField(allow_null=True)
    health_score = serializers.FloatField(allow_null=True)
    progress = serializers.FloatField()
    deliverables = DeliverableOutput(many=True)


class PartnershipListOutput(serializers.Serializer):
    partnerships = PartnershipSummaryOutput(many=True)


class KpiStatusOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    target = serializers.FloatField()
    direction = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    recorded_at = serializers.DateTimeField(allow_null=True)
    attainment = serializers.FloatField(allow_null=True)


class PartnershipStatusOutput(PartnershipSummaryOutput):
    description = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    kpis = KpiStatusOutput(many=True)


class DeliverableListOutput(serializers.Serializer):
    partnership = serializers.CharField()
    progress = serializers.FloatField()
    deliverables = DeliverableOutput(many=True)


class DeliverableChangeOutput(serializers.Serializer):
    changed_at = serializers.DateTimeField()
    changed_by = serializers.CharField(allow_null=True)
    from_completion = serializers.FloatField()
    to_completion = serializers.FloatField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    status = serializers.CharField()
    source = serializers.CharField()


class DeliverableHistoryOutput(serializers.Serializer):
    deliverable = serializers.CharField()
    changes = DeliverableChangeOutput(many=True)
