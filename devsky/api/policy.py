"""The one permission policy of the API (DESIGN.md §10).

Every API view names its endpoint group (``policy_group``). ``POLICY`` maps (group, HTTP method) to
the permission it needs; ``ROLE_PERMISSIONS`` says which role holds which permission. One DRF
permission class, the default for every view, applies both; a test walks the URL conf and fails if
any route's group is missing here. OAuth 2.0 tokens act with the intersection of their scopes and
their user's roles.
"""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from devsky.roles import (
    CONTENT_MANAGER,
    METRICS_COLLECTOR,
    METRICS_VIEWER,
    ORCHESTRATION_ADMIN,
    PARTNERSHIP_MANAGER,
    user_roles,
)

READ, WRITE, DELETE, CONFIGURE = "read", "write", "delete", "configure"
ACTIONS = (READ, WRITE, DELETE, CONFIGURE)

#: Groups anyone may call (documentation, the entry point, token endpoints that check their own credentials).
PUBLIC_GROUPS = frozenset({"public", "auth"})

#: Endpoint groups: orchestration health, orchestration metrics (and sample ingestion), the decision
#: engine, partnerships/*, content/*, analytics reports, the rest of analytics (ROI...), order ingestion,
#: communication/*, configuration, report subscriptions, alerts (read; acknowledge is a write), security
#: incidents (reporting) and their resolution (admins only), integrations (collectors, runs, webhooks).
GROUPS = (
    "health",
    "metrics",
    "decisions",
    "partnerships",
    "content",
    "reports",
    "analytics",
    "orders",
    "communication",
    "config",
    "subscriptions",
    "alerts",
    "incidents",
    "incident_resolution",
    "integrations",
)

_METHOD_ACTIONS = {
    "GET": READ,
    "HEAD": READ,
    "OPTIONS": READ,
    "POST": WRITE,
    "PUT": WRITE,
    "PATCH": WRITE,
    "DELETE": DELETE,
}

#: (group, method) → the permission ("group:action") a request needs.
POLICY: dict[tuple[str, str], str] = {
    (group, method): f"{group}:{CONFIGURE if group == 'config' and action == WRITE else action}"
    for group in GROUPS
    for method, action in _METHOD_ACTIONS.items()
}
# Subscribing to a report is a reader's own preference: whoever may read reports may manage theirs.
POLICY.update({("subscriptions", method): "reports:read" for method in _METHOD_ACTIONS})

#: role → the permissions it holds.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    ORCHESTRATION_ADMIN: frozenset(f"{group}:{action}" for group in GROUPS for action in ACTIONS),
    PARTNERSHIP_MANAGER: frozenset(
        {
            "partnerships:read",
            "partnerships:write",
            "reports:read",
            "analytics:read",
            "health:read",
            "alerts:read",
            "alerts:write",
            "incidents:read",
        }
    ),
    METRICS_VIEWER: frozenset({"metrics:read", "reports:read", "health:read", "alerts:read"}),
    CONTENT_MANAGER: frozenset({"content:read", "content:write", "health:read"}),
    METRICS_COLLECTOR: frozenset({"metrics:write", "orders:write", "health:read", "incidents:write"}),
}

#: The OAuth 2.0 scope a permission needs.
SCOPE_OF_ACTION = {READ: "read", WRITE: "write", DELETE: "delete", CONFIGURE: "configure"}


class PolicyError(LookupError):
    """A view without a group in the policy: a programming error, refused rather than let through."""


def required_permission(group: str, method: str) -> str | None:
    """The permission a request needs; None for public groups. Unknown groups raise PolicyError."""
    if group in PUBLIC_GROUPS:
        return None
    try:
        return POLICY[(group, method.upper())]
    except KeyError:
        raise PolicyError(f"no policy for endpoint group {group!r} and method {method!r}") from None


def permissions_of(user) -> frozenset[str]:
    held: set[str] = set()
    for role in user_roles(user):
        held |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(held)


def token_scopes(request: Request) -> frozenset[str] | None:
    """The scopes of an OAuth 2.0 access token, or None when the request did not come through OAuth."""
    from oauth2_provider.models import AbstractAccessToken

    if isinstance(request.auth, AbstractAccessToken):
        return frozenset(request.auth.scope.split())
    return None


def request_allowed(request: Request, group: str) -> bool:
    permission = required_permission(group, request.method)
    if permission is None:
        return True
    if permission not in permissions_of(request.user):
        return False
    scopes = token_scopes(request)
    return scopes is None or SCOPE_OF_ACTION[permission.split(":", 1)[1]] in scopes


class PolicyPermission(BasePermission):
    """The default permission class of every API view."""

    message = "Your role does not allow this action."

    def has_permission(self, request: Request, view: Any) -> bool:
        group = getattr(view, "policy_group", "")
        if group in PUBLIC_GROUPS:
            return True
        if request.method.upper() not in _METHOD_ACTIONS:
            raise MethodNotAllowed(request.method)  # TRACE, CONNECT...: no API endpoint answers them
        if not (request.user and request.user.is_authenticated):
            return False  # DRF answers 401 with WWW-Authenticate
        return request_allowed(request, group)
