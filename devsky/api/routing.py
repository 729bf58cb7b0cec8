"""Routes that answer with and without a trailing slash, without redirecting (DESIGN.md §9)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.urls import URLPattern, re_path
from rest_framework.routers import SimpleRouter

OPTIONAL_SLASH = "/?"

# The parameter types a route may use, as in Django's path() syntax.
_CONVERTERS = {
    "str": r"[^/]+",
    "slug": r"[-a-zA-Z0-9_]+",
    "int": r"[0-9]+",
    "uuid": r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
}
_PARAMETER = re.compile(r"<(?:(?P<converter>[a-z]+):)?(?P<name>[a-zA-Z_][a-zA-Z0-9_]*)>")


def route_regex(route: str) -> str:
    """``"partnerships/<slug:partnership_id>/status"`` → an anchored regex with an optional final slash."""
    parts: list[str] = []
    position = 0
    for match in _PARAMETER.finditer(route):
        parts.append(re.escape(route[position : match.start()]))
        converter = match.group("converter") or "str"
        if converter not in _CONVERTERS:
            raise ValueError(f"unknown converter {converter!r} in route {route!r}")
        parts.append(f"(?P<{match.group('name')}>{_CONVERTERS[converter]})")
        position = match.end()
    parts.append(re.escape(route[position:].rstrip("/")))
    body = "".join(parts)
    return f"^{body}{OPTIONAL_SLASH}$" if body else "^$"


def api_path(route: str, view: Callable[..., Any], name: str | None = None, **kwargs: Any) -> URLPattern:
    """Like ``django.urls.path`` but the route matches with and without its trailing slash.

    Parameters arrive as strings (``int`` only restricts the characters); views convert and validate.
    """
    return re_path(route_regex(route), view, kwargs or None, name=name)


class ApiRouter(SimpleRouter):
    """DRF router whose routes all accept an optional trailing slash.

    DRF's ``trailing_slash`` argument is a boolean, so the regex is set after construction.
    """

    def __init__(self) -> None:
        super().__init__(use_regex_path=True)
        self.trailing_slash = OPTIONAL_SLASH
