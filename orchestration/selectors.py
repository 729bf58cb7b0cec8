"""Reads of the orchestration core: KPI catalog, latest metrics, time series and health (DESIGN.md §3)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Avg, Count, Max, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import TruncDay, TruncHour
from django.utils import timezone

from devsky.api.exceptions import NotFoundError
from devsky.health import run_readiness_checks
from devsky.timeutil import iso_utc
from orchestration import cache as keys
from orchestration.choices import Direction, HealthLevel, OverallStatus
from orchestration.decisions import CONTEXT_DEFAULTS, decide
from orchestration.defaults import default_config
from orchestration.models import Alert, ConfigRevision, Decision, Kpi, MetricSample, RuleSet, SecurityIncident
from partnerships.choices import PartnershipType
from partnerships.models import Partnership
from partnerships.selectors import partnership_progress

PARTNERSHIP_TYPES = [choice.value for choice in PartnershipType]
UNKNOWN = "unknown"


def config_revision_current() -> dict[str, Any]:
    """``{version, updated_at, updated_by, config}`` of the revision in force; cached for an hour."""
    body = cache.get(keys.CONFIG_KEY)
    if body is None:
        revision = ConfigRevision.objects.select_related("created_by").first()
        if revision is None:  # before the data migration ran (never in a migrated database)
            body = {"version": 0, "updated_at": None, "updated_by": None, "config": default_config()}
        else:
            body = {
                "version": revision.version,
                "updated_at": iso_utc(revision.created_at),
                "updated_by": revision.created_by.username if revision.created_by else None,
                "config": revision.config,
            }
        cache.set(keys.CONFIG_KEY, body, keys.CONFIG_TTL)
    return body


def config_current() -> dict[str, Any]:
    """The orchestration configuration document in force."""
    return config_revision_current()["config"]


def config_history() -> list[dict[str, Any]]:
    return [
        {
            "version": revision.version,
            "updated_at": iso_utc(revision.created_at),
            "updated_by": revision.created_by.username if revision.created_by else None,
            "config": revision.config,
        }
        for revision in ConfigRevision.objects.select_related("created_by")[:200]
    ]


def kpi_catalog() -> list[dict[str, Any]]:
    """Every KPI with its target and direction; reference data, cached for a day."""
    catalog = cache.get(keys.KPI_CATALOG_KEY)
    if catalog is None:
        catalog = list(
            Kpi.objects.values(
                "id", "partnership_type", "key", "label", "unit", "target", "direction", "headline", "headline_name"
            )
        )
        cache.set(keys.KPI_CATALOG_KEY, catalog, keys.REFERENCE_TTL)
    return catalog


def partnership_type_check(partnership_type: str) -> str:
    if partnership_type not in PARTNERSHIP_TYPES:
        raise NotFoundError(
            f"Unknown partnership type {partnership_type!r}; expected one of {', '.join(PARTNERSHIP_TYPES)}."
        )
    return partnership_type


def latest_samples(*, partnership_types: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Per type, the active partnership and the latest sample of each of its KPIs, in one query.

    Each KPI's value comes from an index seek on (kpi, partnership, -recorded_at), so the cost does not
    grow with the number of stored samples.
    """
    types = partnership_types or PARTNERSHIP_TYPES
    active = Partnership.objects.filter(type=OuterRef("partnership_type"), active=True).values("id")[:1]
    newest = MetricSample.objects.filter(kpi=OuterRef("pk"), partnership_id=OuterRef("active_partnership")).order_by(
        "-recorded_at"
    )
    rows = (
        Kpi.objects.filter(partnership_type__in=types)
        .annotate(active_partnership=Subquery(active))
        .annotate(
            latest_value=Subquery(newest.values("value")[:1]),
            latest_at=Subquery(newest.values("recorded_at")[:1]),
        )
        .values(
            "id",
            "partnership_type",
            "key",
            "target",
            "direction",
            "headline_name",
            "active_partnership",
            "latest_value",
            "latest_at",
        )
    )
    result: dict[str, dict[str, Any]] = {kind: {"partnership_id": None, "kpis": []} for kind in types}
    for row in rows:
        entry = result[row["partnership_type"]]
        entry["partnership_id"] = row["active_partnership"]
        entry["kpis"].append(row)
    return result


def _metrics_entry(kind: str, entry: dict[str, Any]) -> dict[str, Any]:
    samples = [kpi for kpi in entry["kpis"] if kpi["latest_value"] is not None]
    newest = max((kpi["latest_at"] for kpi in samples), default=None)
    return {
        "partnership_type": kind,
        "partnership_id": entry["partnership_id"],
        "metrics": {kpi["key"]: kpi["latest_value"] for kpi in samples},
        "timestamp": iso_utc(newest),
    }


def metrics_for_type(*, partnership_type: str) -> dict[str, Any]:
    """``{partnership_type, metrics: {key: latest value}, timestamp}`` (document 1.2), cached 30 s."""
    partnership_type_check(partnership_type)
    cache_key = keys.metrics_key(partnership_type)
    body = cache.get(cache_key)
    if body is None:
        body = _metrics_entry(partnership_type, latest_samples(partnership_types=[partnership_type])[partnership_type])
        cache.set(cache_key, body, keys.METRICS_TTL)
    return body


def metrics_all() -> dict[str, Any]:
    cache_key = keys.metrics_key(None)
    body = cache.get(cache_key)
    if body is None:
        entries = [_metrics_entry(kind, entry) for kind, entry in latest_samples().items()]
        stamps = [entry["timestamp"] for entry in entries if entry["timestamp"]]
        body = {"metrics": entries, "timestamp": max(stamps) if stamps else None}
        cache.set(cache_key, body, keys.METRICS_TTL)
    return body


def attainment(*, value: float, target: float, direction: str) -> float:
    """Percent of target reached, capped at 100 (DESIGN.md §3)."""
    if direction == Direction.LOWER:
        return 100.0 if value <= target else 100.0 * target / value
    return 100.0 if value >= target else max(0.0, 100.0 * value / target)


def health_level(*, score: float | None, thresholds: dict[str, float]) -> str:
    """The level of a score; ``unknown`` when no KPI has a sample (then the status is degraded, not critical)."""
    if score is None:
        return UNKNOWN
    for level in (HealthLevel.EXCELLENT, HealthLevel.GOOD, HealthLevel.FAIR):
        if score >= thresholds[level.value]:
            return level.value
    return HealthLevel.POOR.value


def health_compute(*, now: datetime | None = None) -> dict[str, Any]:
    """Overall status, per-type health with its headline value, and component checks (document 1.1)."""
    now = now or timezone.now()
    checks = run_readiness_checks()
    if checks.get("database") != "ok":
        return {
            "status": OverallStatus.CRITICAL.value,
            "partnerships": {},
            "last_updated": iso_utc(now),
            "checks": checks,
        }
    config = config_current()
    thresholds = config["health_thresholds"]
    fresh_after = now - timedelta(hours=config["kpi_freshness_hours"])
    latest = latest_samples()
    progress = partnership_progress()
    partnerships: dict[str, Any] = {}
    levels: list[str] = []
    any_stale = False
    newest: datetime | None = None
    for kind, entry in latest.items():
        if entry["partnership_id"] is None:
            continue
        scores = []
        stale = []
        body: dict[str, Any] = {}
        for kpi in entry["kpis"]:
            if kpi["latest_value"] is None or kpi["latest_at"] < fresh_after:
                stale.append(kpi["key"])
            if kpi["latest_value"] is None:
                continue
            newest = max(newest, kpi["latest_at"]) if newest else kpi["latest_at"]
            scores.append(attainment(value=kpi["latest_value"], target=kpi["target"], direction=kpi["direction"]))
            if kpi["headline_name"]:
                body[kpi["headline_name"]] = kpi["latest_value"]
        score = round(sum(scores) / len(scores), 2) if scores else None
        level = health_level(score=score, thresholds=thresholds)
        levels.append(level)
        any_stale = any_stale or bool(stale)
        partnerships[kind] = {
            "health": level,
            **body,
            "score": score,
            "partnership_id": entry["partnership_id"],
            "progress": progress.get(entry["partnership_id"], 0.0),
            "stale_kpis": stale,
        }
    services_failed = any(result != "ok" for result in checks.values())
    if HealthLevel.POOR in levels:
        status = OverallStatus.CRITICAL
    elif HealthLevel.FAIR in levels or UNKNOWN in levels or any_stale or services_failed:
        status = OverallStatus.DEGRADED
    else:
        status = OverallStatus.HEALTHY
    return {
        "status": status.value,
        "partnerships": partnerships,
        "last_updated": iso_utc(newest or now),
        "checks": checks,
    }


def health_current() -> dict[str, Any]:
    body = cache.get(keys.HEALTH_KEY)
    if body is None:
        body = health_compute()
        # An answer that saw a dependency down is not kept: the next request sees the recovery at once.
        if all(result == "ok" for result in body["checks"].values()):
            cache.set(keys.HEALTH_KEY, body, keys.HEALTH_TTL)
    return body


def metric_series(
    *, partnership_type: str, metric: str, since: datetime, until: datetime, bucket: str
) -> dict[str, Any]:
    """avg/min/max/count of one KPI per hour or day, aggregated in the database."""
    partnership_type_check(partnership_type)
    kpi = next((k for k in kpi_catalog() if k["partnership_type"] == partnership_type and k["key"] == metric), None)
    if kpi is None:
        raise NotFoundError(
            f"Unknown metric {metric!r} for {partnership_type}.", errors={"metric": ["Unknown metric."]}
        )
    partnership = Partnership.objects.filter(type=partnership_type, active=True).values_list("id", flat=True).first()
    trunc = TruncHour if bucket == "hour" else TruncDay
    rows = (
        MetricSample.objects.filter(
            kpi_id=kpi["id"], partnership_id=partnership, recorded_at__gte=since, recorded_at__lt=until
        )
        .annotate(bucket=trunc("recorded_at", tzinfo=UTC))
        .values("bucket")
        .annotate(avg=Avg("value"), min=Min("value"), max=Max("value"), count=Count("id"))
        .order_by("bucket")
    )
    return {
        "partnership_type": partnership_type,
        "partnership_id": partnership,
        "metric": metric,
        "bucket": bucket,
        "since": iso_utc(since),
        "until": iso_utc(until),
        "points": [
            {
                "start": iso_utc(row["bucket"]),
                "avg": round(row["avg"], 4),
                "min": row["min"],
                "max": row["max"],
                "count": row["count"],
            }
            for row in rows
        ],
    }


def rule_set_load(*, version: int | None = None) -> dict[str, Any]:
    """A rule set (the active one by default) as plain data, its rules in order; the active one is cached."""
    if version is not None:
        return _rule_set_load(version=version)
    body = cache.get(keys.RULE_SET_ACTIVE_KEY)
    if body is None:
        body = _rule_set_load(version=None)
        cache.set(keys.RULE_SET_ACTIVE_KEY, body, keys.CONFIG_TTL)
    return body


def _rule_set_load(*, version: int | None) -> dict[str, Any]:
    queryset = RuleSet.objects.prefetch_related("rules")
    rule_set = queryset.filter(active=True).first() if version is None else queryset.filter(version=version).first()
    if rule_set is None:
        raise NotFoundError(
            "No active rule set." if version is None else f"No rule set version {version}.",
            errors={} if version is None else {"rule_set": [f"Unknown version {version}."]},
        )
    return {
        "id": rule_set.pk,
        "version": rule_set.version,
        "active": rule_set.active,
        "rules": [
            {
                "id": rule.pk,
                "order": rule.order,
                "condition": rule.condition,
                "outcome": rule.outcome,
                "rationale": rule.rationale,
            }
            for rule in rule_set.rules.all()
        ],
    }


def active_partnerships_by_type() -> dict[str, dict[str, Any]]:
    return {
        row["type"]: {"id": row["id"], "name": row["name"]}
        for row in Partnership.objects.filter(active=True).values("id", "type", "name")
    }


def decision_evaluate(*, context: dict[str, Any], version: int | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Evaluate a context (defaults applied here) under a rule set; returns (answer, rule set)."""
    full_context = {**CONTEXT_DEFAULTS, **context}
    rule_set = rule_set_load(version=version)
    partnerships = active_partnerships_by_type()
    answer = decide(context=full_context, rule_set=rule_set, partnerships=partnerships, kpis=kpi_catalog())
    return answer, rule_set


def decision_list() -> QuerySet[Decision]:
    return Decision.objects.select_related("rule_set", "created_by")


def decision_get(*, decision_id: int) -> Decision:
    decision = decision_list().filter(pk=decision_id).first()
    if decision is None:
        raise NotFoundError(f"No decision {decision_id}.")
    return decision


def decision_compare(*, contexts: list[dict[str, Any]], versions: list[int]) -> dict[str, Any]:
    """Each context under each of the versions, side by side, to preview a rule change."""
    rule_sets = [rule_set_load(version=version) for version in versions]
    partnerships = active_partnerships_by_type()
    catalog = kpi_catalog()
    results = []
    for context in contexts:
        full_context = {**CONTEXT_DEFAULTS, **context}
        outcomes = {}
        for rule_set in rule_sets:
            answer = decide(context=full_context, rule_set=rule_set, partnerships=partnerships, kpis=catalog)
            outcomes[str(rule_set["version"])] = {
                "decision": answer["decision"],
                "rule": answer["explanation"]["rule"]["order"],
                "rationale": answer["rationale"],
            }
        decisions = {outcome["decision"] for outcome in outcomes.values()}
        results.append({"context": context, "outcomes": outcomes, "changed": len(decisions) > 1})
    return {"rule_sets": versions, "changed": sum(row["changed"] for row in results), "results": results}


def alert_list() -> QuerySet[Alert]:
    return Alert.objects.select_related("kpi", "acknowledged_by").prefetch_related("notifications")


def alert_get(*, alert_id: int) -> Alert:
    alert = alert_list().filter(pk=alert_id).first()
    if alert is None:
        raise NotFoundError(f"No alert {alert_id}.")
    return alert


def alert_open_counts() -> dict[tuple[str, str, str], int]:
    """Open alerts per (partnership, kind, level name), for the Prometheus exposition."""
    rows = (
        Alert.objects.filter(resolved_at__isnull=True)
        .values_list("partnership_id", "kind", "level_name")
        .annotate(count=Count("id"))
    )
    return {(partnership, kind, level): count for partnership, kind, level, count in rows}


def security_incident_list() -> QuerySet[SecurityIncident]:
    return SecurityIncident.objects.select_related("reported_by")
