"""Demo orders and costs: brand_amplification's ROI over 30 days is the document's example
(250,000 from 500 orders, 100,000 of cost → 150 %, 500 per order); the others have plausible figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from analytics.models import CostEntry, Order
from partnerships.models import Partnership

# partnership: (orders in the last 27 days, amount each, cost per 30 days)
DEMO = {
    "brand_amplification": (500, Decimal("500.00"), Decimal("100000")),
    "technical_excellence": (300, Decimal("420.00"), Decimal("80000")),
    "visual_intelligence": (400, Decimal("350.00"), Decimal("90000")),
    "customer_excellence": (600, Decimal("300.00"), Decimal("120000")),
}
COST_SPAN_DAYS = 730


def seed(*, log: Callable[[str], None]) -> None:
    existing = set(Partnership.objects.filter(pk__in=DEMO).values_list("pk", flat=True))
    if Order.objects.filter(order_id__startswith="DEMO-").exists():
        log("demo orders and costs exist, unchanged")
        seed_reports(log=log)
        return
    now = timezone.now()
    today = now.date()
    orders = []
    for partnership_id, (count, amount, cost_per_30) in DEMO.items():
        if partnership_id not in existing:
            continue
        orders += [
            Order(
                order_id=f"DEMO-{partnership_id}-{index:05d}",
                partnership_id=partnership_id,
                amount=amount,
                placed_at=now - timedelta(minutes=index * 27 * 24 * 60 // count),
                utm_source="instagram" if index % 3 else "newsletter",
            )
            for index in range(count)
        ]
        CostEntry.objects.create(
            partnership_id=partnership_id,
            amount=(cost_per_30 / 30 * COST_SPAN_DAYS).quantize(Decimal("0.01")),
            start_date=today - timedelta(days=COST_SPAN_DAYS // 2 - 1),
            end_date=today + timedelta(days=COST_SPAN_DAYS // 2),
            description="AI partnership fee (demo)",
        )
    Order.objects.bulk_create(orders, batch_size=1000, ignore_conflicts=True)
    log(f"{len(orders)} demo orders and {len(existing)} cost entries created")
    seed_reports(log=log)


def seed_reports(*, log: Callable[[str], None]) -> None:
    """The last complete day, week and month have reports (built once; later runs keep them)."""
    from analytics.models import Report
    from analytics.periods import TYPES, latest_finished
    from analytics.services import report_build

    built = []
    for report_type in TYPES:
        start, _end = latest_finished(report_type)
        if not Report.objects.filter(report_type=report_type, period_start=start).exists():
            report_build(report_type=report_type, start=start)
            built.append(f"{report_type} {start}")
    log(f"reports built: {', '.join(built) or 'none needed'}")
