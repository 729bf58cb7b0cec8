"""Records kept by the API machinery itself (not domain data)."""

from django.db import models


class IdempotencyRecord(models.Model):
    """One creating POST sent with an ``Idempotency-Key``: its fingerprint and, once done, its response."""

    principal = models.CharField(max_length=160, help_text="Who sent it: user:<id>, api_key:<id> or anonymous.")
    key = models.CharField(max_length=255, help_text="The client's Idempotency-Key header.")
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=2048)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and canonical body.")
    status_code = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty while in progress.")
    response_body = models.JSONField(null=True, blank=True)
    response_headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["principal", "key"], name="idempotency_unique_principal_key")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
