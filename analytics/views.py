"""The unsubscribe page linked from every report e-mail: works without logging in (signed token)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from analytics.services import unsubscribe_with_token


@require_safe
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    result = unsubscribe_with_token(token=token)
    if result is None:
        return render(request, "analytics/unsubscribe.html", {"ok": False}, status=400)
    return render(request, "analytics/unsubscribe.html", {"ok": True, "report_type": result[1]})
