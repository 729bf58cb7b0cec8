"""Metric ingestion (bulk, all or nothing) and reads (latest per type, time series)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orchestration.models import MetricSample

pytestmark = pytest.mark.usefixtures("demo_data")
URL = "/api/v1/orchestration/metrics"


@pytest.fixture
def collector(role_client):
    return role_client("metrics_collector")


@pytest.fixture
def viewer(role_client):
    return role_client("metrics_viewer")


def test_5000_samples_in_one_request_are_visible_at_once(collector, viewer, django_capture_on_commit_callbacks):
    assert viewer.get(f"{URL}/technical").json()["metrics"]["development_velocity"] == 35.2  # cached now
    start = timezone.now() - timedelta(hours=1)
    samples = [
        {
            "partnership": "technical_excellence",
            "metric": "development_velocity",
            "value": 30 + index / 1000,
            "recorded_at": (start + timedelta(milliseconds=index)).isoformat(),
        }
        for index in range(4999)
    ] + [{"partnership_type": "technical", "metric": "development_velocity", "value": 41.5, "source": "jira"}]
    before = MetricSample.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = collector.post(URL, {"samples": samples}, format="json")
    assert response.status_code == 201, response.content[:500]
    # after the commit: health comparison, cache invalidation, alert evaluation, metric.recorded (once each);
    # the alert evaluation then adds its own (events of the alerts it opened)
    names = [callback.__qualname__ for callback in callbacks[:4]]
    assert names == [
        "after_write_publish_health.<locals>.<lambda>",
        "invalidate_metrics_and_health",
        "alerts_evaluation_schedule",
        "publish.<locals>.<lambda>",
    ]
    assert response.json() == {"accepted": 5000}
    assert MetricSample.objects.count() == before + 5000
    assert viewer.get(f"{URL}/technical").json()["metrics"]["development_velocity"] == 41.5
    health = viewer.get("/api/v1/orchestration/health").json()
    assert health["partnerships"]["technical"]["score"] == 100.0


def test_more_than_5000_samples_is_400(collector):
    samples = [{"partnership_type": "brand", "metric": "brand_sentiment", "value": 80}] * 5001
    response = collector.post(URL, {"samples": samples}, format="json")
    assert response.status_code == 400
    assert "samples" in response.json()["errors"]


def test_one_bad_sample_rejects_the_batch_and_names_each_problem(collector):
    before = MetricSample.objects.count()
    samples = [
        {"partnership": "technical_excellence", "metric": "development_velocity", "value": 36},
        {"partnership": "technical_excellence", "metric": "no_such_metric", "value": 1},
        {"partnership": "nobody", "metric": "system_uptime", "value": 1},
        {"partnership_type": "brand", "metric": "brand_sentiment", "value": "high"},
        {"partnership_type": "brand", "metric": "brand_sentiment", "value": 1, "recorded_at": "yesterday"},
        {"metric": "brand_sentiment", "value": 1},
        {"partnership": "technical_excellence", "partnership_type": "brand", "metric": "brand_sentiment", "value": 1},
    ]
    response = collector.post(URL, {"samples": samples}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"samples.3.value", "samples.4.recorded_at"} <= set(errors)
    assert MetricSample.objects.count() == before
    # once the shape is right, the domain checks name theirs
    samples[3]["value"] = 1
    samples[4]["recorded_at"] = timezone.now().isoformat()
    response = collector.post(URL, {"samples": samples}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {
        "samples.1.metric",
        "samples.2.partnership",
        "samples.5.partnership",
        "samples.6.partnership_type",
    }
    assert MetricSample.objects.count() == before


@pytest.mark.parametrize("body", [{}, {"samples": []}, {"samples": "x"}, {"samples": [{"metric": "x"}]}, []])
def test_malformed_bodies_are_400(collector, body):
    assert collector.post(URL, body, format="json").status_code == 400


def test_future_samples_are_refused(collector):
    later = (timezone.now() + timedelta(hours=1)).isoformat()
    response = collector.post(
        URL,
        {"samples": [{"partnership_type": "visual", "metric": "session_duration", "value": 50, "recorded_at": later}]},
        format="json",
    )
    assert response.status_code == 400
    assert "samples.0.recorded_at" in response.json()["errors"]


def test_ingestion_honours_idempotency_key(collector):
    body = {"samples": [{"partnership_type": "visual", "metric": "session_duration", "value": 50}]}
    before = MetricSample.objects.count()
    first = collector.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="batch-1")
    again = collector.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="batch-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert MetricSample.objects.count() == before + 1


def test_collectors_write_but_do_not_read(collector):
    assert collector.get(URL).status_code == 403
    assert collector.get("/api/v1/orchestration/health").status_code == 200


def test_unknown_type_is_404(viewer):
    response = viewer.get(f"{URL}/marketing")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_all_types(viewer):
    body = viewer.get(URL).json()
    assert [entry["partnership_type"] for entry in body["metrics"]] == ["technical", "brand", "visual", "customer"]
    assert body["metrics"][1]["metrics"]["social_engagement"] == 285


def test_etag_and_304(viewer):
    first = viewer.get(f"{URL}/brand")
    assert viewer.get(f"{URL}/brand", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_series_per_day_is_aggregated_in_the_database(viewer):
    until = timezone.now()
    since = until - timedelta(days=3)
    response = viewer.get(
        f"{URL}/brand/series",
        {"metric": "social_engagement", "bucket": "day", "since": since.isoformat(), "until": until.isoformat()},
    )
    assert response.status_code == 200
    points = response.json()["points"]
    assert 3 <= len(points) <= 4
    assert (
        sum(point["count"] for point in points)
        == MetricSample.objects.filter(
            kpi__key="social_engagement", recorded_at__gte=since, recorded_at__lt=until
        ).count()
    )
    assert all(point["min"] <= point["avg"] <= point["max"] for point in points)


def test_series_per_hour(viewer):
    points = viewer.get(f"{URL}/technical/series", {"metric": "system_uptime"}).json()["points"]
    assert len(points) in (168, 169)
    assert all(point["count"] == 1 for point in points)


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({}, 400, "metric"),
        ({"metric": "system_uptime", "bucket": "week"}, 400, "bucket"),
        ({"metric": "system_uptime", "since": "2026-01-02T00:00:00Z", "until": "2026-01-01T00:00:00Z"}, 400, "since"),
        ({"metric": "system_uptime", "since": "2020-01-01T00:00:00Z", "until": "2026-01-01T00:00:00Z"}, 400, "since"),
        ({"metric": "system_uptime", "since": "soon"}, 400, "since"),
        ({"metric": "social_engagement"}, 404, "metric"),
    ],
)
def test_series_bad_queries(viewer, params, status, field):
    response = viewer.get(f"{URL}/technical/series", params)
    assert response.status_code == status
    assert field in response.json()["errors"]


def test_kpi_catalog(viewer):
    kpis = viewer.get("/api/v1/orchestration/kpis").json()["kpis"]
    assert len(kpis) == 16
    response_time = next(kpi for kpi in kpis if kpi["key"] == "api_response_time")
    assert (response_time["target"], response_time["direction"]) == (100, "lower")


@pytest.mark.parametrize("value", [1e300, -1e300])
def test_absurd_values_are_refused(collector, value):
    body = {"samples": [{"partnership_type": "visual", "metric": "session_duration", "value": value}]}
    response = collector.post(URL, body, format="json")
    assert response.status_code == 400 and "samples.0.value" in response.json()["errors"]


def test_kpis_and_samples_cannot_be_deleted_in_the_admin():
    from devsky.testing.clients import browser_for
    from orchestration.models import Kpi
    from tests.devsky.factories import UserFactory

    staff = browser_for(UserFactory(roles=["orchestration_admin"], is_staff=True))
    kpi = Kpi.objects.first()
    sample = MetricSample.objects.first()
    assert staff.get(f"/admin/orchestration/kpi/{kpi.pk}/delete/").status_code == 403
    assert staff.get(f"/admin/orchestration/metricsample/{sample.pk}/delete/").status_code == 403
