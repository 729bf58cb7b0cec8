from django.db import models


class Gadget(models.Model):
    """A versioned resource, like a deliverable or the orchestration config."""

    name = models.CharField(max_length=50, unique=True)
    size = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
