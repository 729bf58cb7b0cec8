import django_filters

from orchestration.models import Decision


class DecisionFilter(django_filters.FilterSet):
    outcome = django_filters.CharFilter(field_name="outcome", help_text="e.g. APPROVE_IMMEDIATE")
    rule_set = django_filters.NumberFilter(field_name="rule_set__version", help_text="Rule-set version.")
    priority = django_filters.ChoiceFilter(choices=[(level, level) for level in ("CRITICAL", "HIGH", "MEDIUM", "LOW")])
    created_after = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    created_before = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = Decision
        fields = ["outcome", "rule_set", "priority", "created_after", "created_before"]
