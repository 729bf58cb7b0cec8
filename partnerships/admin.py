"""Admin of partnerships: deliverables inline, progress and health at a glance; progress edits go
through partnerships.services, so they are recorded in the history exactly like API updates."""

from django.contrib import admin
from django.db.models import F, FloatField, Q, Sum
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from devsky.admin_base import AuditedAdmin, health_badge, progress_bar
from devsky.dashboard import kpi_trends
from partnerships import selectors, services
from partnerships.choices import DeliverableState
from partnerships.models import Deliverable, DeliverableChange, Partnership

PROGRESS_FIELDS = {"completion", "status", "state"}


def change_table(changes, *, with_deliverable: bool = False) -> str:
    """Deliverable changes as a table: when, who, completion and state from → to, status text, via."""
    changes = list(changes)
    if not changes:
        return "No change recorded yet."
    rows = format_html_join(
        "",
        "<tr>" + ("<td>{}</td>" if with_deliverable else "") + "<td>{}</td><td>{}</td><td>{} → {}</td><td>{} → {}</td>"
        "<td>{}</td><td>{}</td></tr>",
        (
            (
                *((change.deliverable.key,) if with_deliverable else ()),
                f"{change.changed_at:%Y-%m-%d %H:%M}",
                change.changed_by or "—",
                change.from_completion,
                change.to_completion,
                change.from_state,
                change.to_state,
                change.status,
                change.source,
            )
            for change in changes
        ),
    )
    return format_html(
        "<table><thead><tr>{}<th>When</th><th>Who</th><th>Completion</th><th>State</th><th>Status</th>"
        "<th>Via</th></tr></thead><tbody>{}</tbody></table>",
        mark_safe("<th>Deliverable</th>") if with_deliverable else "",
        rows,
    )


class DeliverableInline(admin.TabularInline):
    model = Deliverable
    extra = 0
    fields = ["key", "title", "completion", "progress", "state", "status", "weight", "due_date", "version"]
    readonly_fields = ["progress", "version"]
    show_change_link = True

    @admin.display(description="Progress")
    def progress(self, obj):
        return progress_bar(obj.completion) if obj and obj.pk else "—"


@admin.register(Partnership)
class PartnershipAdmin(AuditedAdmin):
    list_display = ["name", "id", "type", "ai_partner", "active", "progress_display", "health_display"]
    list_filter = ["type", "active"]
    search_fields = ["id", "name", "ai_partner"]
    inlines = [DeliverableInline]
    readonly_fields = ["latest_kpis", "progress_history", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["id", "type", "name", "ai_partner", "active", "manager", "roles", "description"]}),
        ("KPIs (30-day trend of daily means; dashed line: target)", {"fields": ["latest_kpis"]}),
        ("History of progress changes", {"fields": ["progress_history"]}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # the id is the URL slug: fixed once created
        return [*self.readonly_fields, "id"] if obj else self.readonly_fields

    def get_queryset(self, request):
        live = ~Q(deliverables__state=DeliverableState.CANCELLED)
        return (
            super()
            .get_queryset(request)
            .annotate(
                weighted=Sum(
                    F("deliverables__completion") * F("deliverables__weight"), filter=live, output_field=FloatField()
                ),
                weights=Sum("deliverables__weight", filter=live, output_field=FloatField()),
            )
        )

    @admin.display(description="Progress", ordering="weighted")
    def progress_display(self, obj):
        return progress_bar(obj.weighted / obj.weights if getattr(obj, "weights", None) else 0)

    @admin.display(description="Health")
    def health_display(self, obj):
        from orchestration.selectors import health_current

        entry = health_current()["partnerships"].get(obj.type, {})
        if entry.get("partnership_id") != obj.pk:
            return "—"
        return health_badge(entry["health"], entry["score"])

    @admin.display(description="Latest KPI values")
    def latest_kpis(self, obj):
        if obj is None or obj._state.adding:
            return "—"
        if not obj.active:
            return "Only the active partnership of a type has KPI samples."
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} {}</td><td>{}</td></tr>",
            (
                (
                    kpi["label"],
                    kpi["sparkline"],
                    "—" if kpi["value"] is None else kpi["value"],
                    kpi["target"],
                    kpi["unit"],
                    "—" if kpi["attainment"] is None else f"{kpi['attainment']}%",
                )
                for kpi in kpi_trends(partnership_type=obj.type, width=320, height=48)
            ),
        )
        return format_html(
            '<table class="kpi-trends"><thead><tr><th>KPI</th><th>30 days</th><th>Latest</th><th>Target</th>'
            "<th>Attainment</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    @admin.display(description="Latest changes")
    def progress_history(self, obj):
        if obj is None or obj._state.adding:
            return "—"
        return change_table(selectors.partnership_changes(partnership_id=obj.pk), with_deliverable=True)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.partnership_saved()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.partnership_saved()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        services.partnership_saved()

    def save_formset(self, request, form, formset, change):
        """Deliverables: progress through deliverable_update (history), the rest through their services."""
        if formset.model is not Deliverable:
            return super().save_formset(request, form, formset, change)
        for inline in formset.forms:
            if not inline.has_changed() or not inline.cleaned_data:
                continue
            data = inline.cleaned_data
            instance = inline.instance
            if data.get("DELETE"):
                if instance.pk:
                    services.deliverable_delete(deliverable_id=instance.pk)
                continue
            values = {name: data[name] for name in inline.changed_data if name in formset.form.base_fields}
            if instance.pk is None:
                services.deliverable_create(
                    partnership_id=form.instance.pk,
                    values={name: data[name] for name in formset.form.base_fields if name in data and name != "id"},
                )
                continue
            details = {name: value for name, value in values.items() if name not in PROGRESS_FIELDS}
            if details:
                services.deliverable_edit_details(deliverable_id=instance.pk, values=details)
            if PROGRESS_FIELDS & set(values):
                services.deliverable_update(
                    partnership_id=form.instance.pk,
                    key=data.get("key") or instance.key,
                    completion=data.get("completion"),
                    status=data.get("status"),
                    state=data.get("state") if "state" in values else None,
                    user=request.user,
                    source="admin",
                )
        formset.new_objects = formset.changed_objects = formset.deleted_objects = []
        return None


@admin.register(Deliverable)
class DeliverableAdmin(AuditedAdmin):
    list_display = ["key", "partnership", "completion", "completion_display", "state", "due_date", "last_updated"]
    list_editable = ["completion", "state"]  # saved through deliverable_update: recorded in the history
    list_filter = ["partnership", "state", "due_date"]
    search_fields = ["key", "title", "status"]
    list_select_related = ["partnership"]
    readonly_fields = ["version", "last_updated", "history"]

    def get_readonly_fields(self, request, obj=None):
        # a deliverable belongs to its partnership for good: its history and URL depend on it
        return [*self.readonly_fields, "partnership"] if obj else self.readonly_fields

    def delete_queryset(self, request, queryset):
        for pk in queryset.values_list("pk", flat=True):
            services.deliverable_delete(deliverable_id=pk)

    @admin.display(description="Progress", ordering="completion")
    def completion_display(self, obj):
        return progress_bar(obj.completion)

    @admin.display(description="History of progress changes")
    def history(self, obj):
        if not obj or not obj.pk:
            return "—"
        return change_table(selectors.deliverable_history(deliverable=obj))

    def save_model(self, request, obj, form, change):
        if not change:
            values = {name: form.cleaned_data[name] for name in form.changed_data if name != "partnership"}
            created = services.deliverable_create(partnership_id=obj.partnership_id, values=values)
            obj.pk = created.pk
            return
        details = {name: form.cleaned_data[name] for name in form.changed_data if name not in PROGRESS_FIELDS}
        details.pop("partnership", None)
        if details:
            services.deliverable_edit_details(deliverable_id=obj.pk, values=details)
        if PROGRESS_FIELDS & set(form.changed_data):
            services.deliverable_update(
                partnership_id=obj.partnership_id,
                key=obj.key,
                completion=form.cleaned_data.get("completion"),
                status=form.cleaned_data.get("status"),
                state=form.cleaned_data.get("state") if "state" in form.changed_data else None,
                user=request.user,
                source="admin",
            )

    def delete_model(self, request, obj):
        services.deliverable_delete(deliverable_id=obj.pk)


@admin.register(DeliverableChange)
class DeliverableChangeAdmin(admin.ModelAdmin):
    """The append-only history: readable, never edited."""

    list_display = ["deliverable", "changed_at", "changed_by", "from_completion", "to_completion", "to_state", "source"]
    list_filter = ["source", "to_state", "deliverable__partnership"]
    search_fields = ["deliverable__key", "status", "changed_by__username"]
    list_select_related = ["deliverable", "changed_by"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
