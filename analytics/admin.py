"""Admin of analytics: reports as readable pages (rebuild / send now), subscriptions, orders, costs."""

from django.contrib import admin, messages
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from analytics import services
from analytics.models import CostEntry, Order, Report, ReportDelivery, ReportSubscription
from devsky.admin_base import AuditedAdmin


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["report_type", "period_start", "period_end", "generated_at", "overall_health"]
    list_filter = ["report_type"]
    search_fields = ["report_type", "period_start"]
    date_hierarchy = "period_start"
    fields = ["report_type", "period_start", "period_end", "generated_at", "page"]
    readonly_fields = fields
    actions = ["rebuild", "send_now"]

    @admin.display(description="Overall health")
    def overall_health(self, obj):
        return obj.body.get("summary", {}).get("overall_health", "—")

    @admin.display(description="Report")
    def page(self, obj):
        return mark_safe(render_to_string("analytics/report_page.html", {"report": obj.body}))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.method in ("GET", "HEAD") and super().has_view_permission(request, obj)

    @admin.action(description="Rebuild the selected reports")
    def rebuild(self, request, queryset):
        for report in queryset:
            services.report_build(report_type=report.report_type, start=report.period_start)
        self.message_user(request, f"{queryset.count()} report(s) rebuilt.", messages.SUCCESS)

    @admin.action(description="Send the selected reports to their subscribers now")
    def send_now(self, request, queryset):
        sent = sum(services.report_mail(report_id=report.pk) for report in queryset)
        self.message_user(request, f"{sent} e-mail(s) sent (subscribers already mailed are skipped).", messages.SUCCESS)


@admin.register(ReportSubscription)
class ReportSubscriptionAdmin(AuditedAdmin):
    list_display = ["user", "report_type", "created_at"]
    list_filter = ["report_type"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]


@admin.register(ReportDelivery)
class ReportDeliveryAdmin(admin.ModelAdmin):
    list_display = ["report", "email", "created_at", "sent_at"]
    list_filter = ["report__report_type"]
    search_fields = ["email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["order_id", "partnership", "amount", "placed_at", "utm_source", "promo_code"]
    list_filter = ["partnership", "utm_source"]
    search_fields = ["order_id", "promo_code"]
    date_hierarchy = "placed_at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CostEntry)
class CostEntryAdmin(AuditedAdmin):
    list_display = ["partnership", "amount", "start_date", "end_date", "description"]
    list_filter = ["partnership"]
    search_fields = ["description"]
    exclude = ["created_by"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            data = {
                name: form.cleaned_data[name]
                for name in ("partnership", "amount", "start_date", "end_date", "description")
            }
            obj.pk = services.cost_entry_create(data=data, user=request.user).pk
