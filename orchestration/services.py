"""Writes of the orchestration core: metric ingestion."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from devsky.api.exceptions import ApplicationError
from orchestration import cache as keys
from orchestration.models import Kpi, MetricSample
from orchestration.selectors import kpi_catalog
from partnerships.models import Partnership

MAX_SAMPLES_PER_REQUEST = 5000
FUTURE_TOLERANCE = timedelta(minutes=5)


class SampleValidationError(ApplicationError):
    code = "invalid_samples"
    default_detail = "Some samples are invalid; nothing was stored. See errors."


def metric_samples_ingest(*, samples: list[dict[str, Any]], source: str = "") -> int:
    """Store a batch of samples, all or nothing; returns how many were stored.

    Each item names ``partnership`` (id) or ``partnership_type`` (its active partnership), a ``metric``
    of that type's KPI catalog, a ``value`` and optionally ``recorded_at`` (default now) and ``source``.
    Every invalid item is reported as ``samples.<index>.<field>``.
    """
    now = timezone.now()
    partnerships = {row["id"]: row for row in Partnership.objects.values("id", "type", "active")}
    active_by_type = {row["type"]: row["id"] for row in partnerships.values() if row["active"]}
    kpis = {(kpi["partnership_type"], kpi["key"]): kpi["id"] for kpi in kpi_catalog()}
    errors: dict[str, list[str]] = {}
    rows: list[MetricSample] = []
    for index, sample in enumerate(samples):
        where = f"samples.{index}"
        partnership_id = sample.get("partnership")
        partnership_type = sample.get("partnership_type")
        if partnership_id is not None:
            found = partnerships.get(partnership_id)
            if found is None:
                errors[f"{where}.partnership"] = [f"Unknown partnership {partnership_id!r}."]
                continue
            if partnership_type is not None and partnership_type != found["type"]:
                errors[f"{where}.partnership_type"] = [f"{partnership_id} is a {found['type']} partnership."]
                continue
            partnership_type = found["type"]
        elif partnership_type is not None:
            partnership_id = active_by_type.get(partnership_type)
            if partnership_id is None:
                errors[f"{where}.partnership_type"] = [f"No active {partnership_type} partnership."]
                continue
        else:
            errors[f"{where}.partnership"] = ["Give partnership or partnership_type."]
            continue
        kpi_id = kpis.get((partnership_type, sample["metric"]))
        if kpi_id is None:
            errors[f"{where}.metric"] = [f"Unknown metric {sample['metric']!r} for {partnership_type} partnerships."]
            continue
        recorded_at: datetime = sample.get("recorded_at") or now
        if recorded_at > now + FUTURE_TOLERANCE:
            errors[f"{where}.recorded_at"] = ["Must not be in the future."]
            continue
        rows.append(
            MetricSample(
                partnership_id=partnership_id,
                kpi_id=kpi_id,
                value=sample["value"],
                recorded_at=recorded_at,
                source=sample.get("source") or source,
            )
        )
    if errors:
        raise SampleValidationError(errors=errors)
    with transaction.atomic():
        MetricSample.objects.bulk_create(rows, batch_size=1000)
        transaction.on_commit(keys.invalidate_metrics_and_health)
    return len(rows)


@transaction.atomic
def kpi_save(*, kpi: Kpi) -> Kpi:
    """Save a KPI (e.g. a new target from the admin); health and metrics are recomputed after the commit."""
    kpi.full_clean()
    kpi.save()
    transaction.on_commit(keys.invalidate_kpi_catalog)
    return kpi
