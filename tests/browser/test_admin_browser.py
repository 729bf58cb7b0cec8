"""Staff scenarios in a real browser (Chromium through Playwright) against a live server."""

import pytest

from content.models import Influencer
from tests.browser.conftest import query

pytestmark = pytest.mark.browser


def card_progress(page, partnership: str) -> str:
    return page.locator(f"#partnership-{partnership}").get_attribute("data-progress")


def test_partnership_manager_updates_completion_in_the_list_and_sees_the_dashboard_progress(page, site, log_in):
    log_in("partnership_manager")
    assert page.locator("#dashboard").is_visible()
    assert card_progress(page, "technical_excellence") == "71.25"
    assert page.locator("#recent-decisions").count() == 0  # decisions are admin-only

    page.goto(f"{site}/admin/partnerships/deliverable/?partnership__id__exact=technical_excellence")
    row = page.locator("#result_list tbody tr", has_text="microservices_architecture")
    row.locator("input[name$='-completion']").fill("100")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    page.goto(f"{site}/admin/")
    assert card_progress(page, "technical_excellence") == "81.25"
    bar = page.locator("#partnership-technical_excellence .partnership-progress progress")
    assert bar.get_attribute("value") == "81.25"


def test_content_manager_imports_influencers_from_csv(page, site, log_in, tmp_path):
    log_in("content_manager")
    assert page.locator("#partnership-technical_excellence").count() == 0
    csv_file = tmp_path / "influencers.csv"
    csv_file.write_text(
        "name,platform,followers,engagement_rate,status\n"
        "Browser_Atelier,instagram,250000,4.2,contacted\n"
        "Browser_Couture,tiktok,12000,7.5,prospect\n"
    )
    page.goto(f"{site}/admin/content/influencer/import/")
    page.set_input_files("#id_import_file", str(csv_file))
    page.select_option("#id_format", label="csv")
    page.click("input[type=submit]")
    page.click("input[name=confirm]")
    page.wait_for_selector(".messagelist .success")
    assert "Import finished" in page.locator(".messagelist").inner_text()
    created = query(
        lambda: set(Influencer.objects.filter(name__startswith="Browser_").values_list("name", "tier", "status"))
    )
    assert created == {("Browser_Atelier", "tier_2", "contacted"), ("Browser_Couture", "tier_3", "prospect")}
    assert page.locator("#result_list", has_text="Browser_Atelier").count() == 1

    # and the config and decisions stay closed to this role
    response = page.goto(f"{site}/admin/orchestration/configrevision/")
    assert response.status == 403


def test_swagger_ui_executes_a_request(page, site, log_in):
    log_in("metrics_viewer")  # the API accepts the admin session (same origin, CSRF-protected writes)
    page.goto(f"{site}/api/v1/docs/")
    operation = page.locator(".opblock-get", has=page.locator("[data-path='/api/v1/orchestration/health']")).first
    operation.locator(".opblock-summary").click()
    operation.locator("button.try-out__btn").click()
    operation.locator("button.execute").click()
    status = operation.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    assert (
        '"status"'
        in operation.locator(".live-responses-table .microlight, .live-responses-table pre").first.inner_text()
    )
