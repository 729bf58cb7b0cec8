"""The six demo protocols of DESIGN.md §8 (times in UTC)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

from communication.models import Protocol
from partnerships.models import Partnership

TECH_TEAM = ["cto@devsky.local", "lead.engineer@devsky.local"]
BRAND_TEAM = ["cmo@devsky.local", "brand.lead@devsky.local"]
PROTOCOLS = [
    (
        "daily_standup",
        "technical_excellence",
        "Daily standup",
        "daily",
        None,
        "",
        time(9),
        15,
        TECH_TEAM,
        ["Yesterday's progress", "Today's plan", "Blockers"],
        ["Updated deliverable status"],
    ),
    (
        "weekly_architecture_review",
        "technical_excellence",
        "Weekly architecture review",
        "weekly",
        4,
        "",
        time(14),
        60,
        TECH_TEAM,
        ["Architecture decisions", "Performance and security review", "Technical debt"],
        ["Architecture decision records"],
    ),
    (
        "monthly_strategic_alignment",
        "technical_excellence",
        "Monthly strategic alignment",
        "monthly",
        4,
        "last",
        time(16),
        90,
        [*TECH_TEAM, "ceo@devsky.local"],
        ["KPI review against targets", "Roadmap", "Resourcing"],
        ["Updated roadmap", "Decisions for the decision engine"],
    ),
    (
        "daily_trend_analysis",
        "brand_amplification",
        "Daily trend analysis",
        "daily",
        None,
        "",
        time(8),
        20,
        BRAND_TEAM,
        ["Trending topics", "Yesterday's content performance", "Today's posts"],
        ["Content plan for the day"],
    ),
    (
        "weekly_campaign_review",
        "brand_amplification",
        "Weekly campaign review",
        "weekly",
        2,
        "",
        time(15),
        45,
        BRAND_TEAM,
        ["Campaign results", "Influencer pipeline", "Next week's campaigns"],
        ["Campaign adjustments"],
    ),
    (
        "monthly_brand_strategy",
        "brand_amplification",
        "Monthly brand strategy",
        "monthly",
        0,
        "first",
        time(10),
        120,
        [*BRAND_TEAM, "ceo@devsky.local"],
        ["Brand health", "Positioning", "Quarterly themes"],
        ["Brand strategy update"],
    ),
]


def seed(*, log: Callable[[str], None]) -> None:
    existing = set(Partnership.objects.values_list("pk", flat=True))
    created = 0
    for key, partnership, name, cadence, weekday, week, at, minutes, people, agenda, outputs in PROTOCOLS:
        if partnership not in existing:
            continue
        _protocol, made = Protocol.objects.get_or_create(
            pk=key,
            defaults={
                "partnership_id": partnership,
                "name": name,
                "cadence": cadence,
                "weekday": weekday,
                "week_of_month": week,
                "time_utc": at,
                "duration_minutes": minutes,
                "participants": people,
                "agenda": agenda,
                "expected_outputs": outputs,
            },
        )
        created += made
    log(f"{created} protocols created (others existed)")
