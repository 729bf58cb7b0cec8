import django_filters

from communication.models import Meeting
from devsky.api.filters import UtcIsoDateTimeFilter


class MeetingFilter(django_filters.FilterSet):
    partnership = django_filters.CharFilter(field_name="partnership_id")
    protocol = django_filters.CharFilter(field_name="protocol_id")
    starts_after = UtcIsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = UtcIsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")

    class Meta:
        model = Meeting
        fields = ["partnership", "protocol"]
