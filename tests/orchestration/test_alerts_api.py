"""GET /api/v1/orchestration/alerts (+ acknowledge) and security incidents over HTTP."""

import pytest

from orchestration import services
from orchestration.models import Alert

pytestmark = pytest.mark.django_db
URL = "/api/v1/orchestration/alerts"


@pytest.fixture
def open_uptime_alert(demo_data):
    services.metric_samples_ingest(
        samples=[{"partnership_type": "technical", "metric": "system_uptime", "value": 98.0}]
    )
    services.alerts_evaluate()
    return Alert.objects.get(kind="min_uptime", resolved_at__isnull=True)


def test_alerts_list_filters_and_detail(open_uptime_alert, role_client):
    viewer = role_client("metrics_viewer")
    body = viewer.get(URL, {"status": "open", "kind": "min_uptime"}).json()
    assert [row["id"] for row in body["results"]] == [open_uptime_alert.pk]
    row = body["results"][0]
    assert row["partnership"] == "technical_excellence" and row["kpi"] == "system_uptime"
    assert (row["status"], row["value"], row["threshold"], row["level_name"]) == (
        "open",
        98.0,
        99.5,
        "automated_resolution",
    )
    assert row["notifications"][0]["level_name"] == "automated_resolution"
    assert viewer.get(URL, {"status": "resolved", "kind": "min_uptime"}).json()["results"] == []
    assert viewer.get(f"{URL}/{open_uptime_alert.pk}").json()["id"] == open_uptime_alert.pk
    assert viewer.get(f"{URL}/999999").status_code == 404
    bad = viewer.get(URL, {"status": "maybe"})
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"


def test_acknowledge_records_who_and_is_idempotent(open_uptime_alert, role_client):
    manager = role_client("partnership_manager")
    first = manager.post(f"{URL}/{open_uptime_alert.pk}/acknowledge")
    assert first.status_code == 200
    assert first.json()["acknowledged_by"] is not None and first.json()["acknowledged_at"]
    again = manager.post(f"{URL}/{open_uptime_alert.pk}/acknowledge/")
    assert again.json()["acknowledged_at"] == first.json()["acknowledged_at"]
    assert role_client("metrics_viewer").post(f"{URL}/{open_uptime_alert.pk}/acknowledge").status_code == 403
    assert role_client("content_manager").get(URL).status_code == 403


def test_incidents_are_reported_and_resolved_over_http(demo_data, role_client, django_capture_on_commit_callbacks):
    collector = role_client("metrics_collector")
    with django_capture_on_commit_callbacks(execute=True):
        created = collector.post(
            "/api/v1/orchestration/incidents",
            {"partnership": "technical_excellence", "summary": "Token leak"},
            format="json",
        )
    assert created.status_code == 201, created.content
    unknown = collector.post("/api/v1/orchestration/incidents", {"partnership": "nope", "summary": "x"}, format="json")
    assert unknown.status_code == 400 and "partnership" in unknown.json()["errors"]
    admin = role_client("orchestration_admin")
    assert Alert.objects.filter(kind="security_incident", resolved_at__isnull=True).count() == 1
    # a collector's key reports incidents but cannot silence them; nor can a partnership manager
    incident_url = f"/api/v1/orchestration/incidents/{created.json()['id']}/resolve"
    assert collector.post(incident_url).status_code == 403
    assert role_client("partnership_manager").post(incident_url).status_code == 403
    listed = admin.get("/api/v1/orchestration/incidents", {"open": "true"}).json()["results"]
    assert [row["summary"] for row in listed] == ["Token leak"]
    with django_capture_on_commit_callbacks(execute=True):
        resolved = admin.post(f"/api/v1/orchestration/incidents/{created.json()['id']}/resolve")
    assert resolved.status_code == 200 and resolved.json()["resolved_at"]
    assert not Alert.objects.filter(kind="security_incident", resolved_at__isnull=True).exists()
