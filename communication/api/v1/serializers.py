from rest_framework import serializers

from communication.models import MAX_DURATION_MINUTES, Meeting
from devsky.api.fields import StrictIntegerField
from devsky.api.serializers import StrictInputSerializer


class ScheduleInput(StrictInputSerializer):
    protocol = serializers.SlugField(required=False, help_text="One protocol, e.g. daily_standup…")
    partnership = serializers.SlugField(required=False, help_text="…or every protocol of a partnership.")
    start_date = serializers.DateField()
    end_date = serializers.DateField(help_text="Inclusive; at most 366 days after start_date.")

    def validate(self, attrs):
        if ("protocol" in attrs) == ("partnership" in attrs):
            raise serializers.ValidationError({"protocol": ["Give either protocol or partnership."]})
        return attrs


class MeetingInput(StrictInputSerializer):
    title = serializers.CharField(max_length=200)
    partnership = serializers.SlugField()
    protocol = serializers.SlugField(required=False, allow_null=True)
    starts_at = serializers.DateTimeField()
    duration_minutes = StrictIntegerField(min_value=1, max_value=MAX_DURATION_MINUTES)
    attendees = serializers.ListField(child=serializers.EmailField(), max_length=200, required=False)
    agenda = serializers.ListField(child=serializers.CharField(max_length=300), max_length=100, required=False)
    link = serializers.URLField(max_length=500, required=False, allow_blank=True)


class MeetingQueryInput(serializers.Serializer):
    allow_overlap = serializers.BooleanField(default=False)


class MeetingOutput(serializers.ModelSerializer):
    partnership = serializers.CharField(source="partnership_id")
    protocol = serializers.CharField(source="protocol_id", allow_null=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "title",
            "partnership",
            "protocol",
            "starts_at",
            "duration_minutes",
            "attendees",
            "agenda",
            "link",
        ]


class ScheduleOutput(serializers.Serializer):
    created = serializers.IntegerField()
    meetings = MeetingOutput(many=True)


class ProtocolOutput(serializers.Serializer):
    id = serializers.CharField()
    partnership = serializers.CharField()
    name = serializers.CharField()
    channel = serializers.CharField()
    cadence = serializers.CharField()
    weekday = serializers.CharField(allow_null=True)
    week_of_month = serializers.CharField(allow_null=True)
    time_utc = serializers.CharField()
    duration_minutes = serializers.IntegerField()
    participants = serializers.ListField(child=serializers.CharField())
    agenda = serializers.ListField(child=serializers.CharField())
    expected_outputs = serializers.ListField(child=serializers.CharField())
    active = serializers.BooleanField()


class ProtocolListOutput(serializers.Serializer):
    protocols = ProtocolOutput(many=True)
