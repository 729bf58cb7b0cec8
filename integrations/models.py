"""Metric collectors (plug-ins configured here, run by Celery) and outbound webhooks."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from devsky.audit import audit_history
from integrations.choices import DeliveryStatus, RunStatus


class Collector(models.Model):
    """A configured source of KPI samples: a plug-in (``kind``), its settings, a credential and a schedule."""

    name = models.SlugField(max_length=64, unique=True, help_text="Shown in runs and as the samples' source.")
    kind = models.CharField(max_length=32, help_text="The plug-in: http_json, instagram or content_library.")
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        related_name="collectors",
        help_text="The partnership whose KPIs the samples feed.",
    )
    enabled = models.BooleanField(default=True)
    interval_seconds = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(10)],
        help_text="Empty: the configuration's monitoring_interval_seconds.",
    )
    settings = models.JSONField(default=dict, blank=True, help_text="The plug-in's settings (URL, field mapping...).")
    credential_env = models.CharField(
        max_length=100,
        blank=True,
        help_text="Name of an environment variable holding the credential (must start with DEVSKY_CREDENTIAL_).",
    )
    credential_encrypted = models.TextField(blank=True, editable=False)
    next_run_at = models.DateTimeField(null=True, blank=True, help_text="Empty: at the next scheduler tick.")
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=16, choices=RunStatus.choices, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # run bookkeeping changes every interval and is the run log's business, not the audit log's
    history = audit_history(
        excluded_fields=["next_run_at", "last_run_at", "last_status", "consecutive_failures", "credential_encrypted"]
    )

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["enabled", "next_run_at"], name="collector_due")]

    def __str__(self) -> str:
        return self.name


class CollectorRun(models.Model):
    """One run of a collector: when, how it ended, how many samples it wrote, and why it failed."""

    collector = models.ForeignKey(Collector, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.RUNNING)
    samples_written = models.PositiveIntegerField(default=0)
    http_requests = models.PositiveIntegerField(default=0, help_text="Requests sent, retries included.")
    http_status = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Status of the last response.")
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["collector", "-started_at"], name="collector_run_recent")]

    def __str__(self) -> str:
        return f"{self.collector} @ {self.started_at:%Y-%m-%d %H:%M:%S} ({self.status})"


class WebhookSubscription(models.Model):
    """An outside URL that receives the events it names, signed with its secret."""

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500)
    events = models.JSONField(
        default=list, help_text='Event types or patterns, e.g. ["alert.*", "report.built"]; ["*"] for all.'
    )
    secret_encrypted = models.TextField(editable=False)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = audit_history(excluded_fields=["secret_encrypted"])

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} → {self.url}"


class WebhookDelivery(models.Model):
    """One event sent (or being sent) to one subscription, with every attempt's outcome."""

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.CharField(max_length=64)
    event_type = models.CharField(max_length=64)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="When the pending delivery's next attempt is due (the sweeper's clock)."
    )
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["subscription", "event_id"], name="webhook_delivery_once_per_event")
        ]
        indexes = [
            models.Index(fields=["subscription", "-created_at"], name="webhook_delivery_recent"),
            models.Index(fields=["status", "-created_at"], name="webhook_delivery_status"),
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.subscription_id} ({self.status})"
