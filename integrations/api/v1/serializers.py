from rest_framework import serializers

from devsky.api.fields import StrictBooleanField
from devsky.api.serializers import StrictInputSerializer


class WebhookSubscriptionInput(StrictInputSerializer):
    name = serializers.CharField(max_length=100)
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(
        child=serializers.CharField(max_length=64), min_length=1, max_length=50, help_text='e.g. ["alert.*"]'
    )
    active = StrictBooleanField(required=False, default=True)
    secret = serializers.CharField(
        required=False,
        min_length=16,
        max_length=200,
        help_text="Signing secret; generated (and shown once) if omitted.",
    )


class WebhookSubscriptionPatch(WebhookSubscriptionInput):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class WebhookSubscriptionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    url = serializers.URLField()
    events = serializers.ListField(child=serializers.CharField())
    active = serializers.BooleanField()
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class WebhookSubscriptionCreated(WebhookSubscriptionOutput):
    secret = serializers.CharField(help_text="The signing secret, shown this once.")


class WebhookDeliveryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    subscription = serializers.IntegerField(source="subscription_id")
    event_id = serializers.CharField()
    event_type = serializers.CharField()
    status = serializers.CharField()
    attempts = serializers.IntegerField()
    response_code = serializers.IntegerField(allow_null=True)
    error = serializers.CharField()
    created_at = serializers.DateTimeField()
    last_attempt_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)
    payload = serializers.JSONField()


class CollectorOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    partnership = serializers.CharField(source="partnership_id")
    enabled = serializers.BooleanField()
    interval_seconds = serializers.IntegerField(allow_null=True)
    settings = serializers.JSONField()
    has_credential = serializers.SerializerMethodField()
    next_run_at = serializers.DateTimeField(allow_null=True)
    last_run_at = serializers.DateTimeField(allow_null=True)
    last_status = serializers.CharField()
    consecutive_failures = serializers.IntegerField()

    def get_has_credential(self, collector) -> bool:
        return bool(collector.credential_encrypted or collector.credential_env)


class CollectorRunOutput(serializers.Serializer):
    id = serializers.IntegerField()
    collector = serializers.CharField(source="collector.name")
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    status = serializers.CharField()
    samples_written = serializers.IntegerField()
    http_requests = serializers.IntegerField()
    http_status = serializers.IntegerField(allow_null=True)
    error = serializers.CharField()


class CollectorRunQueued(serializers.Serializer):
    collector = serializers.IntegerField()
    status = serializers.CharField()
