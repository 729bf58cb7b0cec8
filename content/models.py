"""The brand's content library and influencer network (DESIGN.md §6).

Validation lives here, once: field validators and ``clean`` for what the database cannot check, check
constraints for what it can. The API and the admin both save through content.services, which calls
``full_clean``.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone

from content.choices import InfluencerStatus, Platform, Tier, tier_for
from devsky.audit import audit_history

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class Influencer(models.Model):
    name = models.CharField(max_length=100, help_text="The handle, e.g. LuxuryLifestyle_Anna.")
    platform = models.CharField(max_length=16, choices=Platform.choices)
    followers = models.PositiveBigIntegerField(default=0)
    engagement_rate = models.FloatField(default=0, validators=PERCENT, help_text="Percent, 0 to 100.")
    tier = models.CharField(max_length=8, choices=Tier.choices, blank=True, help_text="From followers when left empty.")
    status = models.CharField(max_length=16, choices=InfluencerStatus.choices, default=InfluencerStatus.PROSPECT)
    verified = models.BooleanField(default=False)
    contact = models.CharField(max_length=200, blank=True, help_text="E-mail, agent or phone.")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = audit_history()

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "platform",
                name="influencer_unique_handle_per_platform",
                violation_error_message="An influencer with this name already exists on this platform.",
            ),
            models.CheckConstraint(
                condition=Q(engagement_rate__gte=0) & Q(engagement_rate__lte=100), name="influencer_rate_0_100"
            ),
        ]
        indexes = [
            models.Index(fields=["platform", "-id"], name="influencer_platform"),
            models.Index(fields=["tier", "-id"], name="influencer_tier"),
            models.Index(fields=["status", "-id"], name="influencer_status"),
            models.Index(fields=["-followers", "-id"], name="influencer_followers"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.platform})"

    def clean(self) -> None:
        super().clean()
        if not self.tier:
            self.tier = tier_for(self.followers or 0)


class ContentPiece(models.Model):
    platform = models.CharField(max_length=16, choices=Platform.choices)
    content_type = models.SlugField(max_length=64, help_text="e.g. luxury_showcase")
    title = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=500, blank=True)
    published_at = models.DateTimeField(default=timezone.now)
    reach = models.PositiveBigIntegerField(default=0)
    impressions = models.PositiveBigIntegerField(default=0)
    conversions = models.PositiveBigIntegerField(default=0, help_text="At most the reach.")
    engagement_rate = models.FloatField(default=0, validators=PERCENT, help_text="Percent, 0 to 100.")
    partnership = models.ForeignKey(
        "partnerships.Partnership", null=True, blank=True, on_delete=models.SET_NULL, related_name="content"
    )
    influencer = models.ForeignKey(Influencer, null=True, blank=True, on_delete=models.SET_NULL, related_name="content")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = audit_history()

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(conversions__lte=F("reach")), name="content_conversions_within_reach"),
            models.CheckConstraint(
                condition=Q(engagement_rate__gte=0) & Q(engagement_rate__lte=100), name="content_rate_0_100"
            ),
        ]
        indexes = [
            # keyset pages: the default order, and the same order within each filter
            models.Index(fields=["-published_at", "-id"], name="content_recent"),
            models.Index(fields=["platform", "-published_at", "-id"], name="content_platform_recent"),
            models.Index(fields=["content_type", "-published_at", "-id"], name="content_type_recent"),
            models.Index(fields=["partnership", "-published_at", "-id"], name="content_partnership_recent"),
            models.Index(fields=["influencer", "-published_at", "-id"], name="content_influencer_recent"),
            models.Index(fields=["-engagement_rate", "-id"], name="content_engagement"),
            models.Index(fields=["-reach", "-id"], name="content_reach"),
        ]

    def __str__(self) -> str:
        return f"{self.platform}/{self.content_type} #{self.pk}"

    def clean(self) -> None:
        super().clean()
        if self.conversions is not None and self.reach is not None and self.conversions > self.reach:
            raise ValidationError({"conversions": "Conversions cannot exceed the reach."})
