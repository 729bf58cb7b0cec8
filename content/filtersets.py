import django_filters

from content.choices import InfluencerStatus, Platform, Tier
from content.models import ContentPiece, Influencer


class ContentPieceFilter(django_filters.FilterSet):
    platform = django_filters.ChoiceFilter(choices=Platform.choices)
    content_type = django_filters.CharFilter()
    partnership = django_filters.CharFilter(field_name="partnership_id")
    influencer = django_filters.NumberFilter(field_name="influencer_id")
    min_engagement = django_filters.NumberFilter(field_name="engagement_rate", lookup_expr="gte")
    max_engagement = django_filters.NumberFilter(field_name="engagement_rate", lookup_expr="lte")
    min_reach = django_filters.NumberFilter(field_name="reach", lookup_expr="gte")
    max_reach = django_filters.NumberFilter(field_name="reach", lookup_expr="lte")
    published_after = django_filters.IsoDateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = django_filters.IsoDateTimeFilter(field_name="published_at", lookup_expr="lt")

    class Meta:
        model = ContentPiece
        fields = ["platform", "content_type", "partnership", "influencer"]


class InfluencerFilter(django_filters.FilterSet):
    platform = django_filters.ChoiceFilter(choices=Platform.choices)
    tier = django_filters.ChoiceFilter(choices=Tier.choices)
    status = django_filters.ChoiceFilter(choices=InfluencerStatus.choices)
    verified = django_filters.BooleanFilter()
    min_followers = django_filters.NumberFilter(field_name="followers", lookup_expr="gte")
    max_followers = django_filters.NumberFilter(field_name="followers", lookup_expr="lte")
    min_engagement = django_filters.NumberFilter(field_name="engagement_rate", lookup_expr="gte")
    max_engagement = django_filters.NumberFilter(field_name="engagement_rate", lookup_expr="lte")

    class Meta:
        model = Influencer
        fields = ["platform", "tier", "status", "verified"]
