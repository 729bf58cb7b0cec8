"""Outbound webhooks: subscriptions through the API, signed deliveries received by a local server,
retries on server errors, no retry on client errors, every attempt logged."""

import json
import time

import pytest

from devsky.testing.fake_http import Reply
from integrations import services, webhooks
from integrations.models import WebhookDelivery, WebhookSubscription
from orchestration import services as orchestration_services

pytestmark = pytest.mark.django_db
URL = "/api/v1/integrations/webhooks"
SECRET = "a-long-enough-signing-secret"


@pytest.fixture
def admin_api(role_client):
    return role_client("orchestration_admin")


def subscribe(client, url: str, events=("alert.*",), **extra):
    response = client.post(
        URL, {"name": "ops", "url": url, "events": list(events), "secret": SECRET, **extra}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def drop_uptime(capture) -> None:
    with capture(execute=True):
        orchestration_services.metric_samples_ingest(
            samples=[{"partnership_type": "technical", "metric": "system_uptime", "value": 97.0}]
        )


def test_an_alert_is_delivered_signed_to_the_subscriber(
    demo_data, admin_api, fake_service, django_capture_on_commit_callbacks
):
    fake_service.script("/hook", Reply(204))
    subscription = subscribe(admin_api, f"{fake_service.url}/hook")
    assert "secret" in subscription and subscription["secret"] == SECRET

    drop_uptime(django_capture_on_commit_callbacks)

    received = [r for r in fake_service.requests if r.headers.get("X-DevSky-Event") == "alert.opened"]
    uptime = [r for r in received if json.loads(r.body)["data"]["kind"] == "min_uptime"]
    assert len(uptime) == 1
    request = uptime[0]
    assert webhooks.verify_signature(
        secret=SECRET,
        timestamp=request.headers["X-DevSky-Timestamp"],
        body=request.body,
        signature=request.headers["X-DevSky-Signature"],
    )
    assert not webhooks.verify_signature(
        secret="another-secret",
        timestamp=request.headers["X-DevSky-Timestamp"],
        body=request.body,
        signature=request.headers["X-DevSky-Signature"],
    )
    body = json.loads(request.body)
    assert body["type"] == "alert.opened" and body["topic"] == "alerts"
    assert body["data"]["partnership"] == "technical_excellence" and body["data"]["value"] == 97.0
    delivery = WebhookDelivery.objects.get(pk=int(request.headers["X-DevSky-Delivery"]))
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("succeeded", 1, 204)
    # events the subscription did not ask for were not sent
    assert all(r.headers["X-DevSky-Event"].startswith("alert.") for r in fake_service.requests)

    deliveries = admin_api.get(f"{URL}/{subscription['id']}/deliveries").json()["results"]
    # opened, then its first escalation level (automated_resolution) notified
    assert {d["event_type"] for d in deliveries} == {"alert.opened", "alert.escalated"}
    assert all(d["status"] == "succeeded" for d in deliveries)


def test_server_errors_are_retried_until_the_last_attempt(demo_data, fake_service, settings):
    settings.DEVSKY_WEBHOOK_MAX_ATTEMPTS = 3
    fake_service.script("/hook", Reply(503))
    subscription = services.webhook_subscription_save(
        subscription=WebhookSubscription(name="x", url=f"{fake_service.url}/hook", events=["*"]), secret=SECRET
    )
    delivery = WebhookDelivery.objects.create(
        subscription=subscription, event_id="e1", event_type="alert.opened", payload={"id": "e1"}
    )
    with pytest.raises(services.DeliveryRetry):
        services.webhook_deliver(delivery_id=delivery.pk, final_attempt=False)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("pending", 1, 503)
    assert services.webhook_deliver(delivery_id=delivery.pk, final_attempt=True) == "failed"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error) == ("failed", 2, "answered 503")
    assert len(fake_service.requests) == 2
    # a failed delivery is not sent again by a stray retry
    assert services.webhook_deliver(delivery_id=delivery.pk, final_attempt=False) == "failed"
    assert len(fake_service.requests) == 2


@pytest.mark.parametrize("status", [400, 404, 410])
def test_client_errors_are_not_retried(demo_data, fake_service, status):
    fake_service.script("/hook", Reply(status))
    subscription = services.webhook_subscription_save(
        subscription=WebhookSubscription(name="x", url=f"{fake_service.url}/hook", events=["*"]), secret=SECRET
    )
    delivery = WebhookDelivery.objects.create(
        subscription=subscription, event_id="e3", event_type="alert.opened", payload={}
    )
    assert services.webhook_deliver(delivery_id=delivery.pk, final_attempt=False) == "failed"
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.response_code) == (1, status)


def test_subscription_api_validates_and_hides_the_secret(demo_data, admin_api):
    bad = admin_api.post(URL, {"name": "x", "url": "ftp://nope", "events": ["alert.*"]}, format="json")
    assert bad.status_code == 400 and "url" in bad.json()["errors"]
    unknown = admin_api.post(
        URL, {"name": "x", "url": "https://hooks.example.com/x", "events": ["no.such"]}, format="json"
    )
    assert unknown.status_code == 400 and "events" in unknown.json()["errors"]
    empty = admin_api.post(URL, {"name": "x", "url": "https://hooks.example.com/x", "events": []}, format="json")
    assert empty.status_code == 400
    created = admin_api.post(
        URL, {"name": "x", "url": "https://hooks.example.com/x", "events": ["report.built"]}, format="json"
    )
    assert created.status_code == 201
    generated = created.json()["secret"]
    assert len(generated) >= 32
    stored = WebhookSubscription.objects.get(pk=created.json()["id"])
    assert generated not in stored.secret_encrypted
    shown = admin_api.get(f"{URL}/{stored.pk}").json()
    assert "secret" not in shown and shown["events"] == ["report.built"]
    patched = admin_api.patch(f"{URL}/{stored.pk}", {"active": False}, format="json")
    assert patched.status_code == 200 and patched.json()["active"] is False
    assert admin_api.delete(f"{URL}/{stored.pk}").status_code == 204
    assert admin_api.get(f"{URL}/{stored.pk}").status_code == 404


def test_only_admins_manage_webhooks(demo_data, role_client):
    for role in ("partnership_manager", "metrics_viewer", "content_manager", "metrics_collector"):
        assert role_client(role).get(URL).status_code == 403


def test_events_without_subscribers_cost_no_query(demo_data, django_assert_num_queries):
    webhooks.active_subscriptions()  # cached
    message = {"event": "alert.opened", "id": "x", "topic": "alerts", "at": "", "data": {}}
    with django_assert_num_queries(0):
        webhooks.on_event(message)


def test_a_deactivated_subscription_gets_no_more_attempts(demo_data, fake_service):
    fake_service.script("/hook", Reply(200))
    subscription = services.webhook_subscription_save(
        subscription=WebhookSubscription(name="x", url=f"{fake_service.url}/hook", events=["*"]), secret=SECRET
    )
    delivery = WebhookDelivery.objects.create(
        subscription=subscription, event_id="e9", event_type="alert.opened", payload={}
    )
    WebhookSubscription.objects.filter(pk=subscription.pk).update(active=False)
    assert services.webhook_deliver(delivery_id=delivery.pk, final_attempt=False) == "failed"
    assert fake_service.requests == []


def test_signatures_with_odd_characters_are_refused_not_raised():
    assert not webhooks.verify_signature(
        secret=SECRET, timestamp=str(int(time.time())), body=b"{}", signature="sha256=é"
    )
