"""Cache keys of analytics (DESIGN.md §11: reports 5 minutes)."""

from django.core.cache import cache

REPORT_TTL = 5 * 60
REPORT_KEY = "analytics:report:v1:{report_type}:{start}"


def report_key(report_type: str, start: str) -> str:
    return REPORT_KEY.format(report_type=report_type, start=start)


def invalidate_report(report_type: str, start: str) -> None:
    cache.delete(report_key(report_type, start))
