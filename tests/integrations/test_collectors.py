"""Collectors against a local server that plays the third-party service: good, slow, failing and
malformed answers; every run recorded; samples flow through the ingestion service into the API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from devsky.testing.fake_http import Reply
from integrations import services
from integrations.choices import RunStatus
from integrations.collectors import plugin_for
from integrations.http import Fetcher, retry_after_seconds
from integrations.models import Collector, CollectorRun
from orchestration.models import MetricSample

pytestmark = pytest.mark.django_db

STATS = {"data": {"velocity": 44.5, "uptime": "99.97"}, "generated": "2026-01-02T03:04:05Z"}


def http_collector(url: str, **settings_overrides) -> Collector:
    settings = {
        "url": url,
        "mapping": {"development_velocity": "$.data.velocity", "system_uptime": "$.data.uptime"},
        **settings_overrides,
    }
    collector = Collector(name="jira-stats", kind="http_json", partnership_id="technical_excellence", settings=settings)
    return services.collector_save(collector=collector, credential="s3cret-token")


class SleepRecorder(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """``run(collector)`` → (the run, the backoff sleeps asked for). Runs happen outside a request, so
    their after-commit work (cache invalidation, events) is executed here as a commit would."""

    def run_once(collector: Collector, **fetcher_options) -> tuple[CollectorRun, SleepRecorder]:
        sleeps = SleepRecorder()
        fetcher = Fetcher(sleep=sleeps, **fetcher_options)
        with django_capture_on_commit_callbacks(execute=True):
            result = services.collector_run(collector_id=collector.pk, fetcher=fetcher)
        return result, sleeps

    return run_once


def test_samples_from_the_service_show_up_in_metrics_and_health(demo_data, fake_service, quick_http, role_client, run):
    fake_service.script("/stats", Reply(json=STATS))
    collector = http_collector(f"{fake_service.url}/stats")
    viewer = role_client("metrics_viewer")
    assert viewer.get("/api/v1/orchestration/metrics/technical").json()["metrics"]["development_velocity"] == 35.2

    result, _ = run(collector)

    assert (result.status, result.samples_written, result.http_requests, result.http_status) == ("succeeded", 2, 1, 200)
    assert fake_service.requests[0].headers["Authorization"] == "Bearer s3cret-token"
    metrics = viewer.get("/api/v1/orchestration/metrics/technical").json()["metrics"]
    assert (metrics["development_velocity"], metrics["system_uptime"]) == (44.5, 99.97)
    health = viewer.get("/api/v1/orchestration/health").json()
    assert health["partnerships"]["technical"]["uptime"] == 99.97
    assert MetricSample.objects.filter(source="collector:jira-stats").count() == 2
    collector.refresh_from_db()
    assert (collector.last_status, collector.consecutive_failures) == ("succeeded", 0)


def test_timestamp_path_dates_the_samples(demo_data, fake_service, quick_http, run):
    fake_service.script("/stats", Reply(json=STATS))
    collector = http_collector(f"{fake_service.url}/stats", timestamp_path="$.generated")
    result, _ = run(collector)
    assert result.status == "succeeded"
    stamps = set(MetricSample.objects.filter(source="collector:jira-stats").values_list("recorded_at", flat=True))
    assert [stamp.isoformat() for stamp in stamps] == ["2026-01-02T03:04:05+00:00"]


def test_server_errors_are_retried_with_backoff_then_succeed(demo_data, fake_service, quick_http, run):
    fake_service.script("/stats", Reply(502), Reply(503), Reply(json=STATS))
    result, sleeps = run(http_collector(f"{fake_service.url}/stats"))
    assert (result.status, result.http_requests, result.samples_written) == ("succeeded", 3, 2)
    assert sleeps == [0.01, 0.02]  # exponential backoff


def test_a_service_that_keeps_failing_is_recorded_not_raised(demo_data, fake_service, quick_http, run):
    fake_service.script("/stats", Reply(500, json={"error": "boom"}))
    collector = http_collector(f"{fake_service.url}/stats")
    before = MetricSample.objects.count()
    result, _ = run(collector)
    result, _ = run(collector)
    assert (result.status, result.http_requests, result.http_status) == ("failed", 3, 500)
    assert "gave up after 3 attempts: server error 500" in result.error
    assert result.finished_at is not None
    assert MetricSample.objects.count() == before
    collector.refresh_from_db()
    assert (collector.last_status, collector.consecutive_failures) == ("failed", 2)


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_client_errors_are_not_retried(demo_data, fake_service, quick_http, status, run):
    fake_service.script("/stats", Reply(status, json={"error": "no"}))
    result, sleeps = run(http_collector(f"{fake_service.url}/stats"))
    assert (result.status, result.http_requests, result.http_status, sleeps) == ("failed", 1, status, [])
    assert f"client error {status}" in result.error


def test_rate_limits_are_respected(demo_data, fake_service, quick_http, run):
    fake_service.script("/stats", Reply(429, headers={"Retry-After": "1"}), Reply(json=STATS))
    result, sleeps = run(http_collector(f"{fake_service.url}/stats"))
    assert (result.status, result.http_requests, sleeps) == ("succeeded", 2, [1.0])


def test_a_retry_after_longer_than_we_wait_ends_the_run(demo_data, fake_service, quick_http, run):
    fake_service.script("/stats", Reply(429, headers={"Retry-After": "3600"}))
    result, sleeps = run(http_collector(f"{fake_service.url}/stats"))
    assert (result.status, result.http_requests, result.http_status, sleeps) == ("failed", 1, 429, [])
    assert "Retry-After 3600" in result.error


def test_retry_after_as_an_http_date():
    later = timezone.now() + timedelta(seconds=30)
    assert 25 < retry_after_seconds(later.strftime("%a, %d %b %Y %H:%M:%S GMT")) <= 30
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_slow_answers_time_out_and_are_retried(demo_data, fake_service, quick_http, run):
    fake_service.script("/stats", Reply(json=STATS, delay=1.0))
    result, sleeps = run(http_collector(f"{fake_service.url}/stats"))
    assert (result.status, result.http_requests, len(sleeps)) == ("failed", 3, 2)
    assert "timed out" in result.error


def test_an_unreachable_service_is_a_failed_run(demo_data, quick_http, run):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed once the block ends: nothing listens there
    result, _ = run(http_collector(f"http://127.0.0.1:{port}/stats"))
    assert (result.status, result.http_requests, result.http_status) == ("failed", 3, None)
    assert "ConnectError" in result.error


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply(body=b"<html>oops</html>", headers={"Content-Type": "text/html"}), "malformed answer: not JSON"),
        (Reply(json={"data": {"velocity": "fast", "uptime": 99}}), "expected a number, got 'fast'"),
        (Reply(json={"data": {"velocity": True, "uptime": 99}}), "expected a number, got True"),
        (Reply(json={"data": {"uptime": 99}}), "expected exactly one value in the answer, found 0"),
        (Reply(json=["not", "an", "object"]), "expected exactly one value"),
    ],
)
def test_malformed_answers_fail_the_run_and_store_nothing(demo_data, fake_service, quick_http, reply, message, run):
    fake_service.script("/stats", reply)
    before = MetricSample.objects.count()
    result, _ = run(http_collector(f"{fake_service.url}/stats"))
    assert result.status == "failed"
    assert message in result.error
    assert MetricSample.objects.count() == before


def test_values_the_ingestion_refuses_fail_the_run(demo_data, fake_service, quick_http, run):
    fake_service.script("/stats", Reply(json={"data": {"velocity": 1e30, "uptime": 99}}))
    collector = http_collector(f"{fake_service.url}/stats", mapping={"not_a_kpi": "$.data.uptime"})
    result, _ = run(collector)
    assert result.status == "failed"
    assert "Unknown metric 'not_a_kpi'" in result.error


def test_instagram_style_collector_reads_media_and_insights(demo_data, fake_service, quick_http, run, monkeypatch):
    fake_service.script(
        "/v21.0/1789/media",
        Reply(
            json={
                "data": [
                    {"id": "1", "like_count": 250, "comments_count": 50, "timestamp": "2026-11-01T10:00:00+0000"},
                    {"id": "2", "like_count": 300, "comments_count": 20, "timestamp": "2026-11-02T10:00:00+0000"},
                ],
                "paging": {"cursors": {"after": "x"}},
            }
        ),
    )
    fake_service.script(
        "/v21.0/1789/insights",
        Reply(json={"data": [{"name": "follower_count", "period": "day", "values": [{"value": 10}, {"value": 12}]}]}),
    )
    collector = services.collector_save(
        collector=Collector(
            name="instagram",
            kind="instagram",
            partnership_id="brand_amplification",
            settings={
                "base_url": f"{fake_service.url}/v21.0",
                "account_id": "1789",
                "insights": {"brand_sentiment": "follower_count"},
            },
            credential_env="DEVSKY_CREDENTIAL_INSTAGRAM",
        )
    )
    monkeypatch.setenv("DEVSKY_CREDENTIAL_INSTAGRAM", "graph-token")
    result, _ = run(collector)
    assert (result.status, result.samples_written) == ("succeeded", 2), result.error
    media_request = fake_service.requests[0]
    assert media_request.headers["Authorization"] == "Bearer graph-token"
    assert media_request.query["fields"] == ["like_count,comments_count,timestamp"]
    values = dict(MetricSample.objects.filter(source="collector:instagram").values_list("kpi__key", "value"))
    assert values == {"social_engagement": 310.0, "brand_sentiment": 12.0}


def test_content_library_collector_formulas(demo_data):
    from content.models import ContentPiece

    ContentPiece.objects.all().delete()
    now = timezone.now()
    for rate, reach in [(2.0, 10_000), (6.0, 5_000), (8.0, 1_000), (1.0, 100)]:
        ContentPiece.objects.create(
            platform="instagram", content_type="look", engagement_rate=rate, reach=reach, published_at=now
        )
    ContentPiece.objects.create(  # outside the window
        platform="instagram", content_type="old", engagement_rate=50, reach=1, published_at=now - timedelta(days=40)
    )
    samples = plugin_for("content_library").collect(
        settings={"window_days": 30}, credential="", fetcher=Fetcher(), partnership_id="brand_amplification"
    )
    by_metric = {sample["metric"]: sample["value"] for sample in samples}
    # (200 + 300 + 80 + 1) / 4 interactions per piece; 2 of 4 pieces above 5 %
    assert by_metric["social_engagement"] == pytest.approx(145.25)
    assert by_metric["viral_coefficient"] == pytest.approx(2.0)


def test_settings_are_validated_by_the_plugin():
    with pytest.raises(services.CollectorSettingsInvalid) as caught:
        services.collector_validate(kind="http_json", settings_data={"url": "not a url", "mapping": {"x": "$[[["}})
    assert set(caught.value.errors) == {"settings.url", "settings.mapping.x"}
    with pytest.raises(services.CollectorSettingsInvalid) as caught:
        services.collector_validate(kind="nope", settings_data={})
    assert "kind" in caught.value.errors
    with pytest.raises(services.CollectorSettingsInvalid) as caught:
        services.collector_validate(kind="content_library", settings_data={}, credential_env="DJANGO_SECRET_KEY")
    assert "credential_env" in caught.value.errors


def test_credentials_are_stored_encrypted(demo_data):
    collector = http_collector("http://127.0.0.1:9/stats")
    collector.refresh_from_db()
    assert collector.credential_encrypted and "s3cret-token" not in collector.credential_encrypted
    assert services.collector_credential(collector) == "s3cret-token"


def test_due_collectors_are_claimed_once(demo_data):
    collector = http_collector("http://127.0.0.1:9/stats")
    Collector.objects.create(name="paused", kind="content_library", partnership_id="brand_amplification", enabled=False)
    now = timezone.now()
    assert services.collectors_claim_due(now=now) == [collector.pk]
    assert services.collectors_claim_due(now=now) == []  # the first claim moved next_run_at forward
    collector.refresh_from_db()
    assert collector.next_run_at == now + timedelta(seconds=60)  # the configuration's monitoring interval
    assert services.collectors_claim_due(now=now + timedelta(seconds=61)) == [collector.pk]


def test_a_plugin_bug_is_recorded_not_raised(demo_data, monkeypatch, run):
    collector = http_collector("http://127.0.0.1:9/stats")
    plugin = plugin_for("http_json")

    def broken(**kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(type(plugin), "collect", lambda self, **kwargs: broken(**kwargs))
    result, _ = run(collector)
    assert result.status == RunStatus.FAILED
    assert "ZeroDivisionError" in result.error
