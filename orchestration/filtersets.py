import django_filters

from orchestration.choices import AlertKind
from orchestration.models import Alert, Decision, SecurityIncident


class DecisionFilter(django_filters.FilterSet):
    outcome = django_filters.CharFilter(field_name="outcome", help_text="e.g. APPROVE_IMMEDIATE")
    rule_set = django_filters.NumberFilter(field_name="rule_set__version", help_text="Rule-set version.")
    priority = django_filters.ChoiceFilter(choices=[(level, level) for level in ("CRITICAL", "HIGH", "MEDIUM", "LOW")])
    created_after = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    created_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = Decision
        fields = ["outcome", "rule_set", "priority", "created_after", "created_before"]


class AlertFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[("open", "open"), ("resolved", "resolved")], method="filter_status", help_text="open or resolved."
    )
    partnership = django_filters.CharFilter(field_name="partnership_id", help_text="Partnership id.")
    kind = django_filters.ChoiceFilter(choices=AlertKind.choices)
    kpi = django_filters.CharFilter(field_name="kpi__key", help_text="KPI key, e.g. system_uptime.")
    level = django_filters.NumberFilter(field_name="level", min_value=0, help_text="Escalation level reached.")
    acknowledged = django_filters.BooleanFilter(field_name="acknowledged_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Alert
        fields = ["status", "partnership", "kind", "kpi", "level", "acknowledged"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(resolved_at__isnull=value == "open")


class SecurityIncidentFilter(django_filters.FilterSet):
    partnership = django_filters.CharFilter(field_name="partnership_id")
    open = django_filters.BooleanFilter(field_name="resolved_at", lookup_expr="isnull")

    class Meta:
        model = SecurityIncident
        fields = ["partnership", "open"]
