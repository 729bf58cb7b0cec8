"""ROI answers are cached, and every write to orders, costs or partnerships makes the next read fresh."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from analytics.models import CostEntry, Order

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]
ROI = "/api/v1/analytics/roi/brand_amplification"


@pytest.fixture
def manager(role_client):
    return role_client("partnership_manager")


def revenue(client) -> float:
    return client.get(ROI).json()["attributed_revenue"]


def test_a_repeated_read_does_not_aggregate_again(manager):
    manager.get(ROI)
    with CaptureQueriesContext(connection) as captured:
        assert manager.get(ROI).status_code == 200
    assert not [q for q in captured.captured_queries if "analytics_order" in q["sql"]]


def test_ingested_orders_show_at_once(manager, role_client, django_capture_on_commit_callbacks):
    before = revenue(manager)
    placed = (timezone.now() - timedelta(hours=1)).isoformat()
    order = {"order_id": "CACHE-1", "partnership": "brand_amplification", "amount": 1000, "placed_at": placed}
    with django_capture_on_commit_callbacks(execute=True):
        response = role_client("metrics_collector").post("/api/v1/analytics/orders", {"orders": [order]}, format="json")
    assert response.status_code == 201
    assert revenue(manager) == before + 1000


def test_orders_written_outside_the_api_show_at_once(manager, django_capture_on_commit_callbacks):
    before = revenue(manager)
    with django_capture_on_commit_callbacks(execute=True):
        Order.objects.create(
            order_id="CACHE-2",
            partnership_id="brand_amplification",
            amount=Decimal("250"),
            placed_at=timezone.now() - timedelta(hours=2),
        )
    assert revenue(manager) == before + 250
    with django_capture_on_commit_callbacks(execute=True):
        Order.objects.filter(order_id="CACHE-2").delete()
    assert revenue(manager) == before


def test_a_new_cost_shows_at_once(manager, django_capture_on_commit_callbacks):
    before = manager.get(ROI).json()["cost"]
    today = timezone.now().date()
    with django_capture_on_commit_callbacks(execute=True):
        CostEntry.objects.create(partnership_id="brand_amplification", amount=3000, start_date=today, end_date=today)
    assert manager.get(ROI).json()["cost"] == before + 3000
