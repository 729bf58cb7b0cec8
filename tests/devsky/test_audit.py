"""The audit log (DESIGN.md §9): every write of the programme's data records who, when, before/after and
the request id — from the API, the admin and the services' bulk writes alike."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import timezone

from communication.models import Meeting
from content.models import ContentPiece, Influencer
from devsky.audit import NOT_AUDITED
from devsky.testing.auth import client_with
from devsky.testing.clients import browser_for
from orchestration import services as orchestration_services
from orchestration.models import RuleSet
from partnerships.models import Deliverable
from tests.devsky.factories import UserFactory

DELIVERABLE = "/api/v1/partnerships/technical_excellence/deliverables/microservices_architecture"


def test_every_project_model_is_audited_or_listed_with_a_reason():
    unaccounted = []
    for label in settings.PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            name = f"{model._meta.app_label}.{model._meta.model_name}"
            if model._meta.model_name.startswith("historical") or name in NOT_AUDITED:
                continue
            if not hasattr(model._meta, "simple_history_manager_attribute"):
                unaccounted.append(name)
    assert unaccounted == [], "add `history = audit_history()` or list the model in devsky.audit.NOT_AUDITED"


@pytest.mark.usefixtures("demo_data")
def test_an_api_update_records_the_principal_the_request_id_and_the_change():
    manager = UserFactory(roles=["partnership_manager"])
    client = client_with("jwt", manager)
    response = client.patch(DELIVERABLE, {"completion_percentage": 72.5}, format="json", HTTP_X_REQUEST_ID="audit-1")
    assert response.status_code == 200, response.content
    record = Deliverable.objects.get(key="microservices_architecture").history.first()
    assert (record.history_type, record.history_user, record.request_id) == ("~", manager, "audit-1")
    delta = record.diff_against(record.prev_record)
    changes = {change.field: (change.old, change.new) for change in delta.changes}
    assert changes["completion"] == (60.0, 72.5)
    assert changes["version"] == (1, 2)


@pytest.mark.usefixtures("demo_data")
def test_an_api_key_write_is_attributed_to_the_key_owner():
    manager = UserFactory(roles=["partnership_manager"])
    client = client_with("api_key", manager)
    assert client.patch(DELIVERABLE, {"completion_percentage": 61}, format="json").status_code == 200
    record = Deliverable.objects.get(key="microservices_architecture").history.first()
    assert record.history_user == manager
    assert len(record.request_id) == 32  # the generated X-Request-ID


@pytest.mark.usefixtures("demo_data")
def test_bulk_api_creates_record_every_row_with_the_request():
    manager = UserFactory(roles=["content_manager"])
    client = client_with("jwt", manager)
    handles = [{"name": f"Audit_{i}", "platform": "tiktok", "followers": 1000 + i} for i in range(30)]
    response = client.post("/api/v1/content/influencers", handles, format="json", HTTP_X_REQUEST_ID="bulk-7")
    assert response.status_code == 201, response.content
    created = Influencer.objects.filter(name__startswith="Audit_")
    records = Influencer.history.filter(id__in=created.values("id"))
    assert records.count() == 30
    assert set(records.values_list("history_type", "history_user", "request_id")) == {("+", manager.pk, "bulk-7")}
    pieces = [{"platform": "instagram", "content_type": "audit", "reach": 10} for _ in range(5)]
    assert client.post("/api/v1/content/pieces", pieces, format="json").status_code == 201
    assert ContentPiece.history.filter(content_type="audit", history_type="+").count() == 5


@pytest.mark.usefixtures("demo_data")
def test_rule_set_versions_and_activation_are_recorded():
    admin = UserFactory(roles=["orchestration_admin"])
    version_1 = RuleSet.objects.get(active=True)
    rules = [{"condition": "otherwise", "outcome": "DEFER_OR_REJECT", "rationale": "Hold everything."}]
    version_2 = orchestration_services.rule_set_create(rules=rules, author=admin)
    assert version_2.rules.get().history.count() == 1  # the bulk-created rule has its '+' record
    orchestration_services.rule_set_activate(rule_set=version_2)
    off = version_1.history.first()
    on = version_2.history.first()
    assert (off.history_type, off.active, on.history_type, on.active) == ("~", False, "~", True)


@pytest.mark.usefixtures("demo_data")
def test_scheduled_meetings_get_one_creation_record_each_however_often_scheduled():
    admin = UserFactory(roles=["orchestration_admin"])
    client = client_with("jwt", admin)
    start = timezone.now().date() + timedelta(days=1)
    body = {"protocol": "daily_standup", "start_date": str(start), "end_date": str(start + timedelta(days=4))}
    assert client.post("/api/v1/communication/schedule", body, format="json").status_code == 201
    assert client.post("/api/v1/communication/schedule", body, format="json").json()["created"] == 0
    meetings = Meeting.objects.filter(protocol_id="daily_standup", starts_at__date__gte=start)
    assert meetings.count() == 5
    records = Meeting.history.filter(id__in=meetings.values("id"))
    assert records.count() == 5
    assert set(records.values_list("history_type", "history_user")) == {("+", admin.pk)}


@pytest.mark.usefixtures("demo_data")
def test_admin_history_page_shows_who_and_before_after():
    manager = UserFactory(roles=["partnership_manager"], is_staff=True)
    client_with("jwt", manager).patch(
        DELIVERABLE, {"completion_percentage": 90}, format="json", HTTP_X_REQUEST_ID="req-42"
    )
    deliverable = Deliverable.objects.get(key="microservices_architecture")
    page = browser_for(manager).get(f"/admin/partnerships/deliverable/{deliverable.pk}/history/")
    assert page.status_code == 200
    html = page.content.decode()
    assert manager.username in html and "req-42" in html
    assert "60.0" in html and "90.0" in html  # completion before → after


@pytest.mark.usefixtures("demo_data")
def test_history_cannot_be_reverted_from_the_admin():
    admin = UserFactory(is_staff=True, is_superuser=True)
    deliverable = Deliverable.objects.get(key="microservices_architecture")
    first = deliverable.history.last()
    client_with("jwt", admin).patch(DELIVERABLE, {"completion_percentage": 95}, format="json")
    client = browser_for(admin)
    url = f"/admin/partnerships/deliverable/{deliverable.pk}/history/{first.history_id}/"
    page = client.get(url)
    assert page.status_code == 200 and "Revert" not in page.content.decode()
    assert client.post(url, {"completion": "60", "state": "in_progress", "weight": "1"}).status_code == 403
    deliverable.refresh_from_db()
    assert deliverable.completion == 95
