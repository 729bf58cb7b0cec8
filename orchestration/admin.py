"""Admin of the orchestration core: the KPI catalog (editable targets) and metric samples (read-only)."""

from django.contrib import admin

from orchestration import services
from orchestration.models import Kpi, MetricSample


@admin.register(Kpi)
class KpiAdmin(admin.ModelAdmin):
    list_display = ["key", "partnership_type", "label", "target", "unit", "direction", "headline"]
    list_filter = ["partnership_type", "direction", "headline"]
    search_fields = ["key", "label"]
    list_editable = ["target"]

    def save_model(self, request, obj, form, change):
        services.kpi_save(kpi=obj)


@admin.register(MetricSample)
class MetricSampleAdmin(admin.ModelAdmin):
    list_display = ["recorded_at", "partnership", "kpi", "value", "source"]
    list_filter = ["partnership", "kpi__partnership_type", "kpi", "source"]
    search_fields = ["source"]
    date_hierarchy = "recorded_at"
    list_select_related = ["partnership", "kpi"]
    show_full_result_count = False  # counting millions of rows on every page is not worth it

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
