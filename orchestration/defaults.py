"""Reference data: the KPI catalog of DESIGN.md §3 and the default orchestration configuration (§8)."""

from __future__ import annotations

import copy
from typing import Any

# (type, key, label, unit, target, direction, headline name or "")
KPI_CATALOG: list[tuple[str, str, str, str, float, str, str]] = [
    ("technical", "development_velocity", "Development velocity", "points/sprint", 40, "higher", ""),
    ("technical", "system_uptime", "System uptime", "%", 99.9, "higher", "uptime"),
    ("technical", "api_response_time", "API response time", "ms", 100, "lower", ""),
    ("technical", "security_score", "Security score", "points", 100, "higher", ""),
    ("brand", "social_engagement", "Social engagement", "interactions/post", 300, "higher", "engagement"),
    ("brand", "viral_coefficient", "Viral coefficient", "", 2.5, "higher", ""),
    ("brand", "brand_sentiment", "Brand sentiment", "points", 85, "higher", ""),
    ("brand", "social_revenue", "Social revenue share", "%", 25, "higher", ""),
    ("visual", "visual_search_accuracy", "Visual search accuracy", "%", 95, "higher", "accuracy"),
    ("visual", "session_duration", "Session duration", "s", 60, "higher", ""),
    ("visual", "conversion_rate", "Conversion uplift", "%", 35, "higher", ""),
    ("visual", "user_satisfaction", "User satisfaction", "/5", 4.8, "higher", ""),
    ("customer", "customer_satisfaction", "Customer satisfaction", "%", 90, "higher", "satisfaction"),
    ("customer", "support_efficiency", "Support efficiency gain", "%", 50, "higher", ""),
    ("customer", "average_order_value", "Average order value uplift", "%", 40, "higher", ""),
    ("customer", "first_contact_resolution", "First-contact resolution", "%", 95, "higher", ""),
]

DEFAULT_CONFIG: dict[str, Any] = {
    "monitoring_interval_seconds": 60,
    "alert_thresholds": {
        "below_target_percent": 10,
        "security_incidents": 1,
        "min_customer_satisfaction": 85,
        "min_uptime": 99.5,
    },
    "health_thresholds": {"excellent": 94, "good": 85, "fair": 70},
    "kpi_freshness_hours": 24,
    "escalation_levels": [
        "automated_resolution",
        "partnership_notification",
        "orchestration_review",
        "executive_escalation",
    ],
    "quality_gates": {
        "security": ["no_critical_vulnerabilities", "dependency_audit_clean"],
        "performance": ["api_p99_under_200ms", "health_p99_under_100ms"],
        "business": ["roi_above_target", "customer_satisfaction_above_85"],
    },
}


def default_config() -> dict[str, Any]:
    return copy.deepcopy(DEFAULT_CONFIG)
