"""Staff run the partnerships in the admin; progress edits go through the same service as the API."""

import pytest

from devsky.testing.admin import form_data
from devsky.testing.clients import browser_for as client_for
from orchestration.models import Kpi
from partnerships.models import Deliverable, DeliverableChange
from tests.devsky.factories import UserFactory

pytestmark = pytest.mark.usefixtures("demo_data")


@pytest.fixture
def staff():
    return client_for(UserFactory(roles=["partnership_manager"], is_staff=True))


@pytest.fixture
def admin_staff():
    return client_for(UserFactory(roles=["orchestration_admin"], is_staff=True))


def test_changelist_shows_progress_bars_and_health(staff):
    page = staff.get("/admin/partnerships/partnership/").content.decode()
    assert '<progress value="71.25" max="100"' in page
    assert "excellent" in page and "good" in page


def test_change_page_shows_latest_kpis(staff):
    page = staff.get("/admin/partnerships/partnership/technical_excellence/change/").content.decode()
    assert "System uptime" in page and "99.95" in page and "88.0%" in page


def test_inline_completion_edit_is_recorded_like_an_api_update(staff, django_capture_on_commit_callbacks):
    url = "/admin/partnerships/partnership/technical_excellence/change/"
    data = form_data(staff.get(url))
    row = next(key for key, value in data.items() if value == "microservices_architecture")
    prefix = row.rsplit("-", 1)[0]
    data[f"{prefix}-completion"] = "85"
    data[f"{prefix}-status"] = "Implementation 85% complete"
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    deliverable = Deliverable.objects.get(key="microservices_architecture")
    assert (deliverable.completion, deliverable.version) == (85, 2)
    change = DeliverableChange.objects.get()
    assert (change.from_completion, change.to_completion, change.source) == (60, 85, "admin")
    assert change.changed_by is not None
    assert DeliverableChange.objects.count() == 1  # untouched rows are not "changed"
    page = staff.get("/admin/partnerships/partnership/").content.decode()
    assert '<progress value="77.5" max="100"' in page


def test_deliverable_page_shows_its_history(staff):
    deliverable = Deliverable.objects.get(key="virtual_try_on")
    url = f"/admin/partnerships/deliverable/{deliverable.pk}/change/"
    data = form_data(staff.get(url))
    data["completion"] = "65"
    assert staff.post(url, data).status_code == 302
    page = staff.get(url).content.decode()
    assert "60.0 → 65.0" in page


def test_kpi_target_change_takes_effect(admin_staff, role_client, django_capture_on_commit_callbacks):
    viewer = role_client("metrics_viewer")
    assert viewer.get("/api/v1/orchestration/health").json()["partnerships"]["technical"]["score"] == 97.0
    kpi = Kpi.objects.get(key="development_velocity")
    url = f"/admin/orchestration/kpi/{kpi.pk}/change/"
    data = form_data(admin_staff.get(url))
    data["target"] = "35.2"
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_staff.post(url, data).status_code == 302
    assert viewer.get("/api/v1/orchestration/health").json()["partnerships"]["technical"]["score"] == 100.0


def test_samples_are_read_only_and_listable(admin_staff):
    response = admin_staff.get("/admin/orchestration/metricsample/?kpi__partnership_type=brand")
    assert response.status_code == 200
    assert admin_staff.get("/admin/orchestration/metricsample/add/").status_code == 403


def test_content_managers_cannot_open_partnerships(role_client):
    content = client_for(UserFactory(roles=["content_manager"], is_staff=True))
    assert content.get("/admin/partnerships/partnership/").status_code == 403
