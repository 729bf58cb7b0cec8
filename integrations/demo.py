"""Demo integrations: the built-in content-library collector, configured but paused, so the demo's
KPIs stay as documented until someone enables it in the admin; and a first alert evaluation."""

from __future__ import annotations

from collections.abc import Callable

from integrations.models import Collector
from orchestration.services import alerts_evaluate
from partnerships.models import Partnership


def seed(*, log: Callable[[str], None]) -> None:
    brand = Partnership.objects.filter(type="brand", active=True).first()
    if brand is None:
        return
    _collector, created = Collector.objects.get_or_create(
        name="content-library",
        defaults={"kind": "content_library", "partnership": brand, "enabled": False, "settings": {"window_days": 30}},
    )
    log("content-library collector " + ("created (paused; enable it in the admin)" if created else "exists"))
    counts = alerts_evaluate()  # the demo KPIs that miss their targets show up as open alerts
    log(f"alerts: {counts['open']} open ({counts['opened']} opened now)")
