"""/metrics in the Prometheus text format, parsed by prometheus_client's own parser, with access control."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

from orchestration import services as orchestration_services

pytestmark = pytest.mark.django_db


def scrape(client, **extra):
    return client.get("/metrics", **extra)


def families(response) -> dict:
    return {family.name: family for family in text_string_to_metric_families(response.content.decode())}


def samples_of(family) -> dict:
    return {tuple(sorted(sample.labels.items())): sample.value for sample in family.samples}


def test_metrics_parse_and_carry_the_kpi_gauges(demo_data, client):
    client.get("/healthz")
    response = scrape(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    found = families(response)
    kpis = samples_of(found["devsky_kpi_value"])
    assert kpis[(("kpi", "development_velocity"), ("partnership_type", "technical"))] == 35.2
    assert kpis[(("kpi", "customer_satisfaction"), ("partnership_type", "customer"))] == 92
    assert len(kpis) == 16
    targets = samples_of(found["devsky_kpi_target"])
    assert targets[(("kpi", "development_velocity"), ("partnership_type", "technical"))] == 40
    scores = samples_of(found["devsky_partnership_health_score"])
    assert set(scores) == {(("partnership_type", kind),) for kind in ("technical", "brand", "visual", "customer")}
    assert samples_of(found["devsky_health_status"])[(("status", "healthy"),)] == 1
    for name in ("devsky_alerts_open", "devsky_report_build_seconds", "devsky_celery_queue_depth"):
        assert name in found
    # django-prometheus' request metrics are there too
    assert "django_http_requests_before_middlewares" in found


def test_open_alerts_and_report_build_times_are_exposed(demo_data, client):
    from analytics import services as analytics_services
    from analytics.periods import latest_finished

    orchestration_services.metric_samples_ingest(
        samples=[{"partnership_type": "technical", "metric": "system_uptime", "value": 90.0}]
    )
    orchestration_services.alerts_evaluate()
    analytics_services.report_build(report_type="daily", start=latest_finished("daily")[0])
    found = families(scrape(client))
    alerts = samples_of(found["devsky_alerts_open"])
    key = (("kind", "min_uptime"), ("level", "automated_resolution"), ("partnership", "technical_excellence"))
    assert alerts[key] == 1
    builds = samples_of(found["devsky_report_build_seconds"])
    assert builds[(("report_type", "daily"),)] > 0


def test_other_addresses_are_refused_without_a_token(demo_data, client):
    response = scrape(client, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 403


def test_a_bearer_token_admits_and_its_absence_refuses(demo_data, client, settings):
    settings.DEVSKY_METRICS_TOKEN = "scrape-me"
    assert scrape(client).status_code == 401  # with a token set, loopback needs it too
    assert scrape(client, HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    assert scrape(client, HTTP_AUTHORIZATION="Bearer scrape-me", REMOTE_ADDR="203.0.113.9").status_code == 200


def test_an_allow_list_admits_its_networks(demo_data, client, settings):
    settings.DEVSKY_METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    assert scrape(client, REMOTE_ADDR="10.1.2.3").status_code == 200
    assert scrape(client, REMOTE_ADDR="127.0.0.1").status_code == 403


def test_a_proxied_request_is_not_admitted_by_its_address(demo_data, client, settings):
    # a proxy (or daphne's --proxy-headers) makes REMOTE_ADDR say nothing about the real client
    assert scrape(client, HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 403
    settings.DEVSKY_METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    assert scrape(client, REMOTE_ADDR="10.1.2.3", HTTP_FORWARDED="for=10.1.2.3").status_code == 403
    settings.DEVSKY_METRICS_TOKEN = "scrape-me"
    assert scrape(client, HTTP_AUTHORIZATION="Bearer scrape-me", HTTP_X_FORWARDED_FOR="1.2.3.4").status_code == 200


def test_production_has_no_loopback_default_and_bad_entries_are_skipped(demo_data, client, settings):
    settings.DEVSKY_METRICS_LOOPBACK = False
    assert scrape(client).status_code == 403
    settings.DEVSKY_METRICS_ALLOWED_IPS = ["not-an-address", "127.0.0.0/8"]
    assert scrape(client).status_code == 200
