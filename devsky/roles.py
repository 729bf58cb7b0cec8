"""The roles of DESIGN.md §10. Roles are Django groups with exactly these names."""

from __future__ import annotations

ORCHESTRATION_ADMIN = "orchestration_admin"
PARTNERSHIP_MANAGER = "partnership_manager"
METRICS_VIEWER = "metrics_viewer"
CONTENT_MANAGER = "content_manager"
METRICS_COLLECTOR = "metrics_collector"

ROLES = (ORCHESTRATION_ADMIN, PARTNERSHIP_MANAGER, METRICS_VIEWER, CONTENT_MANAGER, METRICS_COLLECTOR)

# Admin-site model permissions per role, so the admin follows the API's rules (DESIGN.md §10). A key is an
# app label (every model of the app, its audit tables included) or "app_label.model" (that model and its
# audit table). Applied after every migrate (devsky.apps), so models added later are covered as they appear.
ROLE_ADMIN_PERMISSIONS: dict[str, dict[str, set[str]]] = {
    ORCHESTRATION_ADMIN: {
        app: {"view", "add", "change", "delete"}
        for app in (
            "orchestration",
            "partnerships",
            "content",
            "analytics",
            "communication",
            "integrations",
            "django_celery_beat",
            "devsky",
            "oauth2_provider",
            "auth",
            "token_blacklist",
        )
    },
    PARTNERSHIP_MANAGER: {
        "partnerships": {"view", "add", "change"},
        "analytics": {"view"},
        # escalation recipients: they see alerts (and acknowledge them) and security incidents
        "orchestration.alert": {"view"},
        "orchestration.alertnotification": {"view"},
        "orchestration.securityincident": {"view"},
    },
    # metrics and reports only: decisions, rule sets and configuration are admin-only
    METRICS_VIEWER: {
        "orchestration.kpi": {"view"},
        "orchestration.metricsample": {"view"},
        "analytics.report": {"view"},
        "orchestration.alert": {"view"},
        "orchestration.alertnotification": {"view"},
    },
    CONTENT_MANAGER: {"content": {"view", "add", "change"}},
    METRICS_COLLECTOR: {},
}


def user_roles(user) -> frozenset[str]:
    """The roles a user holds; a superuser holds orchestration_admin. Cached on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_devsky_roles", None)
    if cached is None:
        names = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        if user.is_superuser:
            names.add(ORCHESTRATION_ADMIN)
        cached = frozenset(names)
        user._devsky_roles = cached
    return cached


def roles_sync_permissions(**_kwargs) -> None:
    """Create the role groups if missing and give each exactly its admin permissions (post_migrate)."""
    from django.contrib.auth.models import Group, Permission

    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        wanted = ROLE_ADMIN_PERMISSIONS.get(role, {})
        apps = {key.split(".", 1)[0] for key in wanted}
        permissions = [
            permission
            for permission in Permission.objects.select_related("content_type").filter(content_type__app_label__in=apps)
            if permission.codename.split("_", 1)[0] in _granted(wanted, permission.content_type)
        ]
        group.permissions.set(permissions)


def _granted(wanted: dict[str, set[str]], content_type) -> set[str]:
    """The actions a role holds on one model: from its app's entry or the model's own (audit tables follow)."""
    model = content_type.model.removeprefix("historical")
    return wanted.get(content_type.app_label, set()) | wanted.get(f"{content_type.app_label}.{model}", set())
