"""Admin of communication: protocols (the API's protocol list refreshes on save) and meetings."""

from django.contrib import admin

from communication import services
from communication.models import Meeting, Protocol
from devsky.admin_base import AuditedAdmin


@admin.register(Protocol)
class ProtocolAdmin(AuditedAdmin):
    list_display = [
        "id",
        "name",
        "partnership",
        "cadence",
        "weekday",
        "week_of_month",
        "time_utc",
        "duration_minutes",
        "active",
    ]
    list_filter = ["partnership", "cadence", "active"]
    search_fields = ["id", "name"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.protocol_saved()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.protocol_saved()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        services.protocol_saved()


@admin.register(Meeting)
class MeetingAdmin(AuditedAdmin):
    list_display = ["title", "partnership", "protocol", "starts_at", "duration_minutes", "reminder_sent_at"]
    list_filter = ["partnership", "protocol"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    readonly_fields = ["reminder_sent_at", "created_by", "created_at"]
