"""Writes of partnerships and deliverables. The admin and the API both save through here."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from devsky import events
from devsky.api.conditional import version_etag
from devsky.api.exceptions import ApplicationError, ConflictError, NotFoundError, PreconditionFailedError
from devsky.log import current_request_id
from devsky.timeutil import iso_utc
from orchestration.services import after_write_publish_health
from partnerships.cache import invalidate_after_change
from partnerships.choices import DeliverableState
from partnerships.models import Deliverable, DeliverableChange
from partnerships.selectors import deliverable_to_dict, partnership_progress

FUTURE_TOLERANCE = timedelta(minutes=5)


def _next_state(*, current: str, completion: float, requested: str | None) -> str:
    """An explicit state wins; otherwise progress moves the state along (cancelled stays cancelled)."""
    if requested:
        return requested
    if current == DeliverableState.CANCELLED:
        return current
    if completion >= 100:
        return DeliverableState.DONE
    if completion > 0:
        return DeliverableState.IN_PROGRESS
    return DeliverableState.PLANNED if current == DeliverableState.PLANNED else current


@transaction.atomic
def deliverable_update(
    *,
    partnership_id: str,
    key: str,
    completion: float | None = None,
    status: str | None = None,
    state: str | None = None,
    last_updated: datetime | None = None,
    expected_version: int | None = None,
    user: Any = None,
    source: str = "api",
) -> Deliverable:
    """Change a deliverable's progress and status, recording the change in its history.

    The row is locked for the check and the write: a stale ``expected_version`` (If-Match) is a 412,
    and a ``last_updated`` older than the stored one is a 409: an older report never overwrites a newer one.
    """
    deliverable = Deliverable.objects.select_for_update().filter(partnership_id=partnership_id, key=key).first()
    if deliverable is None:
        raise NotFoundError(f"No deliverable {key!r} in partnership {partnership_id!r}.")
    after_write_publish_health()  # the levels before this change, compared after the commit
    if expected_version is not None and deliverable.version != expected_version:
        raise PreconditionFailedError(extra={"current_etag": version_etag(deliverable.version)})
    if last_updated is not None and last_updated > timezone.now() + FUTURE_TOLERANCE:
        raise ApplicationError(
            "last_updated is in the future.", errors={"last_updated": ["Must not be in the future."]}
        )
    if last_updated is not None and last_updated < deliverable.last_updated:
        raise ConflictError(
            "last_updated is older than the stored update; refusing to overwrite newer progress.",
            errors={"last_updated": [f"Must not be before {deliverable.last_updated.isoformat()}."]},
            extra={"current_last_updated": iso_utc(deliverable.last_updated)},
        )
    before_completion, before_state = deliverable.completion, deliverable.state
    new_completion = deliverable.completion if completion is None else float(completion)
    deliverable.completion = new_completion
    deliverable.state = _next_state(current=deliverable.state, completion=new_completion, requested=state)
    if status is not None:
        deliverable.status = status
    deliverable.last_updated = last_updated or timezone.now()
    deliverable.version += 1
    deliverable.full_clean(exclude=["partnership"])
    deliverable.save(update_fields=["completion", "state", "status", "last_updated", "version"])
    DeliverableChange.objects.create(
        deliverable=deliverable,
        changed_by=user if getattr(user, "is_authenticated", False) else None,
        changed_at=deliverable.last_updated,
        from_completion=before_completion,
        to_completion=deliverable.completion,
        from_state=before_state,
        to_state=deliverable.state,
        status=deliverable.status,
        source=source,
        request_id=current_request_id().lstrip("-"),
    )
    transaction.on_commit(invalidate_after_change)
    events.publish(
        "deliverable.updated",
        {
            **deliverable_to_dict(deliverable),
            "partnership": deliverable.partnership_id,
            "previous_completion": before_completion,
            "partnership_progress": partnership_progress(partnership_ids=[deliverable.partnership_id]).get(
                deliverable.partnership_id, 0.0
            ),
        },
        topic=f"partnerships.{deliverable.partnership_id}",
    )
    return deliverable


@transaction.atomic
def deliverable_edit_details(*, deliverable_id: int, values: dict[str, Any]) -> None:
    """Change descriptive fields (title, weight, due date...) that are not progress; bumps the version."""
    allowed = {"title", "description", "target_metric", "weight", "position", "due_date", "key"}
    unexpected = set(values) - allowed
    if unexpected:
        raise ValueError(f"not descriptive fields: {sorted(unexpected)}")
    deliverable = Deliverable.objects.select_for_update().get(pk=deliverable_id)
    for name, value in values.items():
        setattr(deliverable, name, value)
    deliverable.version += 1
    deliverable.full_clean(exclude=["partnership"])
    deliverable.save(update_fields=[*values, "version"])
    transaction.on_commit(invalidate_after_change)


@transaction.atomic
def deliverable_create(*, partnership_id: str, values: dict[str, Any]) -> Deliverable:
    deliverable = Deliverable(partnership_id=partnership_id, last_updated=timezone.now(), **values)
    deliverable.state = _next_state(
        current=DeliverableState.PLANNED, completion=deliverable.completion, requested=values.get("state")
    )
    deliverable.full_clean()
    deliverable.save()
    transaction.on_commit(invalidate_after_change)
    return deliverable


@transaction.atomic
def deliverable_delete(*, deliverable_id: int) -> None:
    Deliverable.objects.filter(pk=deliverable_id).delete()
    transaction.on_commit(invalidate_after_change)


def partnership_saved() -> None:
    """After a partnership's own fields change (name, type, active): health and metrics follow."""
    transaction.on_commit(invalidate_after_change)
