"""Records kept by the API machinery itself (not domain data)."""

from django.conf import settings
from django.db import models
from rest_framework_api_key.models import AbstractAPIKey, APIKeyManager


class IdempotencyRecord(models.Model):
    """One creating POST sent with an ``Idempotency-Key``: its fingerprint and, once done, its response."""

    principal = models.CharField(max_length=160, help_text="Who sent it: api_key:<id>, user:<id> or ip:<address>.")
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


class UserAPIKeyManager(APIKeyManager):
    def get_usable_keys(self) -> models.QuerySet:
        # The owner is needed on every authenticated request: fetch it in the same query.
        return super().get_usable_keys().select_related("user")


class UserAPIKey(AbstractAPIKey):
    """An API key for service-to-service calls; it acts with the roles of the user it belongs to.

    Only a hash of the key is stored (djangorestframework-api-key); the key is shown once, at creation.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys")
    last_used_at = models.DateTimeField(null=True, blank=True, help_text="Updated at most once a minute.")

    objects = UserAPIKeyManager()

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "API key"
        verbose_name_plural = "API keys"
        ordering = ["-created"]
