"""The audit log (DESIGN.md §9): who changed what, when, before and after, and the request that did it.

Built on django-simple-history. A model joins the log with one line in its class body::

    history = audit_history()

and ``makemigrations`` (its historical table). The admin shows the log when the model's admin mixes in
``devsky.admin_base.AuditedAdmin``. The user comes from the request (admin session, JWT, API key's owner
or OAuth token's user: DRF sets it on the Django request, where simple-history's middleware finds it);
the request id is the one of ``X-Request-ID`` (devsky.middleware). Services that write in bulk call
``bulk_create`` / ``bulk_update`` below instead of the manager's, so bulk writes are logged too, with
one extra INSERT per batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record
from simple_history.utils import bulk_create_with_history, bulk_update_with_history, get_history_manager_for_model

from devsky.log import current_request_id


class AuditFields(models.Model):
    """Extra columns of every historical table."""

    request_id = models.CharField(max_length=128, blank=True, help_text="X-Request-ID of the request that wrote it.")

    class Meta:
        abstract = True


def audit_history(*, excluded_fields: Sequence[str] = ()) -> HistoricalRecords:
    """The history manager of an audited model. ``excluded_fields``: bookkeeping columns not worth a record."""
    return HistoricalRecords(bases=[AuditFields], excluded_fields=list(excluded_fields), cascade_delete_history=False)


def request_id() -> str:
    """The current request's id, or '' outside a request (tasks, commands)."""
    return current_request_id().lstrip("-")


@receiver(pre_create_historical_record, dispatch_uid="devsky.audit.request_id")
def _stamp_request_id(sender, history_instance, **_kwargs) -> None:
    history_instance.request_id = request_id()


def bulk_create(model: type[models.Model], objs: list[Any], *, batch_size: int | None = None) -> list[Any]:
    """``Model.objects.bulk_create`` plus one '+' record per row (returned objects carry their ids)."""
    return bulk_create_with_history(
        objs, model, batch_size=batch_size, custom_historical_attrs={"request_id": request_id()}
    )


def bulk_update(model: type[models.Model], objs: list[Any], fields: list[str]) -> int:
    """``Model.objects.bulk_update`` plus one '~' record per row."""
    return bulk_update_with_history(objs, model, fields, custom_historical_attrs={"request_id": request_id()})


def record_created(model: type[models.Model], objs: Iterable[Any]) -> None:
    """'+' records for rows inserted by other means (e.g. ``bulk_create(ignore_conflicts=True)``)."""
    rows = list(objs)
    if rows:
        get_history_manager_for_model(model).bulk_history_create(
            rows, custom_historical_attrs={"request_id": request_id()}
        )


# Project models kept out of the audit log, and why. Every other model of the project apps has
# ``history = audit_history()``; a test fails when a new model is in neither place.
NOT_AUDITED = {
    "partnerships.deliverablechange": "is itself the append-only history of deliverable progress",
    "orchestration.metricsample": "append-only ingested measurements (millions of rows), never edited",
    "orchestration.decision": "append-only: stored once with its author and request id, never edited",
    "orchestration.configrevision": "append-only revisions, each with its author and time",
    "analytics.order": "append-only ingested sales (idempotent by order id), never edited",
    "analytics.report": "derived data, rebuilt from the audited sources",
    "analytics.reportdelivery": "the mail log itself",
    "devsky.idempotencyrecord": "request replay records of the API machinery",
    "devsky.userapikey": "credentials, not programme data (creation and revocation are admin actions)",
    "orchestration.alert": "written by the alert evaluation every minute; its notifications are its log",
    "orchestration.alertnotification": "append-only log of escalation notifications",
    "integrations.collectorrun": "the run log itself",
    "integrations.webhookdelivery": "the delivery log itself",
}
