"""KPI catalog and metric samples (the decision engine and configuration follow)."""

from django.db import models
from django.db.models import Q

from orchestration.choices import Direction
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
