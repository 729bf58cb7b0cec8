"""The strategic decision engine: the document's example, the default table row by row, validation,
storage, explanations that survive rule changes, simulation, events and the admin."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devsky.testing.admin import form_data
from devsky.testing.clients import browser_for
from orchestration import services
from orchestration.decisions import CONTEXT_DEFAULTS, decide, decision_facts
from orchestration.models import Decision, RuleSet
from orchestration.rules import RuleSyntaxError, parse_condition, validate_rules
from orchestration.selectors import rule_set_load
from tests.devsky.factories import UserFactory

URL = "/api/v1/orchestration/decisions"
DOCUMENT = {
    "revenue_impact": 500000,
    "customer_impact": 5000,
    "estimated_cost": 100000,
    "expected_revenue": 300000,
    "affects_technical": True,
    "affects_brand": False,
}
OUTCOMES = {"APPROVE_IMMEDIATE", "APPROVE_SCHEDULED", "APPROVE_CONDITIONAL", "DEFER_OR_REJECT"}


@pytest.fixture
def admin_api(role_client, settings):
    settings.DEVSKY_RATE_LIMITS_ENABLED = False
    return role_client("orchestration_admin")


def roi(percent: float, **extra) -> dict:
    """A context whose ROI is exactly ``percent``."""
    return {"estimated_cost": 100000, "expected_revenue": 100000 * (1 + percent / 100), **extra}


RISK_HALF = {"technical_complexity": 5, "market_uncertainty": 5, "resource_availability": 5, "timeline_pressure": 5}
RISK_07 = {"technical_complexity": 7, "market_uncertainty": 7, "resource_availability": 3, "timeline_pressure": 7}


@pytest.mark.django_db
def test_the_documents_example(admin_api):
    response = admin_api.post(URL, {"context": DOCUMENT}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["decision"] == "APPROVE_IMMEDIATE"
    assert body["rationale"] == "High ROI justifies immediate investment"
    assert (body["roi_percentage"], body["risk_score"], body["priority"], body["rule_set"]) == (200, 0.275, "LOW", 1)
    assert body["success_metrics"][0] == "Achieve 200% ROI within 0.33 months"
    assert [step["phase"] for step in body["implementation_plan"]] == [
        "Planning",
        "Development",
        "Deployment",
        "Coordination",
    ]
    assert [step["duration_days"] for step in body["implementation_plan"][:3]] == [6, 18, 6]
    assert body["risk_mitigation"] == []
    assert body["explanation"]["rule"]["order"] == 1
    assert [c["fact"] for c in body["explanation"]["comparisons"]] == ["roi_percentage", "risk_score"]
    assert all(c["result"] for c in body["explanation"]["comparisons"])
    stored = admin_api.get(response["Location"]).json()
    assert stored["result"]["decision"] == "APPROVE_IMMEDIATE"
    assert stored["context"]["estimated_days"] == 30  # defaults applied and kept


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("context", "outcome"),
    [
        (roi(200), "APPROVE_IMMEDIATE"),  # roi exactly 200
        (roi(199.99, customer_impact=20000), "APPROVE_SCHEDULED"),
        (roi(100, revenue_impact=2_000_000), "APPROVE_SCHEDULED"),  # roi exactly 100, CRITICAL
        (roi(99.99, revenue_impact=2_000_000), "APPROVE_CONDITIONAL"),
        (roi(200, **RISK_HALF), "APPROVE_CONDITIONAL"),  # risk exactly 0.5 leaves rows 1 and 2
        (roi(300, **RISK_07), "DEFER_OR_REJECT"),  # risk exactly 0.7 leaves row 3
        (roi(50), "DEFER_OR_REJECT"),  # roi exactly 50 is not > 50
        (roi(50.01), "APPROVE_CONDITIONAL"),
        ({"expected_revenue": 0}, "DEFER_OR_REJECT"),
    ],
)
def test_each_row_and_the_boundaries(admin_api, context, outcome):
    body = admin_api.post(f"{URL}?dry_run=true", {"context": context}, format="json").json()
    assert body["decision"] == outcome, body["explanation"]


@pytest.mark.django_db
def test_extreme_but_valid_figures_stay_finite(admin_api):
    body = admin_api.post(
        f"{URL}?dry_run=true", {"context": {"estimated_cost": 0.01, "expected_revenue": 1e12}}, format="json"
    ).json()
    assert body["roi_percentage"] == pytest.approx(1e16)
    tiny = admin_api.post(f"{URL}?dry_run=true", {"context": {"expected_revenue": 5e-324}}, format="json").json()
    assert tiny["payback_months"] is None
    assert tiny["success_metrics"][0].endswith("within the planning horizon")


@pytest.mark.django_db
def test_priority_levels_and_mitigations(admin_api):
    body = admin_api.post(
        f"{URL}?dry_run=true",
        {
            "context": {
                "operational_impact": 500,
                "technical_complexity": 9,
                "market_uncertainty": 6,
                "resource_availability": 2,
                "timeline_pressure": 8,
            }
        },
        format="json",
    ).json()
    assert body["priority"] == "MEDIUM"
    assert len(body["risk_mitigation"]) == 4
    assert "proof of concept" in body["risk_mitigation"][0]


@pytest.mark.django_db
def test_dry_run_stores_nothing(admin_api):
    response = admin_api.post(f"{URL}?dry_run=true", {"context": DOCUMENT}, format="json")
    assert response.status_code == 200
    assert response.json()["id"] is None
    assert not Decision.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"context": {}}, "context"),
        ({}, "context"),
        ({"context": {"revenue": 1}}, "context.revenue"),
        ({"context": {"estimated_cost": 0}}, "context.estimated_cost"),
        ({"context": {"estimated_cost": -5}}, "context.estimated_cost"),
        ({"context": {"expected_revenue": 1e300}}, "context.expected_revenue"),
        ({"context": {"estimated_cost": 1e-9}}, "context.estimated_cost"),
        ({"context": {"revenue_impact": "500000"}}, "context.revenue_impact"),
        ({"context": {"revenue_impact": True}}, "context.revenue_impact"),
        ({"context": {"estimated_days": 0}}, "context.estimated_days"),
        ({"context": {"estimated_days": 3651}}, "context.estimated_days"),
        ({"context": {"technical_complexity": 11}}, "context.technical_complexity"),
        ({"context": {"affects_brand": "yes"}}, "context.affects_brand"),
        ({"context": "everything"}, "context"),
        ({"context": DOCUMENT, "extra": 1}, "extra"),
    ],
)
def test_invalid_contexts_are_400_naming_the_field(admin_api, body, field):
    response = admin_api.post(URL, body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert not Decision.objects.exists()


@pytest.mark.django_db
def test_only_admins_decide(role_client):
    for role in ("partnership_manager", "metrics_viewer", "content_manager", "metrics_collector"):
        assert role_client(role).post(URL, {"context": DOCUMENT}, format="json").status_code == 403


@pytest.mark.django_db
def test_decisions_are_throttled_at_10_per_minute(role_client, frozen_throttle_clock):
    client = role_client("orchestration_admin")
    statuses = [client.post(f"{URL}?dry_run=true", {"context": DOCUMENT}, format="json").status_code for _ in range(11)]
    assert statuses == [200] * 10 + [429]


@pytest.mark.django_db
def test_idempotency_key_replays_the_stored_decision(admin_api):
    first = admin_api.post(URL, {"context": DOCUMENT}, format="json", HTTP_IDEMPOTENCY_KEY="d-1")
    again = admin_api.post(URL, {"context": DOCUMENT}, format="json", HTTP_IDEMPOTENCY_KEY="d-1")
    assert again.json()["id"] == first.json()["id"]
    assert Decision.objects.count() == 1


@pytest.mark.django_db
def test_list_filters_and_pagination(admin_api):
    for context in (DOCUMENT, roi(50), roi(60), DOCUMENT):
        admin_api.post(URL, {"context": context}, format="json")
    listed = admin_api.get(URL, {"outcome": "APPROVE_IMMEDIATE"}).json()
    assert [row["decision"] for row in listed["results"]] == ["APPROVE_IMMEDIATE"] * 2
    page = admin_api.get(URL, {"page_size": 3}).json()
    assert len(page["results"]) == 3 and page["next"]
    rest = admin_api.get(page["next"]).json()
    assert len(rest["results"]) == 1
    assert admin_api.get(URL, {"rule_set": 1}).json()["results"]
    assert admin_api.get(URL, {"rule_set": 2}).json()["results"] == []
    assert admin_api.get(URL, {"created_after": "not-a-date"}).status_code == 400
    assert admin_api.get(f"{URL}/999999").status_code == 404


@pytest.mark.django_db
def test_a_new_version_changes_new_decisions_not_stored_explanations(admin_api):
    old = admin_api.post(URL, {"context": DOCUMENT}, format="json").json()
    stricter = services.rule_set_create(
        rules=[
            {
                "condition": "roi_percentage >= 300 and risk_score < 0.5",
                "outcome": "APPROVE_IMMEDIATE",
                "rationale": "Only exceptional returns are approved at once",
            },
            {"condition": "otherwise", "outcome": "DEFER_OR_REJECT", "rationale": "Not now"},
        ],
        notes="Stricter",
    )
    services.rule_set_activate(rule_set=stricter)
    new = admin_api.post(URL, {"context": DOCUMENT}, format="json").json()
    assert (new["decision"], new["rule_set"]) == ("DEFER_OR_REJECT", 2)
    stored = admin_api.get(f"{URL}/{old['id']}").json()
    assert stored["rule_set"] == 1
    assert stored["result"]["explanation"] == old["explanation"]
    assert Decision.objects.get(pk=old["id"]).rule.condition == "roi_percentage >= 200 and risk_score < 0.5"


@pytest.mark.django_db
def test_simulate_one_context_against_an_inactive_version_and_compare_two(admin_api):
    v2 = services.rule_set_create(
        rules=[
            {"condition": "roi_percentage >= 300", "outcome": "APPROVE_IMMEDIATE", "rationale": "r"},
            {"condition": "otherwise", "outcome": "DEFER_OR_REJECT", "rationale": "r"},
        ]
    )
    one = admin_api.post(f"{URL}/simulate", {"rule_set": v2.version, "context": DOCUMENT}, format="json").json()
    assert (one["decision"], one["rule_set"]) == ("DEFER_OR_REJECT", 2)
    compared = admin_api.post(
        f"{URL}/simulate", {"rule_sets": [1, 2], "contexts": [DOCUMENT, roi(400), roi(10)]}, format="json"
    ).json()
    assert compared["changed"] == 1
    assert compared["results"][0]["outcomes"] == {
        "1": {"decision": "APPROVE_IMMEDIATE", "rule": 1, "rationale": "High ROI justifies immediate investment"},
        "2": {"decision": "DEFER_OR_REJECT", "rule": 2, "rationale": "r"},
    }
    assert not Decision.objects.exists()
    assert admin_api.post(f"{URL}/simulate", {"rule_set": 99, "context": DOCUMENT}, format="json").status_code == 404
    assert (
        admin_api.post(f"{URL}/simulate", {"rule_sets": [1], "contexts": [DOCUMENT]}, format="json").status_code == 400
    )
    assert admin_api.post(f"{URL}/simulate", {"context": {}}, format="json").status_code == 400


@pytest.mark.django_db
def test_a_stored_decision_is_published_after_commit(admin_api, events, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        body = admin_api.post(URL, {"context": DOCUMENT}, format="json").json()
    message = events.next("decision.made")
    assert message["data"]["id"] == body["id"] and message["data"]["decision"] == "APPROVE_IMMEDIATE"


# --- the rule language -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "condition",
    [
        "roi >= 1",
        "priority > HIGH",
        "roi_percentage >=",
        "(risk_score < 1",
        "otherwise and roi_percentage > 1",
        "priority in {URGENT}",
        "risk_score < low",
        "__import__('os')",
        "",
    ],
)
def test_bad_conditions_are_refused_with_a_reason(condition):
    with pytest.raises(RuleSyntaxError):
        parse_condition(condition)


def test_rule_sets_must_end_in_a_catch_all():
    rules = [{"order": 1, "condition": "roi_percentage > 1", "outcome": "GO", "rationale": "r"}]
    assert "rules" in validate_rules(rules)
    rules.insert(0, {"order": 0, "condition": "otherwise", "outcome": "STOP", "rationale": "r"})
    assert "rules.0.condition" in validate_rules(rules)


@pytest.mark.django_db
def test_invalid_rule_sets_are_rejected_by_the_service():
    from devsky.api.exceptions import ApplicationError

    with pytest.raises(ApplicationError) as raised:
        services.rule_set_create(rules=[{"condition": "roi > 1", "outcome": "go", "rationale": ""}])
    assert {"rules.0.condition", "rules.0.outcome", "rules.0.rationale", "rules"} <= set(raised.value.errors)
    assert RuleSet.objects.count() == 1


CONTEXTS = st.fixed_dictionaries(
    {},
    optional={
        "revenue_impact": st.floats(0, 1e12),
        "customer_impact": st.floats(0, 1e6),
        "operational_impact": st.floats(0, 1e4),
        "estimated_cost": st.floats(0.01, 1e12),
        "expected_revenue": st.floats(0, 1e12),
        "estimated_days": st.floats(1, 3650),
        "technical_complexity": st.floats(0, 10),
        "market_uncertainty": st.floats(0, 10),
        "resource_availability": st.floats(0, 10),
        "timeline_pressure": st.floats(0, 10),
        "affects_technical": st.booleans(),
        "affects_brand": st.booleans(),
        "affects_visual": st.booleans(),
        "affects_customer": st.booleans(),
    },
)


@pytest.mark.django_db
@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(context=CONTEXTS)
def test_any_valid_context_gets_one_of_the_outcomes(context):
    rule_set = rule_set_load()
    answer = decide(context={**CONTEXT_DEFAULTS, **context}, rule_set=rule_set, partnerships={}, kpis=[])
    assert answer["decision"] in OUTCOMES
    facts = decision_facts({**CONTEXT_DEFAULTS, **context})
    assert 0 <= facts["risk_score"] <= 1


@pytest.mark.django_db
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(context=CONTEXTS.filter(bool))
def test_any_valid_context_through_http(admin_api, context):
    response = admin_api.post(f"{URL}?dry_run=true", {"context": context}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["decision"] in OUTCOMES


INVALID = st.one_of(
    st.fixed_dictionaries({"estimated_cost": st.floats(max_value=0, allow_nan=False, allow_infinity=False)}),
    st.fixed_dictionaries({"technical_complexity": st.floats(min_value=10.001, allow_infinity=False)}),
    st.fixed_dictionaries(
        {
            "estimated_days": st.one_of(
                st.floats(max_value=0.99, allow_nan=False, allow_infinity=False),
                st.floats(min_value=3650.01, allow_nan=False, allow_infinity=False),
            )
        }
    ),
    st.dictionaries(st.text(min_size=1).filter(lambda key: key not in CONTEXT_DEFAULTS), st.integers(), min_size=1),
    st.fixed_dictionaries({"revenue_impact": st.one_of(st.text(), st.booleans(), st.none(), st.lists(st.integers()))}),
)


@pytest.mark.django_db
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(context=INVALID)
def test_any_invalid_context_gets_a_400(admin_api, context):
    response = admin_api.post(f"{URL}?dry_run=true", {"context": context}, format="json")
    assert response.status_code == 400, (context, response.content)


# --- the admin ---------------------------------------------------------------------------------


@pytest.fixture
def admin_browser(db):
    return browser_for(UserFactory(roles=["orchestration_admin"], is_staff=True))


@pytest.mark.django_db
def test_editing_in_the_admin_creates_a_new_version(admin_browser):
    v1 = RuleSet.objects.get(version=1)
    url = f"/admin/orchestration/ruleset/{v1.pk}/change/"
    data = form_data(admin_browser.get(url))
    data["rules-0-condition"] = "roi_percentage >= 250 and risk_score < 0.5"
    data["notes"] = "Raise the bar"
    response = admin_browser.post(url, data)
    assert response.status_code == 302
    v1.refresh_from_db()
    assert v1.rules.get(order=1).condition == "roi_percentage >= 200 and risk_score < 0.5"
    v2 = RuleSet.objects.get(version=2)
    assert (v2.active, v2.based_on_id, v2.notes) == (False, v1.pk, "Raise the bar")
    assert v2.rules.get(order=1).condition == "roi_percentage >= 250 and risk_score < 0.5"
    assert v2.rules.count() == 4
    changelist = admin_browser.post(
        "/admin/orchestration/ruleset/", {"action": "activate", "_selected_action": [v2.pk]}, follow=True
    )
    assert "Version 2 now decides." in changelist.content.decode()
    assert RuleSet.objects.get(active=True).version == 2


@pytest.mark.django_db
def test_admin_shows_rule_errors(admin_browser):
    v1 = RuleSet.objects.get(version=1)
    url = f"/admin/orchestration/ruleset/{v1.pk}/change/"
    data = form_data(admin_browser.get(url))
    data["rules-0-condition"] = "roi >= 250"
    page = admin_browser.post(url, data).content.decode()
    assert "unknown fact" in page and "roi" in page
    data = form_data(admin_browser.get(url))
    data["rules-3-condition"] = "risk_score < 0.9"
    page = admin_browser.post(url, data).content.decode()
    assert "The last rule must be &#x27;otherwise&#x27;" in page
    assert RuleSet.objects.count() == 1


def test_deep_nesting_is_refused_not_a_crash():
    with pytest.raises(RuleSyntaxError, match="nests deeper"):
        parse_condition("(" * 200 + "roi_percentage > 1" + ")" * 200)
    with pytest.raises(RuleSyntaxError, match="nests deeper"):
        parse_condition("not " * 100 + "affects_brand")
    with pytest.raises(RuleSyntaxError, match="longer than"):
        parse_condition("roi_percentage > 1 and " * 100 + "risk_score < 1")


@pytest.mark.django_db
def test_simulating_an_empty_context_is_400(admin_api):
    response = admin_api.post(f"{URL}/simulate", {"rule_sets": [1, 1], "contexts": [DOCUMENT, {}]}, format="json")
    assert response.status_code == 400 and "contexts.1" in response.json()["errors"]


@pytest.mark.django_db
def test_the_cached_active_rule_set_follows_activation(admin_api, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert admin_api.post(URL, {"context": DOCUMENT}, format="json").json()["rule_set"] == 1
    with CaptureQueriesContext(connection) as captured:
        assert admin_api.post(URL, {"context": DOCUMENT}, format="json").status_code == 201
    assert not [q for q in captured.captured_queries if "orchestration_rule" in q["sql"] and "SELECT" in q["sql"]]
    candidate = services.rule_set_create(
        rules=[{"condition": "otherwise", "outcome": "DEFER_OR_REJECT", "rationale": "Not now"}], notes="Pause"
    )
    # the new version is inactive: decisions still use version 1 (and cache it again)
    assert admin_api.post(URL, {"context": DOCUMENT}, format="json").json()["rule_set"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.rule_set_activate(rule_set=candidate)
    answer = admin_api.post(URL, {"context": DOCUMENT}, format="json").json()
    assert (answer["decision"], answer["rule_set"]) == ("DEFER_OR_REJECT", 2)
