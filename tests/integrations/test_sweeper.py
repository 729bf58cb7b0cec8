"""Work whose task was lost (broker down at enqueue time, worker killed after a claim) goes out again."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from devsky.testing.fake_http import Reply
from integrations import services
from integrations.models import WebhookDelivery, WebhookSubscription
from orchestration.models import Alert, AlertNotification

pytestmark = pytest.mark.django_db
SECRET = "a-long-enough-signing-secret"


def test_a_lost_delivery_is_sent_again_once(demo_data, fake_service):
    fake_service.script("/hook", Reply(200))
    subscription = services.webhook_subscription_save(
        subscription=WebhookSubscription(name="x", url=f"{fake_service.url}/hook", events=["*"]), secret=SECRET
    )
    long_ago = timezone.now() - timedelta(minutes=30)
    lost = WebhookDelivery.objects.create(
        subscription=subscription, event_id="lost", event_type="alert.opened", payload={}, next_attempt_at=long_ago
    )
    waiting = WebhookDelivery.objects.create(  # its retry is due later: not lost
        subscription=subscription,
        event_id="waiting",
        event_type="alert.opened",
        payload={},
        next_attempt_at=timezone.now() + timedelta(minutes=30),
    )
    assert services.lost_work_requeue()["webhook_deliveries"] == 1
    lost.refresh_from_db()
    waiting.refresh_from_db()
    assert (lost.status, lost.attempts) == ("succeeded", 1)
    assert (waiting.status, waiting.attempts) == ("pending", 0)
    assert services.lost_work_requeue()["webhook_deliveries"] == 0
    assert len(fake_service.requests) == 1


def test_an_unsent_alert_mail_is_sent_again(demo_data):
    alert = Alert.objects.filter(resolved_at__isnull=True).first()
    notification = AlertNotification.objects.create(
        alert=alert, level=1, level_name="partnership_notification", recipients=["pm@example.com"]
    )
    AlertNotification.objects.filter(pk=notification.pk).update(created_at=timezone.now() - timedelta(minutes=30))
    mail.outbox.clear()
    assert services.lost_work_requeue()["alert_notifications"] == 1
    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert [m.to for m in mail.outbox] == [["pm@example.com"]]
    assert services.lost_work_requeue()["alert_notifications"] == 0
