"""Writes of analytics: orders and costs (reports and mail follow in analytics.reports)."""

from __future__ import annotations

import csv
import io
import smtplib
import time
from datetime import date
from email.mime.image import MIMEImage
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from analytics.cache import invalidate_report, invalidate_roi
from analytics.charts import bar_chart_png
from analytics.models import CostEntry, Order, Report, ReportDelivery, ReportSubscription
from analytics.periods import period_containing
from analytics.reports import report_compute
from content.models import ContentPiece, Influencer
from devsky import events
from devsky.api.exceptions import ApplicationError, ConflictError
from devsky.timeutil import iso_utc
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
        transaction.on_commit(invalidate_roi)  # bulk inserts send no model signals
    return {"accepted": len(created), "unchanged": len(orders) - len(new)}


def _differs(left: Order, right: Order) -> bool:
    return any(getattr(left, field) != getattr(right, field) for field in COMPARED)


@transaction.atomic
def cost_entry_create(*, data: dict[str, Any], user: Any = None) -> CostEntry:
    entry = CostEntry(**data, created_by=user if getattr(user, "is_authenticated", False) else None)
    entry.full_clean()
    entry.save()
    return entry


# --- reports ------------------------------------------------------------------------------------


def report_build(*, report_type: str, start: date) -> Report:
    """Build (or rebuild) the report of the period starting at ``start``: one row per (type, period),
    written by an upsert, so concurrent builds and retries leave exactly one report."""
    period_start, period_end = period_containing(report_type, start)
    began = time.perf_counter()
    body = report_compute(report_type=report_type, start=period_start, end=period_end)
    build_seconds = round(time.perf_counter() - began, 6)
    generated_at = timezone.now()
    body["generated_at"] = iso_utc(generated_at)
    Report.objects.bulk_create(
        [
            Report(
                report_type=report_type,
                period_start=period_start,
                period_end=period_end,
                generated_at=generated_at,
                build_seconds=build_seconds,
                body=body,
            )
        ],
        update_conflicts=True,
        unique_fields=["report_type", "period_start"],
        update_fields=["period_end", "generated_at", "build_seconds", "body"],
    )
    report = Report.objects.get(report_type=report_type, period_start=period_start)
    transaction.on_commit(lambda: invalidate_report(report_type, period_start.isoformat()))
    events.publish(
        "report.built",
        {"report_type": report_type, "period_start": period_start.isoformat(), "id": report.pk},
        topic="reports",
    )
    return report


def subscription_create(*, user: Any, report_type: str) -> ReportSubscription:
    subscription, _ = ReportSubscription.objects.get_or_create(user=user, report_type=report_type)
    return subscription


def subscription_delete(*, user: Any, report_type: str) -> int:
    deleted, _ = ReportSubscription.objects.filter(user=user, report_type=report_type).delete()
    return deleted


UNSUBSCRIBE_SALT = "analytics.unsubscribe"


def unsubscribe_token(*, user_id: int, report_type: str) -> str:
    return signing.dumps({"u": user_id, "t": report_type}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_with_token(*, token: str) -> tuple[int, str] | None:
    """Remove the subscription a signed link names; None when the token is forged or damaged."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    ReportSubscription.objects.filter(user_id=data["u"], report_type=data["t"]).delete()
    return data["u"], data["t"]


def report_mail(*, report_id: int) -> int:
    """Mail a report to its type's subscribers, once each: a delivery row is inserted (unique per report
    and address) before sending, so a retried task or a second beat never sends twice. Returns mails sent."""
    report = Report.objects.get(pk=report_id)
    if report.body.get("empty"):
        return 0
    sent = 0
    recipients = (
        ReportSubscription.objects.filter(report_type=report.report_type, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
    )
    for subscription in recipients:
        email = subscription.user.email
        try:
            with transaction.atomic():
                delivery = ReportDelivery.objects.create(report=report, email=email)
        except IntegrityError:
            continue  # already sent (or being sent) by another run
        try:
            report_email(report=report, subscription=subscription).send()
        except (OSError, smtplib.SMTPException):
            delivery.delete()  # let the retry send it
            raise
        ReportDelivery.objects.filter(pk=delivery.pk).update(sent_at=timezone.now())
        sent += 1
    return sent


def report_email(*, report: Report, subscription: ReportSubscription) -> EmailMultiAlternatives:
    body = report.body
    link = settings.DEVSKY_PUBLIC_URL.rstrip("/") + reverse(
        "analytics-unsubscribe",
        kwargs={"token": unsubscribe_token(user_id=subscription.user_id, report_type=report.report_type)},
    )
    context = {"report": body, "unsubscribe_url": link, "title": report_title(report)}
    message = EmailMultiAlternatives(
        subject=context["title"],
        body=render_to_string("analytics/report_email.txt", context),
        to=[subscription.user.email],
        headers={"List-Unsubscribe": f"<{link}>"},
    )
    message.mixed_subtype = "related"
    message.attach_alternative(render_to_string("analytics/report_email.html", context), "text/html")
    chart = MIMEImage(bar_chart_png([p["score"] or 0 for p in body["partnerships"].values()]), "png")
    chart.add_header("Content-ID", "<health-chart>")
    chart.add_header("Content-Disposition", "inline", filename="health.png")
    message.attach(chart)
    message.attach(f"{report.report_type}-{report.period_start}.csv", report_csv(body), "text/csv")
    return message


def report_title(report: Report) -> str:
    return f"DevSky {report.report_type} report {report.period_start}" + (
        f" to {report.period_end}" if report.period_end != report.period_start else ""
    )


def report_csv(body: dict[str, Any]) -> str:
    """The report's tables as CSV: one row per partnership and KPI."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "partnership",
            "health",
            "score",
            "progress",
            "kpi",
            "average",
            "value_at_end",
            "target",
            "attainment",
            "revenue",
            "orders",
            "roi_percentage",
        ]
    )
    for pid, p in body["partnerships"].items():
        for key, kpi in p["kpis"].items():
            writer.writerow(
                [
                    pid,
                    p["health"],
                    p["score"],
                    p["progress"],
                    key,
                    kpi["average"],
                    kpi["value_at_end"],
                    kpi["target"],
                    kpi["attainment"],
                    p["roi"]["attributed_revenue"],
                    p["roi"]["orders"],
                    p["roi"]["roi_percentage"],
                ]
            )
    return out.getvalue()
