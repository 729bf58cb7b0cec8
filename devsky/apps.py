from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DevskyConfig(AppConfig):
    """Cross-cutting API machinery: idempotency records, API keys, roles."""

    name = "devsky"
    verbose_name = "Access and API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import devsky.api.schema  # noqa: F401 - registers the OpenAPI extension for API-key authentication
        from devsky.api.principal import user_cache_connect
        from devsky.roles import roles_sync_permissions

        user_cache_connect()

        # After every migrate (all apps), so the roles' admin permissions cover models added later.
        post_migrate.connect(roles_sync_permissions, dispatch_uid="devsky.roles_sync_permissions")
