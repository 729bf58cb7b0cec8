"""The benchmark's yardstick: a plain Django ``JsonResponse`` view with no DRF, no database and no cache.

Every API endpoint's throughput is reported as a fraction of this view's, served by the same server,
settings and middleware in the same run, so the ratio carries over to other machines. It answers only
when ``DEVSKY_BENCH_BARE_VIEW`` is on (the HTTP benchmark turns it on); otherwise it is a 404.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse


def bare_json(request: HttpRequest) -> JsonResponse:
    if not settings.DEVSKY_BENCH_BARE_VIEW:
        raise Http404
    return JsonResponse({"status": "ok"})
