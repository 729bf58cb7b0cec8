"""Reports: the document's shape for every type, periods, build on request, one report per period under
races and rebuilds, subscriptions and e-mails sent once with their chart, CSV and unsubscribe link."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from analytics.models import Report, ReportDelivery, ReportSubscription
from analytics.periods import latest_finished, period_containing, today_utc
from analytics.services import report_build, report_mail
from analytics.tasks import build_report
from devsky.testing.concurrency import run_concurrently
from tests.devsky.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/analytics/reports"


@pytest.fixture
def viewer(role_client, settings):
    settings.DEVSKY_RATE_LIMITS_ENABLED = False
    return role_client("metrics_viewer")


@pytest.mark.usefixtures("demo_data")
@pytest.mark.parametrize("report_type", ["daily", "weekly", "monthly"])
def test_every_type_in_the_documents_shape_with_a_derived_summary(viewer, report_type):
    body = viewer.get(f"{URL}/{report_type}").json()
    assert {"report_type", "date", "summary", "partnerships"} <= set(body)
    assert body["report_type"] == report_type
    assert set(body["summary"]) == {"overall_health", "key_achievements", "strategic_priorities", "next_actions"}
    assert body["summary"]["overall_health"] in {"excellent", "good", "fair", "poor"}
    assert body["summary"]["key_achievements"] or body["summary"]["strategic_priorities"]
    start, end = latest_finished(report_type)
    assert (body["period_start"], body["period_end"], body["date"]) == (
        start.isoformat(),
        end.isoformat(),
        start.isoformat(),
    )
    technical = body["partnerships"]["technical_excellence"]
    assert technical["kpis"]["system_uptime"]["samples"] > 0
    assert technical["progress"] == 71.25


@pytest.mark.usefixtures("demo_data")
def test_periods_weeks_months_and_the_unfinished(viewer):
    today = today_utc()
    assert period_containing("weekly", today)[0].weekday() == 0
    last_week = viewer.get(f"{URL}/weekly", {"date": (today - timedelta(days=7)).isoformat()}).json()
    assert last_week["period_start"] == period_containing("weekly", today - timedelta(days=7))[0].isoformat()
    unfinished = viewer.get(f"{URL}/daily", {"date": today.isoformat()})
    assert unfinished.status_code == 404 and unfinished["Content-Type"] == "application/problem+json"
    assert viewer.get(f"{URL}/yearly").status_code == 404
    assert viewer.get(f"{URL}/daily", {"date": "yesterday"}).status_code == 400


@pytest.mark.usefixtures("demo_data")
def test_a_finished_missing_period_is_built_on_request(viewer):
    day = today_utc() - timedelta(days=5)
    assert not Report.objects.filter(report_type="daily", period_start=day).exists()
    body = viewer.get(f"{URL}/daily", {"date": day.isoformat()}).json()
    assert body["period_start"] == day.isoformat()
    assert Report.objects.filter(report_type="daily", period_start=day).count() == 1


@pytest.mark.usefixtures("demo_data")
def test_a_rebuild_replaces_and_the_list_pages(viewer):
    start = latest_finished("daily")[0]
    first = Report.objects.get(report_type="daily", period_start=start)
    again = report_build(report_type="daily", start=start)
    assert again.pk == first.pk and again.generated_at > first.generated_at
    assert Report.objects.filter(report_type="daily", period_start=start).count() == 1
    listed = viewer.get(f"{URL}/", {"report_type": "daily"}).json()["results"]
    assert [row["period_start"] for row in listed] == [start.isoformat()]


def test_reports_need_the_reports_role(role_client):
    assert role_client("content_manager").get(f"{URL}/daily").status_code == 403
    assert role_client("partnership_manager").get(f"{URL}/").status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_builds_of_one_period_leave_one_report():
    from django.core.management import call_command

    call_command("seed_demo", stdout=__import__("io").StringIO())
    start = today_utc() - timedelta(days=3)
    ids = run_concurrently(lambda: report_build(report_type="daily", start=start).pk, [()] * 6)
    assert len(set(ids)) == 1
    assert Report.objects.filter(report_type="daily", period_start=start).count() == 1
    assert connection.vendor == "postgresql"


# --- subscriptions and e-mail --------------------------------------------------------------------


@pytest.fixture
def subscriber(db):
    return UserFactory(roles=["metrics_viewer"], email="reader@example.test")


def test_subscriptions_api(role_client, subscriber):
    from devsky.testing.auth import client_with

    client = client_with("jwt", subscriber)
    assert client.post("/api/v1/analytics/subscriptions", {"report_type": "weekly"}, format="json").status_code == 201
    assert client.post("/api/v1/analytics/subscriptions", {"report_type": "weekly"}, format="json").status_code == 201
    assert [row["report_type"] for row in client.get("/api/v1/analytics/subscriptions").json()] == ["weekly"]
    assert client.post("/api/v1/analytics/subscriptions", {"report_type": "hourly"}, format="json").status_code == 400
    assert client.delete("/api/v1/analytics/subscriptions?report_type=weekly").status_code == 204
    assert client.delete("/api/v1/analytics/subscriptions?report_type=weekly").status_code == 404
    assert role_client("content_manager").get("/api/v1/analytics/subscriptions").status_code == 403


@pytest.mark.usefixtures("demo_data")
def test_a_built_report_is_mailed_once_per_subscriber(subscriber, django_capture_on_commit_callbacks):
    ReportSubscription.objects.create(user=subscriber, report_type="daily")
    ReportSubscription.objects.create(user=UserFactory(email="other@example.test"), report_type="daily")
    ReportSubscription.objects.create(user=UserFactory(email="weekly@example.test"), report_type="weekly")
    mail.outbox.clear()
    start = (today_utc() - timedelta(days=2)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        report_id = build_report.delay("daily", start).get()
    assert sorted(message.to[0] for message in mail.outbox) == ["other@example.test", "reader@example.test"]
    message = next(m for m in mail.outbox if m.to == ["reader@example.test"])
    assert "daily report" in message.subject
    html = message.alternatives[0][0]
    assert "Overall health" in html and "cid:health-chart" in html
    names = [part.get_filename() for part in message.message().walk() if part.get_filename()]
    assert any(name.endswith(".png") for name in names) and any(name.endswith(".csv") for name in names)
    # a retried task or a second beat sends nothing more
    assert report_mail(report_id=report_id) == 0
    assert len(mail.outbox) == 2
    assert ReportDelivery.objects.filter(report_id=report_id, sent_at__isnull=False).count() == 2


@pytest.mark.usefixtures("demo_data")
def test_unsubscribe_link_works_without_logging_in(subscriber):
    ReportSubscription.objects.create(user=subscriber, report_type="daily")
    mail.outbox.clear()
    report = report_build(report_type="daily", start=today_utc() - timedelta(days=1))
    report_mail(report_id=report.pk)
    link = re.search(r"(/unsubscribe/\S+/)", mail.outbox[0].body).group(1)
    page = Client().get(link)
    assert page.status_code == 200 and "no longer receive daily reports" in page.content.decode()
    assert not ReportSubscription.objects.filter(user=subscriber).exists()
    forged = Client().get(link.replace("/unsubscribe/", "/unsubscribe/x"))
    assert forged.status_code == 400


def test_an_empty_report_is_not_mailed(subscriber):
    ReportSubscription.objects.create(user=subscriber, report_type="daily")
    mail.outbox.clear()
    report = report_build(report_type="daily", start=today_utc() - timedelta(days=1))
    assert report.body["empty"] is True
    assert report_mail(report_id=report.pk) == 0 and mail.outbox == []


def test_the_chart_is_a_png():
    from analytics.charts import bar_chart_png

    png = bar_chart_png([97.0, 93.75, 94.99, 95.72])
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and b"IEND" in png[-12:]


@pytest.mark.usefixtures("demo_data")
def test_admin_shows_reports_as_pages_and_rebuilds_and_sends(subscriber):
    from devsky.testing.clients import browser_for

    staff = browser_for(UserFactory(roles=["orchestration_admin"], is_staff=True))
    report = Report.objects.get(report_type="daily")
    page = staff.get(f"/admin/analytics/report/{report.pk}/change/").content.decode()
    assert "Key achievements" in page and "Claude + Cursor Technical Engine" in page
    ReportSubscription.objects.create(user=subscriber, report_type="daily")
    mail.outbox.clear()
    before = report.generated_at
    staff.post("/admin/analytics/report/", {"action": "rebuild", "_selected_action": [report.pk]})
    report.refresh_from_db()
    assert report.generated_at > before
    staff.post("/admin/analytics/report/", {"action": "send_now", "_selected_action": [report.pk]})
    staff.post("/admin/analytics/report/", {"action": "send_now", "_selected_action": [report.pk]})
    assert len(mail.outbox) == 1
    assert staff.get("/admin/analytics/order/?partnership__id__exact=brand_amplification").status_code == 200


@pytest.mark.celery_worker
@pytest.mark.postgres
def test_beat_triggers_a_real_worker_that_builds_and_mails_a_report(smtp_sink, celery_beat_process):
    """Beat (database scheduler) → Redis → a real worker → the report table → an SMTP server."""
    import io

    from django.core.management import call_command
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    received, arrived = smtp_sink
    call_command("seed_demo", stdout=io.StringIO())
    Report.objects.filter(report_type="daily").delete()
    ReportSubscription.objects.create(user=UserFactory(email="beat@example.test"), report_type="daily")
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(
        name="test: daily report now",
        task="analytics.build_report",
        args='["daily"]',
        interval=every_second,
        queue=celery_beat_process,
    )
    assert arrived.wait(timeout=90), "no report e-mail arrived"
    message = received[0]
    assert message["To"] == "beat@example.test"
    assert "daily report" in message["Subject"]
    assert Report.objects.filter(report_type="daily").count() == 1
    assert ReportDelivery.objects.filter(email="beat@example.test").count() == 1


@pytest.mark.usefixtures("demo_data")
def test_reports_are_cached_and_a_rebuild_refreshes(viewer, django_capture_on_commit_callbacks):
    first = viewer.get(f"{URL}/daily").json()
    Report.objects.filter(report_type="daily").update(
        body={**first, "summary": {**first["summary"], "overall_health": "poor"}}
    )
    assert viewer.get(f"{URL}/daily").json()["summary"] == first["summary"]  # served from the cache
    with django_capture_on_commit_callbacks(execute=True):
        report_build(report_type="daily", start=latest_finished("daily")[0])
    assert viewer.get(f"{URL}/daily").json()["generated_at"] != first["generated_at"]
