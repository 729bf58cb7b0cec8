"""The admin index's dashboard: one read composed of the apps' own selectors, cut to what the user may see.

Nothing is computed here that an app already computes: health and headline values come from
orchestration's health, progress from partnerships, 30-day series from the metric-series selector,
reports and decisions from their apps.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from analytics.charts import sparkline_svg

SPARKLINE_DAYS = 30
DUE_SOON_DAYS = 30


def kpi_trends(*, partnership_type: str, days: int = SPARKLINE_DAYS, width: int = 120, height: int = 28) -> list[dict]:
    """Each KPI of a partnership type: latest value, target, attainment and a daily-average sparkline."""
    from orchestration.selectors import attainment, kpi_catalog, latest_samples, metric_series

    until = timezone.now()
    since = until - timedelta(days=days)
    catalog = {kpi["key"]: kpi for kpi in kpi_catalog() if kpi["partnership_type"] == partnership_type}
    entry = latest_samples(partnership_types=[partnership_type])[partnership_type]
    trends = []
    for kpi in entry["kpis"]:
        series = metric_series(
            partnership_type=partnership_type,
            metric=kpi["key"],
            since=since,
            until=until,
            bucket="day",
        )
        value = kpi["latest_value"]
        trends.append(
            {
                "key": kpi["key"],
                "label": catalog[kpi["key"]]["label"],
                "unit": catalog[kpi["key"]]["unit"],
                "headline": bool(kpi["headline_name"]),
                "value": value,
                "target": kpi["target"],
                "direction": kpi["direction"],
                "attainment": None
                if value is None
                else round(attainment(value=value, target=kpi["target"], direction=kpi["direction"]), 2),
                "sparkline": sparkline_svg(
                    [point["avg"] for point in series["points"]],
                    target=kpi["target"],
                    width=width,
                    height=height,
                    label=kpi["key"],
                ),
            }
        )
    return trends


def dashboard(*, user: Any) -> dict[str, Any]:
    """The panels of the admin index for ``user``; a panel the user's role may not read is left out (None)."""
    from analytics.selectors import report_latest
    from orchestration.selectors import alert_list, decision_list, health_current
    from partnerships.selectors import deliverables_due, partnership_summaries

    can = user.has_perm
    sees_partnerships = can("partnerships.view_partnership")
    sees_kpis = sees_partnerships or can("orchestration.view_kpi")
    health = health_current()
    partnerships = []
    if sees_kpis:
        for summary in partnership_summaries(partnership_ids=None):
            if not summary["active"]:
                continue
            trends = kpi_trends(partnership_type=summary["type"])
            partnerships.append(
                {
                    **summary,
                    "headline": next((trend for trend in trends if trend["headline"]), None),
                    "kpis": trends,
                }
            )
    return {
        "status": health["status"],
        "last_updated": health["last_updated"],
        "partnerships": partnerships if sees_kpis else None,
        "show_progress": sees_partnerships,
        "due_soon": list(deliverables_due(days=DUE_SOON_DAYS)) if can("partnerships.view_deliverable") else None,
        "due_days": DUE_SOON_DAYS,
        "reports": list(report_latest(limit=5)) if can("analytics.view_report") else None,
        "decisions": list(decision_list()[:5]) if can("orchestration.view_decision") else None,
        "alerts": list(alert_list().filter(resolved_at__isnull=True)[:8]) if can("orchestration.view_alert") else None,
    }
