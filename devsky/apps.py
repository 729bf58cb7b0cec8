from django.apps import AppConfig


class DevskyConfig(AppConfig):
    """Cross-cutting API machinery (idempotency records) rather than domain models."""

    name = "devsky"
    verbose_name = "API infrastructure"
    default_auto_field = "django.db.models.BigAutoField"
