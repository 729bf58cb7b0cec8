"""Orders, costs and ROI (DESIGN.md §5): the document's example, windows, idempotent ingestion."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from analytics.models import CostEntry, Order

pytestmark = pytest.mark.django_db
ORDERS = "/api/v1/analytics/orders"
PLACED = (timezone.now() - timedelta(hours=1)).replace(microsecond=0).isoformat()


@pytest.fixture
def collector(role_client):
    return role_client("metrics_collector")


@pytest.fixture
def manager(role_client):
    return role_client("partnership_manager")


def order(order_id="A-1", **extra):
    return {
        "order_id": order_id,
        "partnership": "brand_amplification",
        "amount": 120.5,
        "placed_at": PLACED,
        **extra,
    }


def test_the_documents_roi_example(manager, demo_data):
    body = manager.get("/api/v1/analytics/roi/brand_amplification").json()
    assert {
        key: body[key]
        for key in ("partnership_id", "attributed_revenue", "roi_percentage", "revenue_per_order", "period")
    } == {
        "partnership_id": "brand_amplification",
        "attributed_revenue": 250000,
        "roi_percentage": 150,
        "revenue_per_order": 500,
        "period": "30_days",
    }
    assert (body["orders"], body["cost"]) == (500, 100000)
    listed = manager.get("/api/v1/analytics/roi", {"period": "90_days"}).json()
    assert {row["partnership_id"] for row in listed["partnerships"]} >= {"brand_amplification", "technical_excellence"}


def test_windows(manager, demo_data):
    week = manager.get("/api/v1/analytics/roi/brand_amplification", {"period": "7_days"}).json()
    assert week["cost"] == pytest.approx(100000 * 7 / 30, abs=0.01)
    today = timezone.now().date()
    explicit = manager.get(
        "/api/v1/analytics/roi/brand_amplification",
        {"start": (today - timedelta(days=29)).isoformat(), "end": today.isoformat()},
    ).json()
    assert explicit["attributed_revenue"] == 250000 and explicit["period"].endswith(today.isoformat())


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "2_days"}, "period"),
        ({"start": "2024-01-10", "end": "2024-01-01"}, "end"),
        ({"start": "2024-01-10"}, "end"),
        ({"start": "soon", "end": "2024-01-01"}, "start"),
        ({"period": "7_days", "start": "2024-01-01", "end": "2024-01-02"}, "period"),
        ({"start": "2000-01-01", "end": "2024-01-01"}, "start"),
    ],
)
def test_bad_windows_are_400(manager, params, field):
    response = manager.get("/api/v1/analytics/roi", params)
    assert response.status_code == 400 and field in response.json()["errors"]


def test_no_cost_means_null_roi_and_unknown_partnership_is_404(manager, demo_data):
    CostEntry.objects.all().delete()
    body = manager.get("/api/v1/analytics/roi/brand_amplification").json()
    assert body["roi_percentage"] is None
    assert manager.get("/api/v1/analytics/roi/nobody").status_code == 404


def test_ingestion_is_idempotent_and_all_or_nothing(collector, demo_data):
    first = collector.post(ORDERS, {"orders": [order("A-1"), order("A-2")]}, format="json")
    assert first.status_code == 201 and first.json() == {"accepted": 2, "unchanged": 0}
    again = collector.post(ORDERS, {"orders": [order("A-1"), order("A-2")]}, format="json")
    assert again.json() == {"accepted": 0, "unchanged": 2}
    changed = collector.post(ORDERS, {"orders": [order("A-1", amount=999)]}, format="json")
    assert changed.status_code == 409
    bad = collector.post(ORDERS, {"orders": [order("A-3"), order("A-4", partnership="nobody")]}, format="json")
    assert bad.status_code == 400 and "orders.1.partnership" in bad.json()["errors"]
    assert not Order.objects.filter(order_id="A-3").exists()
    assert Order.objects.get(order_id="A-1").amount == Decimal("120.50")


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"amount": -1}, "amount"),
        ({"amount": "12"}, "amount"),
        ({"amount": 2.0880892584930023e307}, "amount"),  # beyond a Decimal to the cent: a 400, not a 500
        ({"placed_at": "yesterday"}, "placed_at"),
        ({"content_piece": 99999}, "content_piece"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_invalid_orders_name_the_field(collector, demo_data, item, field):
    response = collector.post(ORDERS, {"orders": [order("B-1", **item)]}, format="json")
    assert response.status_code == 400
    assert any(key.endswith(field) for key in response.json()["errors"]), response.json()


def test_roles(collector, manager, role_client):
    assert manager.post(ORDERS, {"orders": [order()]}, format="json").status_code == 403
    assert collector.get("/api/v1/analytics/roi").status_code == 403
    assert role_client("metrics_viewer").get("/api/v1/analytics/roi").status_code == 403


def test_costs_api(role_client, demo_data):
    admin = role_client("orchestration_admin")
    today = timezone.now().date()
    body = {
        "partnership": "visual_intelligence",
        "amount": 3000,
        "start_date": today.isoformat(),
        "end_date": (today + timedelta(days=29)).isoformat(),
        "description": "Shoot",
    }
    created = admin.post("/api/v1/analytics/costs", body, format="json")
    assert created.status_code == 201 and created.json()["amount"] == 3000
    assert admin.post("/api/v1/analytics/costs", {**body, "end_date": "2000-01-01"}, format="json").status_code == 400
    assert admin.post("/api/v1/analytics/costs", {**body, "partnership": "nobody"}, format="json").status_code == 400
    huge = admin.post("/api/v1/analytics/costs", {**body, "amount": 2e307}, format="json")
    assert huge.status_code == 400 and "amount" in huge.json()["errors"]
    assert role_client("partnership_manager").post("/api/v1/analytics/costs", body, format="json").status_code == 403
    listed = role_client("partnership_manager").get("/api/v1/analytics/costs", {"partnership": "visual_intelligence"})
    assert listed.status_code == 200 and len(listed.json()["results"]) == 2
