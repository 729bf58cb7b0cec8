"""Writes of analytics: orders and costs (reports and mail follow in analytics.reports)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from analytics.models import CostEntry, Order
from content.models import ContentPiece, Influencer
from devsky.api.exceptions import ApplicationError, ConflictError
from partnerships.models import Partnership

MAX_ORDERS_PER_REQUEST = 5000
COMPARED = ("partnership_id", "amount", "placed_at", "content_piece_id", "influencer_id", "promo_code", "utm_source")


class InvalidOrders(ApplicationError):
    code = "invalid_orders"
    default_detail = "Some orders are invalid; nothing was stored. See errors."


def orders_ingest(*, orders: list[dict[str, Any]]) -> dict[str, int]:
    """Store new orders, all or nothing. An order already stored with the same data is skipped (idempotent);
    the same order id with other data is a 409 naming it."""
    errors: dict[str, list[str]] = {}
    known_partnerships = set(Partnership.objects.values_list("pk", flat=True))
    pieces = {o["content_piece"] for o in orders if o.get("content_piece")}
    influencers = {o["influencer"] for o in orders if o.get("influencer")}
    known_pieces = set(ContentPiece.objects.filter(pk__in=pieces).values_list("pk", flat=True))
    known_influencers = set(Influencer.objects.filter(pk__in=influencers).values_list("pk", flat=True))
    rows: dict[str, Order] = {}
    for index, item in enumerate(orders):
        where = f"orders.{index}"
        if item["partnership"] not in known_partnerships:
            errors[f"{where}.partnership"] = [f"Unknown partnership {item['partnership']!r}."]
        if item.get("content_piece") and item["content_piece"] not in known_pieces:
            errors[f"{where}.content_piece"] = [f"Unknown content piece {item['content_piece']}."]
        if item.get("influencer") and item["influencer"] not in known_influencers:
            errors[f"{where}.influencer"] = [f"Unknown influencer {item['influencer']}."]
        order = Order(
            order_id=item["order_id"],
            partnership_id=item["partnership"],
            amount=item["amount"],
            placed_at=item["placed_at"],
            content_piece_id=item.get("content_piece"),
            influencer_id=item.get("influencer"),
            promo_code=item.get("promo_code", ""),
            utm_source=item.get("utm_source", ""),
        )
        previous = rows.get(order.order_id)
        if previous is not None and _differs(previous, order):
            errors[f"{where}.order_id"] = ["Repeats an order id of this request with other data."]
        rows[order.order_id] = order
    if errors:
        raise InvalidOrders(errors=errors)
    existing = {order.order_id: order for order in Order.objects.filter(order_id__in=list(rows))}
    conflicts = [
        order_id for order_id, order in rows.items() if order_id in existing and _differs(existing[order_id], order)
    ]
    if conflicts:
        raise ConflictError(
            "Some order ids are already stored with other data.",
            errors={"orders": [f"Order {order_id} differs from the stored one." for order_id in conflicts[:50]]},
        )
    new = [order for order_id, order in rows.items() if order_id not in existing]
    with transaction.atomic():
        created = Order.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    return {"accepted": len(created), "unchanged": len(orders) - len(new)}


def _differs(left: Order, right: Order) -> bool:
    return any(getattr(left, field) != getattr(right, field) for field in COMPARED)


@transaction.atomic
def cost_entry_create(*, data: dict[str, Any], user: Any = None) -> CostEntry:
    entry = CostEntry(**data, created_by=user if getattr(user, "is_authenticated", False) else None)
    entry.full_clean()
    entry.save()
    return entry
