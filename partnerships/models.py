"""The four AI partnerships, their deliverables and the append-only history of deliverable changes."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from devsky.audit import audit_history
from partnerships.choices import DeliverableState, PartnershipType


class Partnership(models.Model):
    id = models.SlugField(primary_key=True, max_length=64, help_text="Slug used in URLs, e.g. technical_excellence.")
    type = models.CharField(max_length=16, choices=PartnershipType.choices, db_index=True)
    name = models.CharField(max_length=120)
    ai_partner = models.CharField(max_length=120, help_text="The AI systems behind it, e.g. 'Claude + Cursor'.")
    roles = models.JSONField(default=list, blank=True, help_text="What the partnership is responsible for.")
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True, help_text="At most one active partnership per type.")
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_partnerships",
        help_text="Notified first when one of the partnership's alerts escalates.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = audit_history()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["type"],
                condition=Q(active=True),
                name="one_active_partnership_per_type",
                violation_error_message="Another partnership of this type is active; deactivate it first.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Deliverable(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="deliverables")
    key = models.SlugField(max_length=64, help_text="Slug, unique within the partnership (used in URLs).")
    title = models.CharField(max_length=160, blank=True)
    description = models.TextField(blank=True)
    target_metric = models.CharField(max_length=200, blank=True, help_text="What 'done' means, in words.")
    completion = models.FloatField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(100)], help_text="Percent complete, 0 to 100."
    )
    status = models.CharField(max_length=255, blank=True, help_text="Free text, e.g. 'Implementation 85% done'.")
    state = models.CharField(max_length=16, choices=DeliverableState.choices, default=DeliverableState.PLANNED)
    weight = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    position = models.PositiveSmallIntegerField(default=0)
    due_date = models.DateField(null=True, blank=True)
    last_updated = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    history = audit_history()

    class Meta:
        ordering = ["partnership_id", "position", "key"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "key"], name="deliverable_unique_key_per_partnership"),
            models.CheckConstraint(
                condition=Q(completion__gte=0) & Q(completion__lte=100), name="deliverable_completion_0_100"
            ),
            models.CheckConstraint(condition=Q(weight__gte=1), name="deliverable_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.partnership_id}/{self.key}"


class DeliverableChange(models.Model):
    """One change of a deliverable's progress, state or status text. Never updated or deleted."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    changed_at = models.DateTimeField(db_index=True)
    from_completion = models.FloatField()
    to_completion = models.FloatField()
    from_state = models.CharField(max_length=16, choices=DeliverableState.choices)
    to_state = models.CharField(max_length=16, choices=DeliverableState.choices)
    status = models.CharField(max_length=255, blank=True)
    source = models.CharField(max_length=16, default="api", help_text="api, admin or seed.")
    request_id = models.CharField(max_length=128, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["deliverable", "-changed_at"], name="deliverable_change_recent")]

    def __str__(self) -> str:
        return f"{self.deliverable}: {self.from_completion} → {self.to_completion}"
