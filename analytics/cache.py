"""Cache keys of analytics (DESIGN.md §11: reports 5 minutes)."""

import uuid

from django.core.cache import cache

REPORT_TTL = 5 * 60
REPORT_KEY = "analytics:report:v1:{report_type}:{start}"


def report_key(report_type: str, start: str) -> str:
    return REPORT_KEY.format(report_type=report_type, start=start)


def invalidate_report(report_type: str, start: str) -> None:
    cache.delete(report_key(report_type, start))


# ROI (DESIGN.md §5) sums every order of its window, 10-20 ms a window at 500,000 orders; its answers are
# cached under a generation token that every write to orders, costs or partnerships replaces (services
# and model signals, after the commit), so the next read recomputes. A write that bypasses both
# (QuerySet.update) is seen within ROI_TTL.
ROI_TTL = 60
ROI_GENERATION_KEY = "analytics:roi:generation"
ROI_KEY = "analytics:roi:v1:{generation}:{scope}:{start}:{end}:{label}"


def roi_key(*, scope: str, start: str, end: str, label: str) -> str:
    generation = cache.get(ROI_GENERATION_KEY)
    if generation is None:
        cache.add(ROI_GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(ROI_GENERATION_KEY) or "none"
    return ROI_KEY.format(generation=generation, scope=scope, start=start, end=end, label=label)


def invalidate_roi() -> None:
    cache.set(ROI_GENERATION_KEY, uuid.uuid4().hex, None)


def roi_cache_connect() -> None:
    """Model signals for writes outside the services (admin, shell): called from AnalyticsConfig.ready."""
    from django.db import transaction
    from django.db.models.signals import post_delete, post_save

    from analytics.models import CostEntry, Order
    from partnerships.models import Partnership

    def changed(**_kwargs) -> None:
        transaction.on_commit(invalidate_roi)

    for model in (Order, CostEntry, Partnership):
        for signal in (post_save, post_delete):
            signal.connect(changed, sender=model, weak=False, dispatch_uid=f"analytics.roi.{model.__name__}")
