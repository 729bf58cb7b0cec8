"""Admin of integrations: collectors (settings validated by their plug-in, credentials encrypted), their
runs (read-only), webhook subscriptions (secrets encrypted) and deliveries (read-only, redeliver)."""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages

from devsky.admin_base import AuditedAdmin
from devsky.api.exceptions import ApplicationError
from integrations import services
from integrations.collectors import kind_choices
from integrations.models import Collector, CollectorRun, WebhookDelivery, WebhookSubscription


def _form_errors(form: forms.Form, error: ApplicationError) -> None:
    for key, messages_ in (getattr(error, "errors", None) or {"__all__": [str(error.detail)]}).items():
        field = key.split(".", 1)[0]
        text = " ".join(map(str, messages_))
        if field in form.fields:
            form.add_error(field, f"{key}: {text}" if "." in key else text)
        else:
            form.add_error(None, f"{key}: {text}")


class CollectorForm(forms.ModelForm):
    kind = forms.ChoiceField(choices=kind_choices)
    credential = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Stored encrypted and never shown again. Leave empty to keep the current one.",
    )
    clear_credential = forms.BooleanField(required=False, help_text="Remove the stored credential.")

    class Meta:
        model = Collector
        fields = ["name", "kind", "partnership", "enabled", "interval_seconds", "settings", "credential_env"]

    def clean(self):
        data = super().clean()
        if "kind" in data:
            try:
                data["settings"] = services.collector_validate(
                    kind=data["kind"],
                    settings_data=data.get("settings") or {},
                    credential_env=data.get("credential_env", ""),
                )
            except ApplicationError as error:
                _form_errors(self, error)
        return data


@admin.register(Collector)
class CollectorAdmin(AuditedAdmin):
    form = CollectorForm
    list_display = [
        "name",
        "kind",
        "partnership",
        "enabled",
        "interval_seconds",
        "last_run_at",
        "last_status",
        "consecutive_failures",
    ]
    list_filter = ["kind", "enabled", "last_status", "partnership"]
    search_fields = ["name"]
    readonly_fields = ["has_credential", "next_run_at", "last_run_at", "last_status", "consecutive_failures"]
    actions = ["run_now"]

    @admin.display(boolean=True, description="Stored credential")
    def has_credential(self, obj):
        return bool(obj.credential_encrypted)

    def save_model(self, request, obj, form, change):
        credential = form.cleaned_data.get("credential") or None
        if form.cleaned_data.get("clear_credential"):
            credential = ""
        services.collector_save(collector=obj, credential=credential)

    @admin.action(description="Run the selected collectors now")
    def run_now(self, request, queryset):
        from integrations import tasks

        for collector_id in queryset.values_list("pk", flat=True):
            tasks.run_collector.delay(collector_id)
        self.message_user(request, "Runs queued; see Collector runs.", messages.SUCCESS)


@admin.register(CollectorRun)
class CollectorRunAdmin(admin.ModelAdmin):
    list_display = [
        "started_at",
        "collector",
        "status",
        "samples_written",
        "http_requests",
        "http_status",
        "short_error",
    ]
    list_filter = ["status", "collector"]
    search_fields = ["error", "collector__name"]
    date_hierarchy = "started_at"
    list_select_related = ["collector"]

    @admin.display(description="Error")
    def short_error(self, obj):
        return obj.error[:120]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class WebhookSubscriptionForm(forms.ModelForm):
    secret = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="The signing secret (stored encrypted). Required for a new subscription; leave empty to keep it.",
    )
    events = forms.CharField(
        help_text='Event types or patterns, comma-separated, e.g. "alert.*, report.built" or "*".',
    )

    class Meta:
        model = WebhookSubscription
        fields = ["name", "url", "events", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["events"] = ", ".join(self.instance.events)

    def clean_events(self):
        return [part.strip() for part in self.cleaned_data["events"].split(",") if part.strip()]

    def clean(self):
        data = super().clean()
        if "events" in data:
            try:
                data["events"] = services.webhook_events_validate(data["events"])
            except ApplicationError as error:
                _form_errors(self, error)
        if not self.instance.pk and not data.get("secret"):
            self.add_error("secret", "A new subscription needs a signing secret.")
        return data


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(AuditedAdmin):
    form = WebhookSubscriptionForm
    list_display = ["name", "url", "events_display", "active", "created_by", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "url"]

    @admin.display(description="Events")
    def events_display(self, obj):
        return ", ".join(obj.events)

    def save_model(self, request, obj, form, change):
        services.webhook_subscription_save(
            subscription=obj, secret=form.cleaned_data.get("secret") or None, user=request.user
        )

    def delete_model(self, request, obj):
        services.webhook_subscription_delete(subscription_id=obj.pk)

    def delete_queryset(self, request, queryset):
        for subscription_id in queryset.values_list("pk", flat=True):
            services.webhook_subscription_delete(subscription_id=subscription_id)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "subscription", "event_type", "status", "attempts", "response_code", "error"]
    list_filter = ["status", "event_type", "subscription"]
    search_fields = ["event_id", "event_type", "error"]
    date_hierarchy = "created_at"
    list_select_related = ["subscription"]
    readonly_fields = ["payload_pretty"]
    exclude = ["payload"]
    actions = ["redeliver"]

    @admin.display(description="Payload")
    def payload_pretty(self, obj):
        return json.dumps(obj.payload, indent=2, sort_keys=True)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Send the selected failed deliveries again", permissions=["view"])
    def redeliver(self, request, queryset):
        for delivery_id in queryset.values_list("pk", flat=True):
            services.webhook_delivery_redeliver(delivery_id=delivery_id)
        self.message_user(request, "Failed deliveries queued again.", messages.SUCCESS)
