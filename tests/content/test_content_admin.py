"""The brand team's admin: CSV import/export validated by the model rules, list editing, bulk actions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from content.models import Influencer
from devsky.testing.clients import browser_for
from tests.content.factories import InfluencerFactory
from tests.devsky.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return browser_for(UserFactory(roles=["content_manager"], is_staff=True))


def import_csv(staff, text: str):
    upload = SimpleUploadedFile("influencers.csv", text.encode(), content_type="text/csv")
    page = staff.post("/admin/content/influencer/import/", {"import_file": upload, "format": "0", "resource": "0"})
    assert page.status_code == 200
    return page


def test_csv_import_creates_influencers_after_confirmation(staff):
    page = import_csv(
        staff,
        "name,platform,followers,engagement_rate,tier,status,verified,contact,notes\n"
        "Import_Lea,instagram,120000,4.5,,prospect,0,,\n"
        "Import_Omar,tiktok,5000,9.1,tier_4,contacted,1,omar@example.com,met in Milan\n",
    )
    confirm = page.context["confirm_form"]
    data = {name: field.value() for name, field in ((f.name, f) for f in confirm)}
    done = staff.post("/admin/content/influencer/process_import/", data, follow=True)
    assert done.status_code == 200
    lea = Influencer.objects.get(name="Import_Lea")
    assert lea.tier == "tier_2"  # computed from followers
    assert Influencer.objects.get(name="Import_Omar").verified is True


def test_csv_import_rejects_invalid_rows(staff):
    page = import_csv(staff, "name,platform,followers,engagement_rate\nBad_Rate,instagram,100,150\n")
    assert "confirm_form" not in page.context or page.context["confirm_form"] is None
    assert "Ensure this value is less than or equal to 100" in page.content.decode()
    assert not Influencer.objects.exists()


def test_csv_export(staff):
    InfluencerFactory(name="Export_Me")
    response = staff.post(
        "/admin/content/influencer/export/", {"format": "0", "resource": "0", "influencerresource_name": "on"}
    )
    assert response.status_code == 200
    assert b"Export_Me" in response.content


def test_bulk_verify_and_status_actions(staff):
    influencers = InfluencerFactory.create_batch(3)
    ids = [influencer.pk for influencer in influencers]
    staff.post("/admin/content/influencer/", {"action": "verify", "_selected_action": ids})
    assert Influencer.objects.filter(verified=True).count() == 3
    staff.post("/admin/content/influencer/", {"action": "set_status_active", "_selected_action": ids[:2]})
    assert Influencer.objects.filter(status="active").count() == 2


def test_content_manager_cannot_open_decisions_or_config(staff):
    assert staff.get("/admin/orchestration/ruleset/").status_code == 403
    assert staff.get("/admin/content/contentpiece/").status_code == 200


def test_imports_go_through_the_services(staff, demo_data, django_capture_on_commit_callbacks):
    from devsky.testing.clients import EventListener

    listener = EventListener()
    try:
        page = import_csv(staff, "name,platform,status\nLuxuryLifestyle_Anna,instagram,ended\n")
        confirm = page.context["confirm_form"]
        with django_capture_on_commit_callbacks(execute=True):
            staff.post("/admin/content/influencer/process_import/", {f.name: f.value() for f in confirm})
        assert Influencer.objects.get(name="LuxuryLifestyle_Anna").status == "ended"
        assert listener.next("influencer.updated")["data"]["to"] == "ended"
    finally:
        listener.close()
