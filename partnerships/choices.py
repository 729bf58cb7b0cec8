from django.db import models


class PartnershipType(models.TextChoices):
    TECHNICAL = "technical", "Technical"
    BRAND = "brand", "Brand"
    VISUAL = "visual", "Visual"
    CUSTOMER = "customer", "Customer"


class DeliverableState(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"
