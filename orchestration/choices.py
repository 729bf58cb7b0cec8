from django.db import models


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class HealthLevel(models.TextChoices):
    EXCELLENT = "excellent", "Excellent"
    GOOD = "good", "Good"
    FAIR = "fair", "Fair"
    POOR = "poor", "Poor"


class OverallStatus(models.TextChoices):
    HEALTHY = "healthy", "Healthy"
    DEGRADED = "degraded", "Degraded"
    CRITICAL = "critical", "Critical"


class AlertKind(models.TextChoices):
    BELOW_TARGET = "below_target", "KPI below target"
    MIN_UPTIME = "min_uptime", "Uptime under the minimum"
    MIN_CUSTOMER_SATISFACTION = "min_customer_satisfaction", "Customer satisfaction under the minimum"
    SECURITY_INCIDENT = "security_incident", "Security incidents"
