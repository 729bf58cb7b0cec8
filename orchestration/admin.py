"""Admin of the orchestration core: KPI catalog, samples, rule sets, decisions, configuration, alerts, incidents."""

from django import forms
from django.contrib import admin, messages

from devsky.admin_base import AuditedAdmin
from devsky.api.exceptions import flatten_errors
from devsky.api.policy import permissions_of
from devsky.roles import ORCHESTRATION_ADMIN, user_roles
from orchestration import selectors, services
from orchestration.config_schema import ConfigDocument
from orchestration.models import (
    Alert,
    AlertNotification,
    ConfigRevision,
    Decision,
    Kpi,
    MetricSample,
    Rule,
    RuleSet,
    SecurityIncident,
)
from orchestration.rules import RuleSyntaxError, parse_condition, validate_rules


@admin.register(Kpi)
class KpiAdmin(AuditedAdmin):
    list_display = ["key", "partnership_type", "label", "target", "unit", "direction", "headline"]
    list_filter = ["partnership_type", "direction", "headline"]
    search_fields = ["key", "label"]
    list_editable = ["target"]

    def save_model(self, request, obj, form, change):
        services.kpi_save(kpi=obj)

    def has_delete_permission(self, request, obj=None):
        return False  # samples refer to KPIs; retire a KPI by editing, never by deleting


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

    def has_delete_permission(self, request, obj=None):
        return False


class RuleForm(forms.ModelForm):
    class Meta:
        model = Rule
        fields = ["order", "condition", "outcome", "rationale"]
        widgets = {"condition": forms.Textarea(attrs={"rows": 2, "cols": 60})}

    def clean_condition(self):
        condition = self.cleaned_data["condition"].strip()
        try:
            parse_condition(condition)
        except RuleSyntaxError as error:
            raise forms.ValidationError(f"This condition cannot be used: {error}.") from None
        return condition


class RuleInlineFormSet(forms.BaseInlineFormSet):
    def ordered_rules(self) -> list[dict]:
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("condition")
        ]
        return [
            {"condition": row["condition"], "outcome": row["outcome"], "rationale": row["rationale"]}
            for row in sorted(rows, key=lambda row: row["order"])
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        errors = validate_rules([{**rule, "order": i} for i, rule in enumerate(self.ordered_rules(), 1)])
        if errors:
            raise forms.ValidationError([message for messages in errors.values() for message in messages])


class RuleInline(admin.TabularInline):
    model = Rule
    form = RuleForm
    formset = RuleInlineFormSet
    extra = 1


@admin.register(RuleSet)
class RuleSetAdmin(AuditedAdmin):
    """Saving never changes a version in place: it creates the next version (inactive until activated)."""

    list_display = ["__str__", "active", "author", "created_at", "notes"]
    list_filter = ["active"]
    search_fields = ["notes", "rules__condition", "rules__outcome"]
    readonly_fields = ["version", "active", "author", "based_on", "created_at"]
    fields = ["version", "active", "notes", "author", "based_on", "created_at"]
    inlines = [RuleInline]
    actions = ["activate"]

    def save_model(self, request, obj, form, change):
        """Nothing is written here: save_related creates the new version from the form and its rules."""

    def save_related(self, request, form, formsets, change):
        rule_formset = next(formset for formset in formsets if isinstance(formset, RuleInlineFormSet))
        # the edited rules become the new version's; the old version's rows are never saved
        rule_formset.new_objects = rule_formset.changed_objects = rule_formset.deleted_objects = []
        if change and not form.has_changed() and not rule_formset.has_changed():
            self.message_user(request, "Nothing changed: no new version was created.", messages.INFO)
            return
        created = services.rule_set_create(
            rules=rule_formset.ordered_rules(),
            notes=form.cleaned_data.get("notes", ""),
            author=request.user,
            based_on=RuleSet.objects.get(pk=form.instance.pk) if change else None,
        )
        form.instance.pk, form.instance.version = created.pk, created.version
        self.message_user(
            request,
            f"Saved as version {created.version} (inactive). Use the 'Activate' action to make it decide.",
            messages.SUCCESS,
        )

    @admin.action(description="Activate the selected rule set (exactly one)")
    def activate(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one rule set to activate.", messages.ERROR)
            return
        rule_set = services.rule_set_activate(rule_set=queryset.get())
        self.message_user(request, f"Version {rule_set.version} now decides.", messages.SUCCESS)


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["id", "created_at", "outcome", "priority", "roi_percentage", "risk_score", "rule_set", "created_by"]
    list_filter = ["outcome", "priority", "rule_set"]
    search_fields = ["outcome", "priority", "created_by__username", "request_id"]
    date_hierarchy = "created_at"
    list_select_related = ["rule_set", "created_by"]
    readonly_fields = [field.name for field in Decision._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ConfigRevisionForm(forms.ModelForm):
    """A new revision: the whole document as JSON, checked by the same schema as the API."""

    class Meta:
        model = ConfigRevision
        fields = ["config"]
        widgets = {"config": forms.Textarea(attrs={"rows": 30, "cols": 90})}

    def clean_config(self):
        document = ConfigDocument(data=self.cleaned_data["config"])
        if not document.is_valid():
            raise forms.ValidationError(
                [
                    f"{field}: {message}"
                    for field, messages in flatten_errors(document.errors).items()
                    for message in messages
                ]
            )
        return document.validated_data


@admin.register(ConfigRevision)
class ConfigRevisionAdmin(admin.ModelAdmin):
    """The newest revision is in force. 'Add' starts from it; saving stores the next version."""

    form = ConfigRevisionForm
    list_display = ["version", "created_at", "created_by"]
    list_filter = ["created_by"]
    search_fields = ["version", "created_by__username"]
    readonly_fields = ["version", "created_at", "created_by"]

    def get_changeform_initial_data(self, request):
        return {"config": selectors.config_current()}

    def has_change_permission(self, request, obj=None):
        return request.method in ("GET", "HEAD") and self.has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        current = ConfigRevision.objects.order_by("-version").values_list("version", flat=True).first() or 0
        revision = services.config_update(
            config=form.cleaned_data["config"], expected_version=current, user=request.user
        )
        obj.pk, obj.version = revision.pk, revision.version


class AlertNotificationInline(admin.TabularInline):
    model = AlertNotification
    extra = 0
    can_delete = False
    fields = ["level", "level_name", "recipients", "created_at", "sent_at", "error"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    """Alerts are opened, escalated and resolved by the evaluation; staff acknowledge them."""

    list_display = [
        "id",
        "partnership",
        "kpi",
        "kind",
        "value",
        "threshold",
        "level_name",
        "first_seen",
        "last_seen",
        "resolved_at",
        "acknowledged_at",
    ]
    list_filter = [("resolved_at", admin.EmptyFieldListFilter), "kind", "partnership", "level_name"]
    search_fields = ["message", "kpi__key", "partnership__name"]
    list_select_related = ["partnership", "kpi"]
    date_hierarchy = "first_seen"
    readonly_fields = [field.name for field in Alert._meta.fields]
    inlines = [AlertNotificationInline]
    actions = ["acknowledge", "evaluate_now"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.method in ("GET", "HEAD") and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_acknowledge_permission(self, request):
        return "alerts:write" in permissions_of(request.user)  # the API's rule: admins and partnership managers

    def has_evaluate_permission(self, request):
        return ORCHESTRATION_ADMIN in user_roles(request.user)

    @admin.action(description="Acknowledge the selected alerts", permissions=["acknowledge"])
    def acknowledge(self, request, queryset):
        for alert_id in queryset.values_list("pk", flat=True):
            services.alert_acknowledge(alert_id=alert_id, user=request.user)
        self.message_user(request, "Acknowledged.", messages.SUCCESS)

    @admin.action(description="Evaluate all alerts now", permissions=["evaluate"])
    def evaluate_now(self, request, queryset):
        counts = services.alerts_evaluate()
        self.message_user(request, ", ".join(f"{value} {name}" for name, value in counts.items()), messages.SUCCESS)


@admin.register(SecurityIncident)
class SecurityIncidentAdmin(AuditedAdmin):
    list_display = ["id", "partnership", "summary", "reported_at", "reported_by", "resolved_at"]
    list_filter = [("resolved_at", admin.EmptyFieldListFilter), "partnership"]
    search_fields = ["summary"]
    fields = ["partnership", "summary", "reported_at", "reported_by", "resolved_at"]
    readonly_fields = ["reported_at", "reported_by", "resolved_at"]
    actions = ["resolve"]

    def save_model(self, request, obj, form, change):
        if change:
            services.security_incident_update(incident=obj)
        else:
            created = services.security_incident_report(
                partnership_id=obj.partnership_id, summary=obj.summary, user=request.user
            )
            obj.pk = created.pk

    def has_delete_permission(self, request, obj=None):
        return False

    def has_resolve_permission(self, request):
        return ORCHESTRATION_ADMIN in user_roles(request.user)  # as in the API: only admins resolve

    @admin.action(description="Resolve the selected incidents", permissions=["resolve"])
    def resolve(self, request, queryset):
        for incident_id in queryset.values_list("pk", flat=True):
            services.security_incident_resolve(incident_id=incident_id)
        self.message_user(request, "Resolved.", messages.SUCCESS)
