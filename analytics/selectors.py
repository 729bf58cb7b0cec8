"""Reads of analytics: ROI over a window (DESIGN.md §5) and reports."""

from __future__ import annotations

from datetime import UTC, date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from analytics.models import CostEntry, Order, Report
from devsky.api.exceptions import ApplicationError, NotFoundError
from devsky.timeutil import day_bounds
from partnerships.models import Partnership

PERIODS = {"7_days": 7, "30_days": 30, "90_days": 90, "365_days": 365}
DEFAULT_PERIOD = "30_days"
CENT = Decimal("0.01")
MAX_WINDOW_DAYS = 3 * 366


def roi_window(
    *, period: str | None, start: date | None, end: date | None, today: date | None = None
) -> tuple[date, date, str]:
    """Inclusive dates of a named period ending today (UTC), or of explicit dates."""
    today = today or timezone.now().astimezone(UTC).date()
    if start or end:
        if period:
            raise ApplicationError("Give either period or start and end.", errors={"period": ["Not with start/end."]})
        if not (start and end):
            raise ApplicationError("Give both start and end.", errors={"start" if not start else "end": ["Required."]})
        if end < start:
            raise ApplicationError("end is before start.", errors={"end": ["Must not be before start."]})
        if (end - start).days >= MAX_WINDOW_DAYS:
            raise ApplicationError("The window may span at most three years.", errors={"start": ["Range too long."]})
        return start, end, f"{start.isoformat()}/{end.isoformat()}"
    period = period or DEFAULT_PERIOD
    if period not in PERIODS:
        raise ApplicationError(f"Unknown period {period!r}.", errors={"period": [f"Use one of {', '.join(PERIODS)}."]})
    return today - timedelta(days=PERIODS[period] - 1), today, period


def cost_accrued(*, partnership_ids: list[str], start: date, end: date) -> dict[str, Decimal]:
    """Each cost entry spread evenly over its days; the share of its days inside [start, end]."""
    totals: dict[str, Decimal] = dict.fromkeys(partnership_ids, Decimal(0))
    entries = CostEntry.objects.filter(
        partnership_id__in=partnership_ids, start_date__lte=end, end_date__gte=start
    ).values_list("partnership_id", "amount", "start_date", "end_date")
    for partnership_id, amount, entry_start, entry_end in entries:
        days = (entry_end - entry_start).days + 1
        overlap = (min(entry_end, end) - max(entry_start, start)).days + 1
        totals[partnership_id] += amount * overlap / days
    return {key: value.quantize(CENT, rounding=ROUND_HALF_UP) for key, value in totals.items()}


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    value = value.quantize(CENT, rounding=ROUND_HALF_UP)
    return int(value) if value == value.to_integral_value() else float(value)


def roi_compute(*, partnership_ids: list[str], start: date, end: date, label: str) -> list[dict[str, Any]]:
    """attributed_revenue, orders, revenue_per_order, cost and roi_percentage per partnership (one query each)."""
    low, high = day_bounds(start, end)
    sales = {
        row["partnership_id"]: row
        for row in Order.objects.filter(partnership_id__in=partnership_ids, placed_at__gte=low, placed_at__lt=high)
        .values("partnership_id")
        .annotate(revenue=Sum("amount"), orders=Count("id"))
        .order_by()
    }
    costs = cost_accrued(partnership_ids=partnership_ids, start=start, end=end)
    rows = []
    for partnership_id in partnership_ids:
        revenue = sales.get(partnership_id, {}).get("revenue") or Decimal(0)
        orders = sales.get(partnership_id, {}).get("orders") or 0
        cost = costs[partnership_id]
        rows.append(
            {
                "partnership_id": partnership_id,
                "attributed_revenue": _number(revenue),
                "orders": orders,
                "revenue_per_order": _number(revenue / orders) if orders else None,
                "cost": _number(cost),
                "roi_percentage": _number((revenue - cost) / cost * 100) if cost else None,
                "period": label,
                "start": start.isoformat(),
                "end": end.isoformat(),
            }
        )
    return rows


def roi_for(*, partnership_id: str | None, period: str | None, start: date | None, end: date | None) -> Any:
    """ROI of one partnership or of all, over a window; cached until orders, costs or partnerships change."""
    from analytics.cache import ROI_TTL, roi_key

    first, last, label = roi_window(period=period, start=start, end=end)
    key = roi_key(scope=partnership_id or "*", start=first.isoformat(), end=last.isoformat(), label=label)
    body = cache.get(key)
    if body is None:
        body = _roi_compute_for(partnership_id=partnership_id, first=first, last=last, label=label)
        cache.set(key, body, ROI_TTL)
    return body


def _roi_compute_for(*, partnership_id: str | None, first: date, last: date, label: str) -> Any:
    if partnership_id is not None:
        if not Partnership.objects.filter(pk=partnership_id).exists():
            raise NotFoundError(f"No partnership {partnership_id!r}.")
        return roi_compute(partnership_ids=[partnership_id], start=first, end=last, label=label)[0]
    # EXISTS, not a join: joining the orders to find the partnerships that have any reads every order.
    has_orders = Exists(Order.objects.filter(partnership_id=OuterRef("pk")))
    ids = list(Partnership.objects.filter(Q(active=True) | Q(has_orders)).values_list("pk", flat=True))
    return {
        "period": label,
        "start": first.isoformat(),
        "end": last.isoformat(),
        "partnerships": roi_compute(partnership_ids=sorted(ids), start=first, end=last, label=label),
    }


def report_for(*, report_type: str, day: date | None) -> dict[str, Any]:
    """The report of the period containing ``day`` (default: the latest finished one), built on request
    when the period is over but has no report yet; cached 5 minutes."""
    from analytics import services
    from analytics.cache import REPORT_TTL, report_key
    from analytics.models import Report
    from analytics.periods import TYPES, is_finished, latest_finished, period_containing

    if report_type not in TYPES:
        raise NotFoundError(f"Unknown report type {report_type!r}; use daily, weekly or monthly.")
    start, end = latest_finished(report_type) if day is None else period_containing(report_type, day)
    if not is_finished(end):
        raise NotFoundError(
            f"The {report_type} period {start.isoformat()} to {end.isoformat()} has not finished yet.",
            errors={"date": ["The period containing this date is not over."]},
        )
    key = report_key(report_type, start.isoformat())
    body = cache.get(key)
    if body is None:
        report = Report.objects.filter(report_type=report_type, period_start=start).first()
        if report is None:
            report = services.report_build(report_type=report_type, start=start)
        body = report.body
        cache.set(key, body, REPORT_TTL)
    return body


def report_build_seconds_latest() -> dict[str, float]:
    """Build time of the latest-generated report of each type (for the Prometheus exposition)."""
    latest: dict[str, float] = {}
    for report_type, seconds in (
        Report.objects.filter(build_seconds__isnull=False)
        .order_by("report_type", "-generated_at")
        .values_list("report_type", "build_seconds")
    ):
        latest.setdefault(report_type, seconds)
    return latest


def report_latest(*, limit: int = 5) -> QuerySet[Report]:
    """The most recently built reports, whatever their type."""
    return Report.objects.order_by("-generated_at", "-id")[:limit]
