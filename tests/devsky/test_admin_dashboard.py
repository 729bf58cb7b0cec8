"""The admin opens on the programme's dashboard; what each role sees and may open follows DESIGN.md §10."""

import re

import pytest
from django.contrib import admin
from django.utils.html import escape

from analytics.charts import sparkline_svg
from devsky.testing.clients import browser_for
from partnerships.models import Deliverable, DeliverableChange
from tests.devsky.factories import UserFactory

pytestmark = pytest.mark.usefixtures("demo_data")

PROJECT_APPS = {"partnerships", "orchestration", "content", "analytics", "communication", "devsky"}


def staff(*roles):
    return browser_for(UserFactory(roles=list(roles), is_staff=True))


def progress_of(page: str, partnership: str) -> str:
    card = re.search(rf'id="partnership-{partnership}" data-progress="([0-9.]+)"', page)
    assert card, f"no card for {partnership}"
    return card.group(1)


def test_admin_sees_every_panel_with_demo_data():
    page = staff("orchestration_admin").get("/admin/").content.decode()
    assert 'aria-label="Programme dashboard"' in page
    assert "Overall status" in page and "health-badge" in page
    for partnership, progress in [
        ("technical_excellence", "71.25"),
        ("brand_amplification", "77.5"),
        ("visual_intelligence", "67.5"),
        ("customer_excellence", "75.0"),
    ]:
        assert progress_of(page, partnership) == progress
    assert page.count('<svg class="sparkline"') == 16  # one 30-day chart per KPI
    assert page.count("<polyline") == 16
    assert "System uptime</strong>: 99.95" in page  # the technical headline KPI, with its target
    assert 'id="due-soon"' in page and "Microservices architecture" in page
    assert 'id="latest-reports"' in page and "Monthly" in page
    assert 'id="recent-decisions"' in page and "APPROVE_IMMEDIATE" in page
    # the demo KPIs that miss their targets by more than 10 % are open alerts
    alerts = page.split('id="open-alerts"', 1)[1].split("</table>", 1)[0]
    assert "development_velocity is 35.2" in alerts and "social_revenue is 22" in alerts
    assert "<script" not in page.split('id="dashboard"', 1)[1].split("</section>", 1)[0]  # charts are plain SVG


def test_content_manager_sees_neither_programme_panels_nor_decisions_nor_config():
    client = staff("content_manager")
    page = client.get("/admin/").content.decode()
    assert "Overall status" in page
    for panel in (
        'id="partnership-',
        'id="recent-decisions"',
        'id="latest-reports"',
        'id="due-soon"',
        'id="open-alerts"',
    ):
        assert panel not in page
    assert "/admin/content/influencer/" in page
    for url in (
        "/admin/orchestration/decision/",
        "/admin/orchestration/configrevision/",
        "/admin/orchestration/configrevision/add/",
        "/admin/orchestration/ruleset/",
        "/admin/partnerships/deliverable/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.get("/admin/content/influencer/").status_code == 200


def test_metrics_viewer_reads_metrics_and_reports_but_not_decisions():
    client = staff("metrics_viewer")
    page = client.get("/admin/").content.decode()
    assert 'id="partnership-technical_excellence"' in page  # KPI trends: metrics are theirs to read
    assert 'class="partnership-progress"' not in page  # progress belongs to partnerships
    assert 'id="recent-decisions"' not in page and 'id="latest-reports"' in page
    assert client.get("/admin/orchestration/metricsample/").status_code == 200
    assert client.get("/admin/analytics/report/").status_code == 200
    for url in ("/admin/orchestration/decision/", "/admin/orchestration/configrevision/", "/admin/analytics/order/"):
        assert client.get(url).status_code == 403, url


def test_partnership_manager_edits_completion_in_the_list_and_the_dashboard_follows(django_capture_on_commit_callbacks):
    manager = UserFactory(roles=["partnership_manager"], is_staff=True)
    client = browser_for(manager)
    assert 'id="recent-decisions"' not in client.get("/admin/").content.decode()
    changelist = client.get("/admin/partnerships/deliverable/?partnership__id__exact=technical_excellence")
    formset = changelist.context["cl"].formset
    data = {
        "form-TOTAL_FORMS": str(formset.total_form_count()),
        "form-INITIAL_FORMS": str(formset.initial_form_count()),
        "_save": "Save",
    }
    for index, form in enumerate(formset.forms):
        deliverable = form.instance
        data[f"form-{index}-id"] = str(deliverable.pk)
        data[f"form-{index}-completion"] = (
            "100" if deliverable.key == "microservices_architecture" else str(deliverable.completion)
        )
        data[f"form-{index}-state"] = deliverable.state
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/partnerships/deliverable/?partnership__id__exact=technical_excellence", data)
    assert response.status_code == 302
    deliverable = Deliverable.objects.get(key="microservices_architecture")
    assert (deliverable.completion, deliverable.state) == (100, "done")
    change = DeliverableChange.objects.get(deliverable=deliverable)
    assert (change.from_completion, change.to_completion, change.source, change.changed_by) == (
        60,
        100,
        "admin",
        manager,
    )
    assert DeliverableChange.objects.count() == 1  # unchanged rows are not saved
    assert progress_of(client.get("/admin/").content.decode(), "technical_excellence") == "81.25"


def test_partnership_page_shows_trend_charts_inline_progress_and_change_history():
    client = staff("partnership_manager")
    url = "/admin/partnerships/partnership/technical_excellence/change/"
    page = client.get(url).content.decode()
    assert page.count('<svg class="sparkline"') == 4
    assert '<progress value="60.0"' in page  # inline deliverables show their progress
    assert "No change recorded yet." in page
    deliverable = Deliverable.objects.get(key="ai_personalization_engine")
    from partnerships.services import deliverable_update

    deliverable_update(partnership_id="technical_excellence", key=deliverable.key, completion=80, source="api")
    page = client.get(url).content.decode()
    assert "ai_personalization_engine" in page and "75.0 → 80.0" in page


def test_every_project_list_has_search_and_filters():
    missing = [
        f"{model._meta.label}: {'search' if not model_admin.search_fields else 'filters'}"
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in PROJECT_APPS and not (model_admin.search_fields and model_admin.list_filter)
    ]
    assert missing == []


def test_sparkline_is_plain_svg_scaled_to_its_box():
    svg = sparkline_svg([1, 2, 3, 2], target=4, width=100, height=20, label='<b>"x"')
    points = re.search(r'points="([^"]+)"', svg).group(1).split()
    assert len(points) == 4
    assert all(0 <= float(x) <= 100 and 0 <= float(y) <= 20 for x, y in (point.split(",") for point in points))
    assert "stroke-dasharray" in svg  # the target line
    assert escape('<b>"x"') in svg and "<b>" not in svg
    empty = sparkline_svg([], label="none")
    assert "<polyline" not in empty and "no data" in empty
