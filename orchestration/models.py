"""KPI catalog and metric samples (the decision engine and configuration follow)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from devsky.audit import audit_history
from orchestration.choices import AlertKind, Direction
from partnerships.choices import PartnershipType


class Kpi(models.Model):
    """A KPI of a partnership type, with its target. Reference data, cached for a day."""

    partnership_type = models.CharField(max_length=16, choices=PartnershipType.choices)
    key = models.SlugField(max_length=64)
    label = models.CharField(max_length=120)
    unit = models.CharField(max_length=24, blank=True, help_text="e.g. %, ms, points, /5.")
    target = models.FloatField(help_text="The value that counts as 100 % attainment.")
    direction = models.CharField(max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    headline = models.BooleanField(default=False, help_text="Shown next to the partnership's health.")
    headline_name = models.CharField(max_length=32, blank=True, help_text="Key of the headline value in /health.")
    position = models.PositiveSmallIntegerField(default=0)

    history = audit_history()

    class Meta:
        verbose_name = "KPI"
        verbose_name_plural = "KPI catalog"
        ordering = ["partnership_type", "position", "key"]
        constraints = [
            models.UniqueConstraint(fields=["partnership_type", "key"], name="kpi_unique_key_per_type"),
            models.UniqueConstraint(
                fields=["partnership_type"], condition=Q(headline=True), name="kpi_one_headline_per_type"
            ),
            models.CheckConstraint(condition=Q(target__gt=0), name="kpi_target_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.partnership_type}.{self.key}"


class MetricSample(models.Model):
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="samples")
    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="samples")
    value = models.FloatField()
    recorded_at = models.DateTimeField()
    source = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [
            # "latest value per KPI" and per-KPI time ranges
            models.Index(fields=["kpi", "partnership", "-recorded_at"], name="sample_kpi_latest"),
            # a partnership's samples over a time range
            models.Index(fields=["partnership", "-recorded_at"], name="sample_partnership_time"),
            # the newest samples first (admin list, exports)
            models.Index(fields=["-recorded_at", "-id"], name="sample_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi} = {self.value} @ {self.recorded_at:%Y-%m-%d %H:%M}"


class RuleSet(models.Model):
    """A version of the decision table. Never edited once saved: a change is a new version."""

    version = models.PositiveIntegerField(unique=True)
    notes = models.TextField(blank=True, help_text="What changed and why.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    active = models.BooleanField(
        default=False, help_text="Exactly one version decides; activate with the admin action."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = audit_history()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"],
                condition=Q(active=True),
                name="one_active_rule_set",
                violation_error_message="Another rule set is active; use the 'Activate' action to switch.",
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version}{' (active)' if self.active else ''}"


class Rule(models.Model):
    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="rules")
    order = models.PositiveSmallIntegerField(help_text="Rules are tried in this order; the first that holds decides.")
    condition = models.TextField(
        help_text="e.g. roi_percentage >= 200 and risk_score < 0.5 — or 'otherwise' for the last, catch-all rule."
    )
    outcome = models.CharField(max_length=64, help_text="e.g. APPROVE_IMMEDIATE")
    rationale = models.CharField(max_length=300)

    history = audit_history()

    class Meta:
        ordering = ["rule_set", "order"]
        constraints = [models.UniqueConstraint(fields=["rule_set", "order"], name="rule_unique_order")]

    def __str__(self) -> str:
        return f"v{self.rule_set.version} #{self.order}: {self.outcome}"


class Decision(models.Model):
    """A stored recommendation: the context, the full answer and the rule (of a frozen version) that made it."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="decisions")
    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=64)
    priority = models.CharField(max_length=16)
    roi_percentage = models.FloatField()
    risk_score = models.FloatField()
    context = models.JSONField(help_text="The context with defaults applied.")
    result = models.JSONField(help_text="The answer as it was given, explanation included.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    request_id = models.CharField(max_length=128, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="decision_recent"),
            models.Index(fields=["outcome", "-created_at"], name="decision_outcome_recent"),
            models.Index(fields=["rule_set", "-created_at"], name="decision_rule_set_recent"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.outcome} (v{self.rule_set.version})"


class ConfigRevision(models.Model):
    """One revision of the orchestration configuration document; the highest version is in force."""

    version = models.PositiveIntegerField(unique=True)
    config = models.JSONField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = "configuration revision"

    def __str__(self) -> str:
        return f"configuration v{self.version}"


class Alert(models.Model):
    """A threshold of the configuration that a partnership's KPI breaks, open until the KPI recovers.

    At most one open alert per (partnership, KPI, kind): the evaluation updates it (``last_seen``,
    ``value``) instead of opening another. ``level`` is the index of the escalation level reached in
    the configuration's ``escalation_levels``; each level is notified once (``AlertNotification``).
    """

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="alerts")
    kpi = models.ForeignKey(Kpi, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=32, choices=AlertKind.choices)
    value = models.FloatField(help_text="The value that broke the threshold, as last seen.")
    threshold = models.FloatField(help_text="The boundary the value crossed.")
    message = models.CharField(max_length=300)
    level = models.PositiveSmallIntegerField(default=0, help_text="Index of the escalation level reached.")
    level_name = models.CharField(max_length=64, blank=True)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-first_seen", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "kpi", "kind"],
                condition=Q(resolved_at__isnull=True),
                name="alert_one_open_per_kpi_and_kind",
            ),
            models.UniqueConstraint(
                fields=["partnership", "kind"],
                condition=Q(resolved_at__isnull=True, kpi__isnull=True),
                name="alert_one_open_per_kind_without_kpi",
            ),
        ]
        indexes = [
            models.Index(fields=["-first_seen", "-id"], name="alert_recent"),
            models.Index(fields=["resolved_at", "-first_seen"], name="alert_open_recent"),
        ]

    def __str__(self) -> str:
        what = self.kpi.key if self.kpi_id else self.kind
        return f"#{self.pk} {self.partnership_id} {what} ({'open' if self.is_open else 'resolved'})"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class AlertNotification(models.Model):
    """One escalation level of an alert, notified once: e-mail to the level's recipients and a webhook event."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="notifications")
    level = models.PositiveSmallIntegerField()
    level_name = models.CharField(max_length=64)
    recipients = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["alert", "level"]
        constraints = [models.UniqueConstraint(fields=["alert", "level"], name="alert_notification_once_per_level")]

    def __str__(self) -> str:
        return f"alert #{self.alert_id} level {self.level} ({self.level_name})"


class SecurityIncident(models.Model):
    """A security incident reported against a partnership; open incidents count towards the alert threshold."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="security_incidents"
    )
    summary = models.CharField(max_length=300)
    reported_at = models.DateTimeField()
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    history = audit_history()

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["resolved_at", "partnership"], name="incident_open")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.partnership_id}: {self.summary[:60]}"
