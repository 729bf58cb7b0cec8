"""The live page: health and partnership progress updating in place over the event stream.

Server-rendered (no build step), for staff and as a working example of a WebSocket client.
"""

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from orchestration.selectors import health_current
from partnerships.selectors import partnership_summaries


@staff_member_required
def live(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "orchestration/live.html",
        {"health": health_current(), "partnerships": partnership_summaries(), "title": "Live status"},
    )
