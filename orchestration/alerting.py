"""Which thresholds of the configuration's ``alert_thresholds`` the latest KPI values break.

Pure functions over the latest samples (``selectors.latest_samples``), so the rules are easy to read
and to test:

- ``below_target``: a KPI's attainment (DESIGN.md §3) is under ``100 - below_target_percent``, i.e. the
  value misses its target by more than that many percent (for "lower is better" KPIs, exceeds it).
- ``min_uptime``: the technical partnership's ``system_uptime`` is under ``min_uptime``.
- ``min_customer_satisfaction``: the customer partnership's ``customer_satisfaction`` is under
  ``min_customer_satisfaction``.
- ``security_incident``: a partnership has at least ``security_incidents`` open security incidents.

Stale or missing KPIs are not alerts: health reports them (``stale_kpis``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from orchestration.choices import AlertKind, Direction

UPTIME_KPI = "system_uptime"
SATISFACTION_KPI = "customer_satisfaction"


@dataclass(frozen=True)
class Breach:
    partnership_id: str
    kpi_id: int | None
    kind: str
    value: float
    threshold: float
    message: str

    @property
    def key(self) -> tuple[str, int | None, str]:
        return (self.partnership_id, self.kpi_id, self.kind)


def below_target_boundary(*, target: float, direction: str, percent: float) -> float:
    """The value past which a KPI counts as below target by more than ``percent``."""
    if direction == Direction.LOWER:
        return target / (1 - percent / 100) if percent < 100 else float("inf")
    return target * (1 - percent / 100)


def kpi_breaches(
    *, latest: dict[str, dict[str, Any]], thresholds: dict[str, Any], fresh_after: datetime | None = None
) -> list[Breach]:
    """The thresholds broken by the latest value of each KPI of the active partnerships; values older
    than ``fresh_after`` are stale (health reports them) and break nothing."""
    found: list[Breach] = []
    percent = float(thresholds["below_target_percent"])
    for entry in latest.values():
        partnership_id = entry["partnership_id"]
        if partnership_id is None:
            continue
        for kpi in entry["kpis"]:
            value = kpi["latest_value"]
            if value is None or (fresh_after is not None and kpi["latest_at"] < fresh_after):
                continue
            boundary = below_target_boundary(target=kpi["target"], direction=kpi["direction"], percent=percent)
            missed = value > boundary if kpi["direction"] == Direction.LOWER else value < boundary
            if missed:
                found.append(
                    Breach(
                        partnership_id,
                        kpi["id"],
                        AlertKind.BELOW_TARGET.value,
                        value,
                        round(boundary, 6),
                        f"{kpi['key']} is {value:g}, more than {percent:g} % off its target {kpi['target']:g}.",
                    )
                )
            for key, setting, kind, label in (
                (UPTIME_KPI, "min_uptime", AlertKind.MIN_UPTIME, "uptime"),
                (SATISFACTION_KPI, "min_customer_satisfaction", AlertKind.MIN_CUSTOMER_SATISFACTION, "satisfaction"),
            ):
                minimum = float(thresholds[setting])
                if kpi["key"] == key and value < minimum:
                    found.append(
                        Breach(
                            partnership_id,
                            kpi["id"],
                            kind.value,
                            value,
                            minimum,
                            f"{label} {value:g} is under the minimum {minimum:g}.",
                        )
                    )
    return found


def incident_breaches(*, open_incidents: dict[str, int], thresholds: dict[str, Any]) -> list[Breach]:
    """Partnerships with at least ``security_incidents`` open security incidents (0 turns this off)."""
    limit = int(thresholds["security_incidents"])
    if limit <= 0:
        return []
    return [
        Breach(
            partnership_id,
            None,
            AlertKind.SECURITY_INCIDENT.value,
            float(count),
            float(limit),
            f"{count} open security incident{'s' if count != 1 else ''} (alert from {limit}).",
        )
        for partnership_id, count in sorted(open_incidents.items())
        if count >= limit
    ]


def escalation_level(*, open_minutes: float, delay_minutes: float, levels: int) -> int:
    """The level an alert open this long has reached: one more per delay, capped at the last level."""
    if levels <= 0:
        return 0
    if delay_minutes <= 0:
        return levels - 1
    return min(levels - 1, int(open_minutes // delay_minutes))
