"""The orchestration configuration: exact shape, strict schema, If-Match, history, and health follows it."""

import copy

import pytest

from orchestration.defaults import DEFAULT_CONFIG
from orchestration.models import ConfigRevision

URL = "/api/v1/config/orchestration"


@pytest.fixture
def admin(role_client, settings):
    settings.DEVSKY_RATE_LIMITS_ENABLED = False
    return role_client("orchestration_admin")


@pytest.mark.django_db
def test_get_has_the_documents_shape_and_an_etag(admin):
    response = admin.get(URL)
    body = response.json()
    assert set(body) == {"version", "updated_at", "updated_by", "config"}
    assert body["version"] == 1 and body["config"] == DEFAULT_CONFIG
    assert response["ETag"] == '"v1"'


@pytest.mark.django_db
def test_valid_put_changes_health_at_once(admin, demo_data, role_client, django_capture_on_commit_callbacks):
    viewer = role_client("metrics_viewer")
    assert viewer.get("/api/v1/orchestration/health").json()["partnerships"]["brand"]["health"] == "good"
    config = copy.deepcopy(DEFAULT_CONFIG)
    config["health_thresholds"] = {"excellent": 93, "good": 80, "fair": 60}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.put(URL, {"config": config}, format="json", HTTP_IF_MATCH='"v1"')
    assert response.status_code == 200, response.content
    assert (response.json()["version"], response["ETag"]) == (2, '"v2"')
    assert response.json()["updated_by"]
    assert viewer.get("/api/v1/orchestration/health").json()["partnerships"]["brand"]["health"] == "excellent"
    history = admin.get(f"{URL}/history").json()["revisions"]
    assert [row["version"] for row in history] == [2, 1]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda c: c.update(extra=1), "config.extra"),
        (lambda c: c.pop("kpi_freshness_hours"), "config.kpi_freshness_hours"),
        (lambda c: c["health_thresholds"].update(good=99), "config.health_thresholds"),
        (lambda c: c["alert_thresholds"].update(min_uptime=101), "config.alert_thresholds.min_uptime"),
        (lambda c: c["alert_thresholds"].update(colour="red"), "config.alert_thresholds.colour"),
        (lambda c: c.update(monitoring_interval_seconds="60"), "config.monitoring_interval_seconds"),
        (lambda c: c.update(escalation_levels=[]), "config.escalation_levels"),
    ],
)
def test_invalid_documents_are_400_and_change_nothing(admin, change, field):
    config = copy.deepcopy(DEFAULT_CONFIG)
    change(config)
    response = admin.put(URL, {"config": config}, format="json", HTTP_IF_MATCH='"v1"')
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert ConfigRevision.objects.count() == 1


@pytest.mark.django_db
def test_stale_or_missing_if_match(admin):
    body = {"config": DEFAULT_CONFIG}
    assert admin.put(URL, body, format="json").status_code == 428
    assert admin.put(URL, body, format="json", HTTP_IF_MATCH="*").status_code == 428
    assert admin.put(URL, body, format="json", HTTP_IF_MATCH='"v1"').status_code == 200
    stale = admin.put(URL, body, format="json", HTTP_IF_MATCH='"v1"')
    assert stale.status_code == 412 and stale.json()["current_etag"] == '"v2"'
    assert ConfigRevision.objects.count() == 2


@pytest.mark.django_db
def test_configuration_is_admin_only(role_client):
    for role in ("partnership_manager", "metrics_viewer", "content_manager", "metrics_collector"):
        assert role_client(role).get(URL).status_code == 403


@pytest.mark.django_db
def test_admin_adds_revisions_through_the_same_schema():
    import json

    from devsky.testing.clients import browser_for
    from tests.devsky.factories import UserFactory

    staff = browser_for(UserFactory(roles=["orchestration_admin"], is_staff=True))
    bad = copy.deepcopy(DEFAULT_CONFIG)
    bad["health_thresholds"]["good"] = 99
    page = staff.post("/admin/orchestration/configrevision/add/", {"config": json.dumps(bad)})
    assert page.status_code == 200 and "excellent &gt; good &gt; fair" in page.content.decode()
    good = copy.deepcopy(DEFAULT_CONFIG)
    good["kpi_freshness_hours"] = 12
    assert staff.post("/admin/orchestration/configrevision/add/", {"config": json.dumps(good)}).status_code == 302
    assert ConfigRevision.objects.get(version=2).config["kpi_freshness_hours"] == 12
