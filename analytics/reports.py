"""Report builders (DESIGN.md §7): every figure is aggregated in the database; the summary is derived
from those figures by the rules in ``summarise`` (documented in the README)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Avg, Count, Max, Min, OuterRef, Subquery, Sum

from analytics.selectors import roi_compute
from content.models import ContentPiece, Influencer
from devsky.timeutil import day_bounds
from orchestration.models import Kpi, MetricSample
from orchestration.selectors import attainment, config_current, health_level
from partnerships.models import Deliverable, DeliverableChange, Partnership

LIST_LIMIT = 5


def _kpi_state_at(moment: datetime, partnership_ids: list[str]) -> dict[tuple[str, int], float]:
    """The latest value of every (partnership, KPI) before ``moment``: one query of index seeks."""
    newest = MetricSample.objects.filter(
        kpi=OuterRef("pk"), partnership_id=OuterRef("partnership_id"), recorded_at__lt=moment
    ).order_by("-recorded_at")
    rows = (
        Kpi.objects.filter(partnership_type__in=Partnership.objects.filter(pk__in=partnership_ids).values("type"))
        .annotate(
            partnership_id=Subquery(
                Partnership.objects.filter(type=OuterRef("partnership_type"), pk__in=partnership_ids).values("pk")[:1]
            )
        )
        .annotate(value=Subquery(newest.values("value")[:1]))
        .values("partnership_id", "pk", "value")
    )
    return {(row["partnership_id"], row["pk"]): row["value"] for row in rows if row["value"] is not None}


def _score(values: dict[int, float], kpis: list[dict[str, Any]]) -> float | None:
    scores = [
        attainment(value=values[kpi["id"]], target=kpi["target"], direction=kpi["direction"])
        for kpi in kpis
        if kpi["id"] in values
    ]
    return round(sum(scores) / len(scores), 2) if scores else None


def _progress_at(
    moment: datetime, deliverables: list[Deliverable], changes_after: dict[int, DeliverableChange]
) -> dict[str, float]:
    """Progress per partnership as it stood at ``moment``: a change after it tells the value before it."""
    weighted: dict[str, float] = {}
    weights: dict[str, float] = {}
    for deliverable in deliverables:
        later = changes_after.get(deliverable.pk)
        completion = later.from_completion if later else deliverable.completion
        state = later.from_state if later else deliverable.state
        if state == "cancelled":
            continue
        weighted[deliverable.partnership_id] = (
            weighted.get(deliverable.partnership_id, 0) + completion * deliverable.weight
        )
        weights[deliverable.partnership_id] = weights.get(deliverable.partnership_id, 0) + deliverable.weight
    return {key: round(weighted[key] / weights[key], 2) for key in weighted if weights[key]}


def _first_change_after(moment: datetime) -> dict[int, DeliverableChange]:
    first: dict[int, DeliverableChange] = {}
    for change in DeliverableChange.objects.filter(changed_at__gte=moment).order_by("changed_at", "id"):
        first.setdefault(change.deliverable_id, change)
    return first


def report_compute(*, report_type: str, start: date, end: date) -> dict[str, Any]:
    low, high = day_bounds(start, end)
    config = config_current()
    partnerships = list(Partnership.objects.filter(active=True).values("id", "type", "name"))
    ids = [p["id"] for p in partnerships]
    kpis = list(Kpi.objects.values("id", "partnership_type", "key", "label", "unit", "target", "direction"))

    aggregates = {
        (row["partnership_id"], row["kpi_id"]): row
        for row in MetricSample.objects.filter(partnership_id__in=ids, recorded_at__gte=low, recorded_at__lt=high)
        .values("partnership_id", "kpi_id")
        .annotate(avg=Avg("value"), min=Min("value"), max=Max("value"), count=Count("id"))
        .order_by()
    }
    at_start, at_end = _kpi_state_at(low, ids), _kpi_state_at(high, ids)
    deliverables = list(Deliverable.objects.filter(partnership_id__in=ids))
    progress_start = _progress_at(low, deliverables, _first_change_after(low))
    progress_end = _progress_at(high, deliverables, _first_change_after(high))
    moves = list(
        DeliverableChange.objects.filter(changed_at__gte=low, changed_at__lt=high, deliverable__partnership_id__in=ids)
        .values("deliverable__partnership_id", "deliverable__key")
        .annotate(first=Min("changed_at"), last=Max("changed_at"), changes=Count("id"))
        .order_by()
    )
    completed = set(
        DeliverableChange.objects.filter(changed_at__gte=low, changed_at__lt=high, to_state="done").values_list(
            "deliverable__partnership_id", "deliverable__key"
        )
    )
    content_rows = {
        row["partnership_id"]: row
        for row in ContentPiece.objects.filter(published_at__gte=low, published_at__lt=high)
        .values("partnership_id")
        .annotate(
            pieces=Count("id"), reach=Sum("reach"), conversions=Sum("conversions"), engagement=Avg("engagement_rate")
        )
        .order_by()
    }
    roi = {
        row["partnership_id"]: row
        for row in roi_compute(partnership_ids=ids, start=start, end=end, label=f"{start}/{end}")
    }

    body_partnerships: dict[str, Any] = {}
    for partnership in partnerships:
        pid = partnership["id"]
        type_kpis = [kpi for kpi in kpis if kpi["partnership_type"] == partnership["type"]]
        end_values = {kpi["id"]: at_end[(pid, kpi["id"])] for kpi in type_kpis if (pid, kpi["id"]) in at_end}
        start_values = {kpi["id"]: at_start[(pid, kpi["id"])] for kpi in type_kpis if (pid, kpi["id"]) in at_start}
        score_end, score_start = _score(end_values, type_kpis), _score(start_values, type_kpis)
        kpi_rows = {}
        for kpi in type_kpis:
            agg = aggregates.get((pid, kpi["id"]))
            value = end_values.get(kpi["id"])
            kpi_rows[kpi["key"]] = {
                "label": kpi["label"],
                "target": kpi["target"],
                "unit": kpi["unit"],
                "average": round(agg["avg"], 4) if agg else None,
                "min": agg["min"] if agg else None,
                "max": agg["max"] if agg else None,
                "samples": agg["count"] if agg else 0,
                "value_at_end": value,
                "attainment": None
                if value is None
                else round(attainment(value=value, target=kpi["target"], direction=kpi["direction"]), 2),
            }
        content = content_rows.get(pid)
        body_partnerships[pid] = {
            "name": partnership["name"],
            "type": partnership["type"],
            "health": health_level(score=score_end, thresholds=config["health_thresholds"]),
            "score": score_end,
            "score_change": None if score_end is None or score_start is None else round(score_end - score_start, 2),
            "progress": progress_end.get(pid, 0.0),
            "progress_change": round(progress_end.get(pid, 0.0) - progress_start.get(pid, 0.0), 2),
            "kpis": kpi_rows,
            "deliverables_moved": [
                {
                    "deliverable": move["deliverable__key"],
                    "changes": move["changes"],
                    "completed": (pid, move["deliverable__key"]) in completed,
                }
                for move in moves
                if move["deliverable__partnership_id"] == pid
            ],
            "content": {
                "pieces": content["pieces"] if content else 0,
                "reach": content["reach"] if content else 0,
                "conversions": content["conversions"] if content else 0,
                "engagement_rate": round(content["engagement"], 2)
                if content and content["engagement"] is not None
                else None,
            },
            "roi": {
                key: roi[pid][key]
                for key in ("attributed_revenue", "orders", "revenue_per_order", "cost", "roi_percentage")
            },
        }

    window = ContentPiece.objects.filter(published_at__gte=low, published_at__lt=high)
    totals = window.aggregate(
        pieces=Count("id"), reach=Sum("reach"), conversions=Sum("conversions"), engagement=Avg("engagement_rate")
    )
    top = list(
        window.order_by("-engagement_rate", "-id").values(
            "id", "platform", "content_type", "engagement_rate", "reach", "conversions"
        )[:LIST_LIMIT]
    )
    influencers = {
        "new": Influencer.objects.filter(created_at__gte=low, created_at__lt=high).count(),
        "by_status": dict(Influencer.objects.values_list("status").annotate(count=Count("id")).order_by()),
    }
    body = {
        "report_type": report_type,
        "date": start.isoformat(),
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "partnerships": body_partnerships,
        "content": {
            "pieces": totals["pieces"],
            "reach": totals["reach"] or 0,
            "conversions": totals["conversions"] or 0,
            "engagement_rate": round(totals["engagement"], 2) if totals["engagement"] is not None else None,
            "top_pieces": top,
        },
        "influencers": influencers,
    }
    body["summary"] = summarise(body, config)
    body["empty"] = not (
        any(row["samples"] for p in body_partnerships.values() for row in p["kpis"].values())
        or moves
        or totals["pieces"]
        or any(p["roi"]["orders"] for p in body_partnerships.values())
    )
    return body


def summarise(body: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    """The summary, by explicit rules over the report's own figures:

    - overall_health: the level of the mean of the partnerships' scores at the period's end;
    - key_achievements: deliverables completed, deliverables moved, KPIs at or above target,
      ROI of 100 % or more, the most engaging piece;
    - strategic_priorities: KPIs more than ``below_target_percent`` under target, partnerships at
      fair or poor health, negative ROI;
    - next_actions: KPIs without samples in the period, deliverables that did not move and are not
      done, no content published.
    Each list is capped at five items, most important first.
    """
    partnerships = body["partnerships"]
    scores = [p["score"] for p in partnerships.values() if p["score"] is not None]
    overall = health_level(
        score=round(sum(scores) / len(scores), 2) if scores else None, thresholds=config["health_thresholds"]
    )
    floor = 100 - config["alert_thresholds"]["below_target_percent"]
    achievements: list[str] = []
    priorities: list[str] = []
    actions: list[str] = []
    for pid, p in partnerships.items():
        for move in p["deliverables_moved"]:
            if move["completed"]:
                achievements.append(f"{move['deliverable']} ({pid}) completed")
        if p["progress_change"] >= 5:
            achievements.append(f"{pid} progress up {p['progress_change']} points to {p['progress']}%")
        for key, kpi in p["kpis"].items():
            if kpi["attainment"] is None:
                actions.append(f"Restore data collection for {kpi['label']} ({pid}): no samples")
            elif kpi["attainment"] >= 100:
                achievements.append(
                    f"{kpi['label']} ({pid}) meets its target ({kpi['value_at_end']} vs {kpi['target']})"
                )
            elif kpi["attainment"] < floor:
                priorities.append(f"Lift {kpi['label']} ({pid}): {kpi['attainment']}% of target")
            if kpi["samples"] == 0 and kpi["attainment"] is not None:
                actions.append(f"Check the {key} collector ({pid}): no samples this period")
        if p["health"] in ("fair", "poor"):
            priorities.insert(0, f"Recover {p['name']}: health {p['health']} ({p['score']})")
        roi_value = p["roi"]["roi_percentage"]
        if roi_value is not None and roi_value >= 100:
            achievements.append(f"{pid} ROI {roi_value}%")
        elif roi_value is not None and roi_value < 0:
            priorities.append(f"Review spend of {pid}: ROI {roi_value}%")
        if not p["deliverables_moved"] and p["progress"] < 100:
            actions.append(f"Review deliverables of {pid}: no progress recorded this period")
    if body["content"]["top_pieces"]:
        best = body["content"]["top_pieces"][0]
        achievements.append(
            f"Top content: {best['platform']} {best['content_type']} at {best['engagement_rate']}% engagement"
        )
    if body["content"]["pieces"] == 0:
        actions.append("Publish content: none was published this period")
    return {
        "overall_health": overall,
        "key_achievements": achievements[:LIST_LIMIT],
        "strategic_priorities": priorities[:LIST_LIMIT],
        "next_actions": actions[:LIST_LIMIT],
    }
