"""Reads of partnerships and deliverables."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Case, F, FloatField, QuerySet, Sum, Value, When
from django.db.models.functions import Cast

from devsky.api.exceptions import NotFoundError
from devsky.timeutil import iso_utc
from partnerships.choices import DeliverableState, PartnershipType
from partnerships.models import Deliverable, DeliverableChange, Partnership

TYPE_ORDER = Case(
    *(When(type=kind, then=Value(position)) for position, kind in enumerate(PartnershipType.values)),
    default=Value(len(PartnershipType.values)),
)


def partnership_list(*, active_only: bool = False) -> QuerySet[Partnership]:
    """Partnerships in the document's order: technical, brand, visual, customer (then by id)."""
    queryset = Partnership.objects.order_by(TYPE_ORDER, "-active", "id")
    return queryset.filter(active=True) if active_only else queryset


def partnership_get(*, partnership_id: str) -> Partnership:
    partnership = Partnership.objects.filter(pk=partnership_id).first()
    if partnership is None:
        raise NotFoundError(f"No partnership {partnership_id!r}.")
    return partnership


def deliverable_list(*, partnership_ids: list[str] | None = None) -> QuerySet[Deliverable]:
    queryset = Deliverable.objects.all()
    if partnership_ids is not None:
        queryset = queryset.filter(partnership_id__in=partnership_ids)
    return queryset


def deliverable_get(*, partnership_id: str, key: str) -> Deliverable:
    deliverable = Deliverable.objects.filter(partnership_id=partnership_id, key=key).first()
    if deliverable is None:
        if not Partnership.objects.filter(pk=partnership_id).exists():
            raise NotFoundError(f"No partnership {partnership_id!r}.")
        raise NotFoundError(f"No deliverable {key!r} in partnership {partnership_id!r}.")
    return deliverable


def partnership_progress(*, partnership_ids: list[str] | None = None) -> dict[str, float]:
    """Weight-averaged completion of non-cancelled deliverables, per partnership, two decimals (DESIGN.md §3).

    One aggregate query; a partnership without (non-cancelled) deliverables has progress 0.
    """
    rows = (
        deliverable_list(partnership_ids=partnership_ids)
        .exclude(state=DeliverableState.CANCELLED)
        .values("partnership_id")
        .annotate(
            weighted=Sum(F("completion") * F("weight"), output_field=FloatField()),
            weights=Sum(Cast("weight", FloatField())),
        )
        .order_by()
    )
    return {row["partnership_id"]: round(row["weighted"] / row["weights"], 2) for row in rows if row["weights"]}


def deliverable_history(*, deliverable: Deliverable, limit: int = 50) -> QuerySet[DeliverableChange]:
    return deliverable.changes.select_related("changed_by")[:limit]


def deliverable_to_dict(deliverable: Deliverable) -> dict[str, Any]:
    """The API representation of a deliverable; ``name`` is its key, as in the requirements document."""
    return {
        "id": deliverable.key,
        "name": deliverable.key,
        "title": deliverable.title,
        "progress": round(deliverable.completion, 2),
        "completion_percentage": round(deliverable.completion, 2),
        "status": deliverable.status,
        "state": deliverable.state,
        "weight": deliverable.weight,
        "target_metric": deliverable.target_metric,
        "due_date": deliverable.due_date.isoformat() if deliverable.due_date else None,
        "last_updated": iso_utc(deliverable.last_updated),
        "version": deliverable.version,
    }


def partnership_summaries(*, partnership_ids: list[str] | None = None) -> list[dict[str, Any]]:
    """Partnerships with health, progress and deliverables (document 2.1), in a constant number of queries.

    The whole list is cached with the health body it embeds (orchestration.cache.HEALTH_KEYS): every
    write to partnerships, deliverables, samples or the configuration deletes both.
    """
    from orchestration import cache as keys

    if partnership_ids is not None:
        return _partnership_summaries(partnership_ids=partnership_ids)
    summaries = cache.get(keys.PARTNERSHIP_SUMMARIES_KEY)
    if summaries is None:
        summaries = _partnership_summaries(partnership_ids=None)
        cache.set(keys.PARTNERSHIP_SUMMARIES_KEY, summaries, keys.HEALTH_TTL)
    return summaries


def _partnership_summaries(*, partnership_ids: list[str] | None) -> list[dict[str, Any]]:
    from orchestration.selectors import health_current

    partnerships = list(
        partnership_list().filter(pk__in=partnership_ids) if partnership_ids is not None else partnership_list()
    )
    ids = [partnership.pk for partnership in partnerships]
    deliverables: dict[str, list[dict[str, Any]]] = {pk: [] for pk in ids}
    for deliverable in deliverable_list(partnership_ids=ids):
        deliverables[deliverable.partnership_id].append(deliverable_to_dict(deliverable))
    progress = partnership_progress(partnership_ids=ids)
    health = health_current()["partnerships"]
    summaries = []
    for partnership in partnerships:
        kind_health = health.get(partnership.type, {})
        is_current = kind_health.get("partnership_id") == partnership.pk
        summaries.append(
            {
                "id": partnership.pk,
                "name": partnership.name,
                "type": partnership.type,
                "ai_partner": partnership.ai_partner,
                "active": partnership.active,
                "health": kind_health.get("health") if is_current else None,
                "health_score": kind_health.get("score") if is_current else None,
                "progress": progress.get(partnership.pk, 0.0),
                "deliverables": deliverables[partnership.pk],
            }
        )
    return summaries


def partnership_status(*, partnership_id: str) -> dict[str, Any]:
    """One partnership's summary with its description, roles and each KPI's latest value vs target."""
    from orchestration.selectors import attainment, kpi_catalog, latest_samples

    partnership = partnership_get(partnership_id=partnership_id)
    summary = partnership_summaries(partnership_ids=[partnership.pk])[0]
    labels = {kpi["key"]: kpi for kpi in kpi_catalog() if kpi["partnership_type"] == partnership.type}
    entry = latest_samples(partnership_types=[partnership.type])[partnership.type]
    is_current = entry["partnership_id"] == partnership.pk
    kpis = []
    for kpi in entry["kpis"]:
        value = kpi["latest_value"] if is_current else None
        kpis.append(
            {
                "key": kpi["key"],
                "label": labels[kpi["key"]]["label"],
                "unit": labels[kpi["key"]]["unit"],
                "target": kpi["target"],
                "direction": kpi["direction"],
                "value": value,
                "recorded_at": iso_utc(kpi["latest_at"]) if value is not None else None,
                "attainment": None
                if value is None
                else round(attainment(value=value, target=kpi["target"], direction=kpi["direction"]), 2),
            }
        )
    return {**summary, "description": partnership.description, "roles": partnership.roles, "kpis": kpis}


def partnership_changes(*, partnership_id: str, limit: int = 20) -> QuerySet[DeliverableChange]:
    """The latest progress changes of all of a partnership's deliverables, newest first."""
    return (
        DeliverableChange.objects.filter(deliverable__partnership_id=partnership_id)
        .select_related("deliverable", "changed_by")
        .order_by("-changed_at", "-id")[:limit]
    )


def deliverables_due(*, days: int, limit: int = 10) -> QuerySet[Deliverable]:
    """Open deliverables (not done, not cancelled) due within ``days`` or overdue, soonest first."""
    from django.utils import timezone

    horizon = timezone.now().date() + timedelta(days=days)
    return (
        Deliverable.objects.filter(due_date__isnull=False, due_date__lte=horizon)
        .exclude(state__in=[DeliverableState.DONE, DeliverableState.CANCELLED])
        .select_related("partnership")
        .order_by("due_date", "partnership_id", "key")[:limit]
    )
