"""Integrations in the admin: collector settings validated by their plug-in, credentials and webhook
secrets stored encrypted, runs and alerts visible, list pages that open."""

import pytest

from devsky.testing.clients import browser_for
from integrations.models import Collector, CollectorRun, WebhookSubscription
from orchestration.models import Alert
from tests.devsky.factories import UserFactory

pytestmark = pytest.mark.usefixtures("demo_data")
ADD = "/admin/integrations/collector/add/"


@pytest.fixture
def admin_browser():
    return browser_for(UserFactory(roles=["orchestration_admin"], is_staff=True, is_superuser=True))


def collector_form(**overrides):
    data = {
        "name": "stats",
        "kind": "http_json",
        "partnership": "technical_excellence",
        "enabled": "on",
        "interval_seconds": "120",
        "settings": '{"url": "https://stats.example.com/v1", "mapping": {"development_velocity": "$.velocity"}}',
        "credential_env": "",
        "credential": "a-secret-token",
    }
    data.update(overrides)
    return data


def test_a_collector_is_added_with_an_encrypted_credential(admin_browser):
    response = admin_browser.post(ADD, collector_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    collector = Collector.objects.get(name="stats")
    assert collector.credential_encrypted and "a-secret-token" not in collector.credential_encrypted
    page = admin_browser.get(f"/admin/integrations/collector/{collector.pk}/change/").content.decode()
    assert "a-secret-token" not in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"settings": '{"url": "nope", "mapping": {"development_velocity": "$.v"}}'}, "settings.url"),
        (
            {"settings": '{"url": "https://x.example.com", "mapping": {"development_velocity": "$[[["}}'},
            "Not a JSONPath",
        ),
        ({"settings": '{"url": "https://x.example.com", "mapping": {}}'}, "settings.mapping"),
        (
            {"settings": '{"url": "https://x.example.com", "mapping": {"a": "$.a"}, "extra": 1}'},
            "settings.extra: Unknown field.",
        ),
        ({"credential_env": "DJANGO_SECRET_KEY"}, "DEVSKY_CREDENTIAL_"),
    ],
)
def test_bad_collector_settings_are_explained_in_words(admin_browser, overrides, message):
    response = admin_browser.post(ADD, collector_form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Collector.objects.filter(name="stats").exists()


def test_lists_and_pages_open(admin_browser):
    collector = Collector.objects.get(name="content-library")
    CollectorRun.objects.create(collector=collector, started_at=collector.created_at, status="failed", error="boom")
    for path in (
        "/admin/integrations/collector/",
        "/admin/integrations/collectorrun/",
        "/admin/integrations/webhooksubscription/",
        "/admin/integrations/webhookdelivery/",
        "/admin/orchestration/alert/",
        "/admin/orchestration/securityincident/",
        f"/admin/orchestration/alert/{Alert.objects.first().pk}/change/",
    ):
        assert admin_browser.get(path).status_code == 200, path
    assert "boom" in admin_browser.get("/admin/integrations/collectorrun/").content.decode()


def test_a_webhook_subscription_needs_known_events_and_a_secret(admin_browser):
    add = "/admin/integrations/webhooksubscription/add/"
    base = {"name": "ops", "url": "https://hooks.example.com/devsky", "active": "on"}
    refused = admin_browser.post(add, {**base, "events": "no.such", "secret": "x" * 20}).content.decode()
    assert "Unknown event types" in refused
    refused = admin_browser.post(add, {**base, "events": "alert.*"}).content.decode()
    assert "needs a signing secret" in refused
    assert admin_browser.post(add, {**base, "events": "alert.*, report.built", "secret": "x" * 20}).status_code == 302
    subscription = WebhookSubscription.objects.get()
    assert subscription.events == ["alert.*", "report.built"]
    assert "x" * 20 not in subscription.secret_encrypted


def test_demo_alerts_are_open_for_the_kpis_that_miss_their_targets():
    assert set(Alert.objects.filter(resolved_at__isnull=True).values_list("kpi__key", flat=True)) == {
        "development_velocity",
        "social_revenue",
    }


def test_only_the_right_roles_get_the_alert_and_incident_actions():
    viewer = browser_for(UserFactory(roles=["metrics_viewer"], is_staff=True))
    manager = browser_for(UserFactory(roles=["partnership_manager"], is_staff=True))
    viewer_page = viewer.get("/admin/orchestration/alert/").content.decode()
    assert 'value="acknowledge"' not in viewer_page and 'value="evaluate_now"' not in viewer_page
    manager_page = manager.get("/admin/orchestration/alert/").content.decode()
    assert 'value="acknowledge"' in manager_page and 'value="evaluate_now"' not in manager_page
    incidents = manager.get("/admin/orchestration/securityincident/").content.decode()
    assert 'value="resolve"' not in incidents


def test_run_now_through_the_api_is_queued(role_client, django_capture_on_commit_callbacks):
    collector = Collector.objects.get(name="content-library")
    admin_api = role_client("orchestration_admin")
    with django_capture_on_commit_callbacks(execute=True):  # eager here: the queued run happens at once
        response = admin_api.post(f"/api/v1/integrations/collectors/{collector.pk}/runs")
    assert response.status_code == 202 and response.json() == {"collector": collector.pk, "status": "queued"}
    assert CollectorRun.objects.filter(collector=collector, status="succeeded").count() == 1
