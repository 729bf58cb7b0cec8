"""Writes of the content library and influencer network; the API and the admin both save here."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from content.choices import tier_for
from content.models import ContentPiece, Influencer
from devsky import audit, events
from devsky.api.exceptions import ApplicationError, ConflictError
from partnerships.models import Partnership

MAX_BULK = 1000


class InvalidItems(ApplicationError):
    code = "validation_error"
    default_detail = "Some items are invalid; nothing was stored. See errors."


def _full_clean(instance: Any, *, prefix: str = "", exclude: list[str] | None = None) -> dict[str, list[str]]:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except DjangoValidationError as error:
        return {
            f"{prefix}{field}": [str(message) for message in messages] for field, messages in error.message_dict.items()
        }
    return {}


# --- influencers ---------------------------------------------------------------------------------


def influencer_existing_id(*, name: str, platform: str, exclude_id: int | None = None) -> int | None:
    queryset = Influencer.objects.filter(name__iexact=name, platform=platform)
    if exclude_id is not None:
        queryset = queryset.exclude(pk=exclude_id)
    return queryset.values_list("pk", flat=True).first()


def existing_handles(*, handles: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """(lower-case name, platform) → id of the influencers that already hold these handles: one query."""
    names = {name.lower() for name, _platform in handles}
    rows = (
        Influencer.objects.annotate(handle=Lower("name"))
        .filter(handle__in=names, platform__in={platform for _name, platform in handles})
        .values_list("handle", "platform", "pk")
    )
    return {(handle, platform): pk for handle, platform, pk in rows}


def _duplicate(name: str, platform: str, existing_id: int, prefix: str = "") -> ConflictError:
    return ConflictError(
        f"{name} on {platform} already exists (influencer {existing_id}).",
        errors={f"{prefix}name": [f"Already in the network as influencer {existing_id}."]},
        extra={"existing_id": existing_id},
    )


def _influencer_build(data: dict[str, Any], instance: Influencer | None = None) -> Influencer:
    influencer = instance or Influencer()
    for name, value in data.items():
        setattr(influencer, name, value)
    if not data.get("tier") and (instance is None or "followers" in data):
        influencer.tier = tier_for(influencer.followers or 0)
    return influencer


def influencers_create(*, items: list[dict[str, Any]], bulk: bool = False) -> list[Influencer]:
    """Create one or many influencers, all or nothing. A name already on the platform is a 409 with its id."""
    if len(items) > MAX_BULK:
        raise InvalidItems(f"At most {MAX_BULK} items per request.", errors={"items": ["Too many items."]})
    errors: dict[str, list[str]] = {}
    built: list[Influencer] = []
    seen: dict[tuple[str, str], int] = {}
    for index, data in enumerate(items):
        prefix = f"{index}." if bulk else ""
        influencer = _influencer_build(data)
        errors.update(_full_clean(influencer, prefix=prefix))
        handle = (influencer.name.lower(), influencer.platform)
        if handle in seen:
            errors[f"{prefix}name"] = [f"Repeats item {seen[handle]} of this request."]
        seen.setdefault(handle, index)
        built.append(influencer)
    if errors:
        raise (
            InvalidItems(errors=errors)
            if bulk
            else InvalidItems("The influencer is invalid; see errors.", errors=errors)
        )
    taken = existing_handles(handles=[(influencer.name, influencer.platform) for influencer in built])
    for index, influencer in enumerate(built):
        existing = taken.get((influencer.name.lower(), influencer.platform))
        if existing is not None:
            raise _duplicate(influencer.name, influencer.platform, existing, f"{index}." if bulk else "")
    try:
        with transaction.atomic():
            created = audit.bulk_create(Influencer, built) if bulk else [_save(built[0])]
    except IntegrityError:
        # created by someone else between the check and the insert
        first = built[0]
        existing = influencer_existing_id(name=first.name, platform=first.platform)
        raise _duplicate(first.name, first.platform, existing or 0) from None
    return created


def _save(instance: Any) -> Any:
    instance.save()
    return instance


@transaction.atomic
def influencer_update(*, influencer_id: int, data: dict[str, Any]) -> Influencer:
    influencer = Influencer.objects.select_for_update().get(pk=influencer_id)
    previous_status = influencer.status
    influencer = _influencer_build(data, influencer)
    errors = _full_clean(influencer)
    if errors:
        raise InvalidItems("The influencer is invalid; see errors.", errors=errors)
    existing = influencer_existing_id(name=influencer.name, platform=influencer.platform, exclude_id=influencer.pk)
    if existing is not None:
        raise _duplicate(influencer.name, influencer.platform, existing)
    influencer.save()
    events.publish(
        "influencer.updated",
        {
            "id": influencer.pk,
            "name": influencer.name,
            "platform": influencer.platform,
            "status": influencer.status,
            "from": previous_status,
            "to": influencer.status,
            "status_changed": influencer.status != previous_status,
        },
        topic="content",
    )
    return influencer


@transaction.atomic
def influencers_set(*, influencer_ids: list[int], **values: Any) -> int:
    """Bulk admin actions (verify, change status): each change goes through influencer_update."""
    for influencer_id in influencer_ids:
        influencer_update(influencer_id=influencer_id, data=values)
    return len(influencer_ids)


# --- content pieces ------------------------------------------------------------------------------


def _known_links(items: list[dict[str, Any]]) -> tuple[set[str], set[int]]:
    """The partnerships and influencers the items name that exist: one query each, whatever the batch size."""
    partnerships = {item["partnership"] for item in items if item.get("partnership")}
    influencers = {item["influencer"] for item in items if item.get("influencer")}
    return (
        set(Partnership.objects.filter(pk__in=partnerships).values_list("pk", flat=True)) if partnerships else set(),
        set(Influencer.objects.filter(pk__in=influencers).values_list("pk", flat=True)) if influencers else set(),
    )


def _resolve_links(
    data: dict[str, Any], prefix: str, brand_default: str | None, known: tuple[set[str], set[int]]
) -> tuple[dict[str, Any], dict]:
    errors: dict[str, list[str]] = {}
    values = dict(data)
    if "partnership" in values:
        partnership_id = values.pop("partnership")
        if partnership_id is not None and partnership_id not in known[0]:
            errors[f"{prefix}partnership"] = [f"Unknown partnership {partnership_id!r}."]
        values["partnership_id"] = partnership_id
    elif brand_default is not None:
        values["partnership_id"] = brand_default
    if "influencer" in values:
        influencer_id = values.pop("influencer")
        if influencer_id is not None and influencer_id not in known[1]:
            errors[f"{prefix}influencer"] = [f"Unknown influencer {influencer_id}."]
        values["influencer_id"] = influencer_id
    return values, errors


def content_create(*, items: list[dict[str, Any]], bulk: bool = False) -> list[ContentPiece]:
    """Create one or many pieces, all or nothing; the partnership defaults to the active brand partnership."""
    if len(items) > MAX_BULK:
        raise InvalidItems(f"At most {MAX_BULK} items per request.", errors={"items": ["Too many items."]})
    brand = Partnership.objects.filter(type="brand", active=True).values_list("pk", flat=True).first()
    errors: dict[str, list[str]] = {}
    built = []
    known = _known_links(items)
    for index, data in enumerate(items):
        prefix = f"{index}." if bulk else ""
        values, link_errors = _resolve_links(data, prefix, brand, known)
        errors.update(link_errors)
        piece = ContentPiece(**values)
        errors.update(_full_clean(piece, prefix=prefix, exclude=["partnership", "influencer"]))
        built.append(piece)
    if errors:
        raise (
            InvalidItems(errors=errors)
            if bulk
            else InvalidItems("The content piece is invalid; see errors.", errors=errors)
        )
    with transaction.atomic():
        created = audit.bulk_create(ContentPiece, built, batch_size=500)
        events.publish(
            "content.created",
            {
                "count": len(created),
                "ids": [piece.pk for piece in created[:100]],
                "platforms": sorted({piece.platform for piece in created}),
            },
            topic="content",
        )
    return created


@transaction.atomic
def content_update(*, piece_id: int, data: dict[str, Any]) -> ContentPiece:
    piece = ContentPiece.objects.select_for_update().get(pk=piece_id)
    values, errors = _resolve_links(data, "", None, _known_links([data]))
    for name, value in values.items():
        setattr(piece, name, value)
    errors.update(_full_clean(piece, exclude=["partnership", "influencer"]))
    if errors:
        raise InvalidItems("The content piece is invalid; see errors.", errors=errors)
    piece.save()
    return piece


def content_delete(*, piece_id: int) -> None:
    ContentPiece.objects.filter(pk=piece_id).delete()
