"""Demo KPI history: 30 days of hourly samples whose latest values are DESIGN.md §3's demo values.

Earlier values drift a few percent away from the latest and wave a little, so charts look real. A
later run tops the series up to the current hour with the demo values, so the demo stays fresh
(and /health stays 'healthy') without changing anything within the same hour.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from orchestration import cache as keys
from orchestration.defaults import KPI_CATALOG
from orchestration.models import Decision, Kpi, MetricSample, RuleSet
from partnerships.models import Partnership

DEMO_LATEST = {
    "development_velocity": 35.2,
    "system_uptime": 99.95,
    "api_response_time": 85,
    "security_score": 100,
    "social_engagement": 285,
    "viral_coefficient": 2.3,
    "brand_sentiment": 87,
    "social_revenue": 22,
    "visual_search_accuracy": 94,
    "session_duration": 55,
    "conversion_rate": 32,
    "user_satisfaction": 4.7,
    "customer_satisfaction": 92,
    "support_efficiency": 45,
    "average_order_value": 38,
    "first_contact_resolution": 93,
}
CAPS = {"system_uptime": 100.0, "security_score": 100.0, "user_satisfaction": 5.0, "visual_search_accuracy": 100.0}
HISTORY_HOURS = 30 * 24
SOURCE = "demo"
# The requirements document's decision example (DESIGN.md §4): stored once so the admin has a decision to show.
DEMO_DECISION = {
    "revenue_impact": 500000,
    "customer_impact": 5000,
    "estimated_cost": 100000,
    "expected_revenue": 300000,
    "affects_technical": True,
}


def demo_value(*, key: str, direction: str, age_hours: int) -> float:
    """The demo value ``age_hours`` before the latest sample (age 0 is exactly the demo value)."""
    latest = DEMO_LATEST[key]
    if age_hours == 0:
        return latest
    drift = 0.06 * age_hours / HISTORY_HOURS
    wave = 0.01 * math.sin(age_hours / 7.0)
    factor = 1 + drift + wave if direction == "lower" else 1 - drift + wave
    return round(min(latest * factor, CAPS.get(key, math.inf)), 2)


def ensure_kpi_catalog() -> None:
    """The catalog is installed by a migration; a flushed database (tests) gets it back here."""
    if Kpi.objects.exists():
        return
    for position, (kind, key, label, unit, target, direction, headline_name) in enumerate(KPI_CATALOG, start=1):
        Kpi.objects.create(
            partnership_type=kind,
            key=key,
            label=label,
            unit=unit,
            target=target,
            direction=direction,
            headline=bool(headline_name),
            headline_name=headline_name,
            position=position,
        )


def seed(*, log: Callable[[str], None]) -> None:
    ensure_kpi_catalog()
    current_hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    partnerships = {p.type: p for p in Partnership.objects.filter(active=True)}
    newest: dict[tuple[str, int], datetime | None] = {
        (row["partnership_id"], row["kpi_id"]): row["latest"]
        for row in MetricSample.objects.values("partnership_id", "kpi_id").annotate(latest=Max("recorded_at"))
    }
    rows: list[MetricSample] = []
    for kpi in Kpi.objects.filter(key__in=DEMO_LATEST):
        partnership = partnerships.get(kpi.partnership_type)
        if partnership is None:
            continue
        last = newest.get((partnership.pk, kpi.pk))
        if last is None:
            hours = [current_hour - timedelta(hours=age) for age in range(HISTORY_HOURS - 1, -1, -1)]
            values = [
                demo_value(
                    key=kpi.key, direction=kpi.direction, age_hours=int((current_hour - at).total_seconds() // 3600)
                )
                for at in hours
            ]
        else:
            hours = []
            at = last + timedelta(hours=1)
            while at <= current_hour:
                hours.append(at)
                at += timedelta(hours=1)
            values = [DEMO_LATEST[kpi.key]] * len(hours)
        rows += [
            MetricSample(partnership=partnership, kpi=kpi, value=value, recorded_at=at, source=SOURCE)
            for at, value in zip(hours, values, strict=True)
        ]
    MetricSample.objects.bulk_create(rows, batch_size=2000)
    keys.invalidate_metrics_and_health()
    log(f"{len(rows)} KPI samples added (history up to {current_hour:%Y-%m-%d %H:00} UTC)")
    seed_decision(log=log)


def seed_decision(*, log: Callable[[str], None]) -> None:
    from orchestration.services import decision_make

    if Decision.objects.exists() or not RuleSet.objects.filter(active=True).exists():
        return  # (a flushed test database has no rule set: nothing to decide with)
    answer = decision_make(context=DEMO_DECISION)
    log(f"demo decision #{answer['id']} stored: {answer['decision']}")
