"""Health per DESIGN.md §3: attainment, levels, overall status, freshness, caching and query counts."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from orchestration import cache as keys
from orchestration.models import Kpi, MetricSample
from orchestration.selectors import attainment, health_compute, health_level
from partnerships.models import Partnership

THRESHOLDS = {"excellent": 94, "good": 85, "fair": 70}


@given(
    value=st.floats(min_value=0, max_value=1e9, allow_nan=False),
    target=st.floats(min_value=1e-6, max_value=1e9, allow_nan=False),
    direction=st.sampled_from(["higher", "lower"]),
)
def test_attainment_is_a_capped_percentage(value, target, direction):
    result = attainment(value=value, target=target, direction=direction)
    assert 0 <= result <= 100
    if direction == "higher" and value >= target:
        assert result == 100
    if direction == "lower" and 0 < value <= target:
        assert result == 100


def test_attainment_examples():
    assert attainment(value=35.2, target=40, direction="higher") == pytest.approx(88)
    assert attainment(value=85, target=100, direction="lower") == 100
    assert attainment(value=200, target=100, direction="lower") == 50


@pytest.mark.parametrize(
    ("score", "level"),
    [(94, "excellent"), (93.99, "good"), (85, "good"), (70, "fair"), (69.99, "poor"), (None, "unknown")],
)
def test_levels(score, level):
    assert health_level(score=score, thresholds=THRESHOLDS) == level


def ingest(collector, partnership_type, values):
    samples = [{"partnership_type": partnership_type, "metric": key, "value": value} for key, value in values.items()]
    response = collector.post("/api/v1/orchestration/metrics", {"samples": samples}, format="json")
    assert response.status_code == 201


@pytest.mark.usefixtures("demo_data")
class TestOverallStatus:
    def test_a_poor_partnership_is_critical(self, role_client, django_capture_on_commit_callbacks):
        viewer = role_client("metrics_viewer")
        assert viewer.get("/api/v1/orchestration/health").json()["status"] == "healthy"
        with django_capture_on_commit_callbacks(execute=True):
            ingest(
                role_client("metrics_collector"),
                "brand",
                {"social_engagement": 100, "viral_coefficient": 1, "brand_sentiment": 50, "social_revenue": 10},
            )
        body = viewer.get("/api/v1/orchestration/health").json()
        assert body["partnerships"]["brand"]["health"] == "poor"
        assert body["status"] == "critical"

    def test_a_fair_partnership_is_degraded(self, role_client, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            ingest(
                role_client("metrics_collector"),
                "visual",
                {"visual_search_accuracy": 70, "session_duration": 45, "conversion_rate": 28, "user_satisfaction": 3.8},
            )
        body = role_client("metrics_viewer").get("/api/v1/orchestration/health").json()
        assert body["partnerships"]["visual"]["health"] == "fair", body
        assert body["status"] == "degraded", body

    def test_a_stale_kpi_is_degraded(self):
        MetricSample.objects.filter(kpi__key="support_efficiency").update(
            recorded_at=timezone.now() - timedelta(hours=30)
        )
        body = health_compute()
        assert body["status"] == "degraded"
        assert body["partnerships"]["customer"]["stale_kpis"] == ["support_efficiency"]
        assert body["partnerships"]["customer"]["health"] == "excellent"

    def test_a_kpi_without_samples_is_degraded_and_left_out_of_the_score(self):
        MetricSample.objects.filter(kpi__key="security_score").delete()
        technical = health_compute()["partnerships"]["technical"]
        assert technical["stale_kpis"] == ["security_score"]
        assert technical["score"] == pytest.approx((88 + 100 + 100) / 3, abs=0.01)

    def test_deliverable_update_refreshes_cached_progress(self, role_client, django_capture_on_commit_callbacks):
        viewer = role_client("metrics_viewer")
        assert viewer.get("/api/v1/orchestration/health").json()["partnerships"]["technical"]["progress"] == 71.25
        with django_capture_on_commit_callbacks(execute=True):
            role_client("partnership_manager").put(
                "/api/v1/partnerships/technical_excellence/deliverables/microservices_architecture",
                {"completion_percentage": 85, "status": "85%"},
                format="json",
            )
        assert viewer.get("/api/v1/orchestration/health").json()["partnerships"]["technical"]["progress"] == 77.5

    def test_health_is_cached_for_30_seconds(self, role_client):
        viewer = role_client("metrics_viewer")
        viewer.get("/api/v1/orchestration/health")
        assert cache.get(keys.HEALTH_KEY)["status"] == "healthy"
        MetricSample.objects.filter(kpi__partnership_type="brand").delete()  # behind the API's back
        assert viewer.get("/api/v1/orchestration/health").json()["status"] == "healthy"
        cache.delete(keys.HEALTH_KEY)
        body = viewer.get("/api/v1/orchestration/health").json()
        assert body["status"] == "degraded"
        assert body["partnerships"]["brand"]["health"] == "unknown"


@pytest.mark.django_db
def test_no_partnerships_no_entries():
    body = health_compute()
    assert body["partnerships"] == {}
    assert body["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_inactive_partnerships_are_not_in_health():
    Partnership.objects.create(id="old", type="brand", name="Old", ai_partner="x", active=False)
    assert "brand" not in health_compute()["partnerships"]


@pytest.mark.usefixtures("demo_data")
def test_health_and_metrics_query_counts_do_not_grow_with_samples(role_client, django_assert_max_num_queries):
    viewer = role_client("metrics_viewer")
    viewer.get("/api/v1/orchestration/metrics/technical")

    def measure():
        cache.delete_many([keys.HEALTH_KEY, keys.metrics_key("technical"), keys.metrics_key(None)])
        counts = []
        for path in (
            "/api/v1/orchestration/health",
            "/api/v1/orchestration/metrics/technical",
            "/api/v1/orchestration/metrics",
        ):
            with django_assert_max_num_queries(6) as captured:
                assert viewer.get(path).status_code == 200
            counts.append(len(captured.captured_queries))
        return counts

    small = measure()
    kpi = Kpi.objects.get(key="development_velocity")
    start = timezone.now() - timedelta(days=60)
    MetricSample.objects.bulk_create(
        [
            MetricSample(
                partnership_id="technical_excellence", kpi=kpi, value=30, recorded_at=start + timedelta(minutes=i)
            )
            for i in range(20_000)
        ]
    )
    assert measure() == small
