"""The Prometheus exposition at ``/metrics``: django-prometheus' request, database and cache metrics,
plus gauges read at scrape time from the database and the broker:

- ``devsky_kpi_value{partnership_type, kpi}``: the latest value of each KPI (and ``devsky_kpi_target``);
- ``devsky_partnership_health_score{partnership_type}``: the health score of DESIGN.md §3;
- ``devsky_alerts_open{partnership, kind, level}``: open alerts;
- ``devsky_report_build_seconds{report_type}``: how long the latest report of each type took to build;
- ``devsky_celery_queue_depth{queue}``: tasks waiting in the broker (Redis broker only);
- ``devsky_collector_consecutive_failures{collector}`` and ``devsky_webhook_deliveries{status}``.

Access: a bearer token (``DEVSKY_METRICS_TOKEN``), or direct (not proxied) clients whose address is in
``DEVSKY_METRICS_ALLOWED_IPS`` or, with neither set and outside the production profile, on loopback.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import REGISTRY, CollectorRegistry
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import Collector as PrometheusCollector

from devsky import env

logger = logging.getLogger("devsky.integrations")
_registered = False


class DevskyCollector(PrometheusCollector):
    def describe(self) -> list:
        return []  # read at scrape time only (registering must not query the database)

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django.db import DatabaseError

        try:
            yield from self._kpis()
            yield from self._health()
            yield from self._alerts()
            yield from self._reports()
            yield from self._integrations()
        except DatabaseError as error:  # a scrape during an outage shows the request metrics, not a 500
            logger.warning("metrics gauges unavailable", extra={"error": repr(error)})
        yield from self._queues()

    def _kpis(self) -> Iterator[GaugeMetricFamily]:
        from orchestration.selectors import latest_samples

        values = GaugeMetricFamily("devsky_kpi_value", "Latest value of a KPI", labels=["partnership_type", "kpi"])
        targets = GaugeMetricFamily("devsky_kpi_target", "Target of a KPI", labels=["partnership_type", "kpi"])
        for kind, entry in latest_samples().items():
            for kpi in entry["kpis"]:
                targets.add_metric([kind, kpi["key"]], kpi["target"])
                if kpi["latest_value"] is not None:
                    values.add_metric([kind, kpi["key"]], kpi["latest_value"])
        yield values
        yield targets

    def _health(self) -> Iterator[GaugeMetricFamily]:
        from orchestration.selectors import health_current

        body = health_current()
        scores = GaugeMetricFamily(
            "devsky_partnership_health_score", "Health score of a partnership (0-100)", labels=["partnership_type"]
        )
        for kind, entry in body["partnerships"].items():
            if entry.get("score") is not None:
                scores.add_metric([kind], entry["score"])
        yield scores
        status = GaugeMetricFamily("devsky_health_status", "1 for the current overall status", labels=["status"])
        for name in ("healthy", "degraded", "critical"):
            status.add_metric([name], 1.0 if body["status"] == name else 0.0)
        yield status

    def _alerts(self) -> Iterator[GaugeMetricFamily]:
        from orchestration.selectors import alert_open_counts

        gauge = GaugeMetricFamily("devsky_alerts_open", "Open alerts", labels=["partnership", "kind", "level"])
        for (partnership, kind, level), count in sorted(alert_open_counts().items()):
            gauge.add_metric([partnership, kind, level], count)
        yield gauge

    def _reports(self) -> Iterator[GaugeMetricFamily]:
        from analytics.selectors import report_build_seconds_latest

        gauge = GaugeMetricFamily(
            "devsky_report_build_seconds", "Build time of the latest report of each type", labels=["report_type"]
        )
        for report_type, seconds in sorted(report_build_seconds_latest().items()):
            gauge.add_metric([report_type], seconds)
        yield gauge

    def _integrations(self) -> Iterator[GaugeMetricFamily]:
        from integrations.selectors import collector_failures, webhook_delivery_counts

        failures = GaugeMetricFamily(
            "devsky_collector_consecutive_failures",
            "Failed runs in a row of an enabled collector",
            labels=["collector"],
        )
        for name, count in collector_failures():
            failures.add_metric([name], count)
        yield failures
        deliveries = GaugeMetricFamily("devsky_webhook_deliveries", "Webhook deliveries by status", labels=["status"])
        for status, count in sorted(webhook_delivery_counts().items()):
            deliveries.add_metric([status], count)
        yield deliveries

    def _queues(self) -> Iterator[GaugeMetricFamily]:
        gauge = GaugeMetricFamily("devsky_celery_queue_depth", "Tasks waiting in the broker", labels=["queue"])
        broker = settings.CELERY_BROKER_URL
        if broker.startswith(("redis://", "rediss://")):
            import redis

            queue = settings.CELERY_TASK_DEFAULT_QUEUE
            try:
                client = redis.Redis.from_url(broker, socket_connect_timeout=0.2, socket_timeout=0.2)
                gauge.add_metric([queue], client.llen(queue))
            except redis.RedisError as error:
                logger.warning("queue depth unavailable", extra={"error": repr(error)})
        yield gauge


def register() -> None:
    """Add the project's gauges to the default registry once per process."""
    global _registered
    if not _registered:
        REGISTRY.register(DevskyCollector())
        _registered = True


def registry() -> CollectorRegistry:
    """The default registry; with several worker processes (``PROMETHEUS_MULTIPROC_DIR``), one that adds
    up what every process wrote, plus the gauges."""
    directory = env.get_str("PROMETHEUS_MULTIPROC_DIR", "")
    if not directory:
        return REGISTRY
    from prometheus_client import multiprocess

    combined = CollectorRegistry()
    multiprocess.MultiProcessCollector(combined, path=directory)
    combined.register(DevskyCollector())
    return combined


FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def _client_allowed(request: HttpRequest) -> bool:
    """A valid bearer token always admits. Addresses (the allow-list, or loopback by default outside the
    production profile) admit only direct clients: a request relayed by a proxy carries a forwarding
    header, and its REMOTE_ADDR (the proxy's, or one a server took from that header) proves nothing."""
    token = settings.DEVSKY_METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and _equal(header[7:].strip(), token):
        return True
    if any(name in request.META for name in FORWARDING_HEADERS):
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    allowed = settings.DEVSKY_METRICS_ALLOWED_IPS
    if allowed:
        return any(address in network for network in _networks(tuple(allowed)))
    return not token and settings.DEVSKY_METRICS_LOOPBACK and address.is_loopback


def _networks(entries: tuple[str, ...]) -> list:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            logger.warning("ignoring an invalid DEVSKY_METRICS_ALLOWED_IPS entry", extra={"entry": entry})
    return networks


def _equal(given: str, expected: str) -> bool:
    import hmac

    return hmac.compare_digest(given.encode(), expected.encode())


def metrics_view(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(
            "Method not allowed.\n", status=405, content_type="text/plain", headers={"Allow": "GET, HEAD"}
        )
    if not _client_allowed(request):
        return HttpResponse(
            "Metrics need a bearer token or an allowed address.\n",
            status=401 if settings.DEVSKY_METRICS_TOKEN else 403,
            content_type="text/plain",
            headers={"WWW-Authenticate": 'Bearer realm="metrics"'} if settings.DEVSKY_METRICS_TOKEN else {},
        )
    encoder, content_type = choose_encoder(request.headers.get("Accept", ""))  # text 0.0.4 or OpenMetrics
    return HttpResponse(encoder(registry()), content_type=content_type)
