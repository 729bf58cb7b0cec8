from rest_framework import serializers

from content.choices import InfluencerStatus, Platform, Tier
from content.models import ContentPiece, Influencer
from devsky.api.fields import StrictBooleanField, StrictFloatField, StrictIntegerField
from devsky.api.serializers import FastOutputMixin, FieldSelectionSerializerMixin, StrictInputSerializer


class ContentPieceInput(StrictInputSerializer):
    platform = serializers.ChoiceField(choices=Platform.choices)
    content_type = serializers.SlugField(max_length=64, help_text="e.g. luxury_showcase")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    published_at = serializers.DateTimeField(required=False, help_text="Default: now.")
    reach = StrictIntegerField(min_value=0, required=False)
    impressions = StrictIntegerField(min_value=0, required=False)
    conversions = StrictIntegerField(min_value=0, required=False, help_text="At most the reach.")
    engagement_rate = StrictFloatField(min_value=0, max_value=100, required=False, help_text="Percent.")
    partnership = serializers.SlugField(
        required=False, allow_null=True, help_text="Partnership id; default the active brand partnership."
    )
    influencer = StrictIntegerField(required=False, allow_null=True, min_value=1)


class ContentPieceOutput(FastOutputMixin, FieldSelectionSerializerMixin, serializers.ModelSerializer):
    partnership = serializers.CharField(source="partnership_id", allow_null=True, read_only=True)
    influencer = serializers.IntegerField(source="influencer_id", allow_null=True, read_only=True)

    class Meta:
        model = ContentPiece
        fields = [
            "id",
            "platform",
            "content_type",
            "title",
            "url",
            "published_at",
            "reach",
            "impressions",
            "conversions",
            "engagement_rate",
            "partnership",
            "influencer",
            "created_at",
            "updated_at",
        ]


class InfluencerInput(StrictInputSerializer):
    name = serializers.CharField(max_length=100, help_text="The handle, e.g. LuxuryLifestyle_Anna.")
    platform = serializers.ChoiceField(choices=Platform.choices)
    followers = StrictIntegerField(min_value=0, required=False)
    engagement_rate = StrictFloatField(min_value=0, max_value=100, required=False)
    tier = serializers.ChoiceField(choices=Tier.choices, required=False, help_text="Default: from followers.")
    status = serializers.ChoiceField(choices=InfluencerStatus.choices, required=False)
    verified = StrictBooleanField(required=False)
    contact = serializers.CharField(max_length=200, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class InfluencerOutput(FastOutputMixin, FieldSelectionSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = Influencer
        fields = [
            "id",
            "name",
            "platform",
            "followers",
            "engagement_rate",
            "tier",
            "status",
            "verified",
            "contact",
            "notes",
            "created_at",
            "updated_at",
        ]
