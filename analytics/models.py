"""Orders, costs, reports and report subscriptions (DESIGN.md §5, §7)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from devsky.audit import audit_history


class Order(models.Model):
    """A sale attributed to a partnership (and maybe a content piece, influencer, promo code or UTM source)."""

    order_id = models.CharField(max_length=64, unique=True, help_text="The shop's order id; re-sending it is a no-op.")
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="orders")
    amount = models.DecimalField(max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    placed_at = models.DateTimeField()
    content_piece = models.ForeignKey(
        "content.ContentPiece", null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    influencer = models.ForeignKey("content.Influencer", null=True, blank=True, on_delete=models.SET_NULL)
    promo_code = models.CharField(max_length=64, blank=True)
    utm_source = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="order_amount_not_negative")]
        indexes = [models.Index(fields=["partnership", "placed_at"], name="order_partnership_time")]

    def __str__(self) -> str:
        return f"{self.order_id} ({self.amount})"


class CostEntry(models.Model):
    """A cost of a partnership, accrued evenly over the days from start_date to end_date (inclusive)."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT, related_name="costs")
    amount = models.DecimalField(max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    start_date = models.DateField()
    end_date = models.DateField()
    description = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    history = audit_history()

    class Meta:
        verbose_name_plural = "cost entries"
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="cost_dates_in_order"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="cost_amount_not_negative"),
        ]
        indexes = [models.Index(fields=["partnership", "start_date", "end_date"], name="cost_partnership_dates")]

    def __str__(self) -> str:
        return f"{self.partnership_id} {self.amount} ({self.start_date} to {self.end_date})"


class ReportType(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"


class Report(models.Model):
    """One report per type and period (UTC); a rebuild replaces it in place."""

    report_type = models.CharField(max_length=8, choices=ReportType.choices)
    period_start = models.DateField()
    period_end = models.DateField(help_text="Inclusive.")
    generated_at = models.DateTimeField()
    build_seconds = models.FloatField(null=True, blank=True, help_text="How long the aggregation took.")
    body = models.JSONField()

    class Meta:
        ordering = ["-period_start", "report_type"]
        constraints = [
            models.UniqueConstraint(fields=["report_type", "period_start"], name="report_unique_type_period")
        ]
        indexes = [models.Index(fields=["report_type", "-period_start"], name="report_type_recent")]

    def __str__(self) -> str:
        return f"{self.report_type} {self.period_start}"


class ReportSubscription(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_subscriptions")
    report_type = models.CharField(max_length=8, choices=ReportType.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    history = audit_history()

    class Meta:
        ordering = ["user_id", "report_type"]
        constraints = [models.UniqueConstraint(fields=["user", "report_type"], name="subscription_unique_user_type")]

    def __str__(self) -> str:
        return f"{self.user} ← {self.report_type}"


class ReportDelivery(models.Model):
    """One e-mail of one report to one address: inserted before sending, so a retry never mails twice."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="deliveries")
    email = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "report deliveries"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["report", "email"], name="delivery_unique_report_email")]

    def __str__(self) -> str:
        return f"{self.report} → {self.email}"
