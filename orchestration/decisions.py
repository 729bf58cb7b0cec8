"""The strategic decision engine (DESIGN.md §4): facts from a context, a rule set's verdict, and the plan.

Pure computation over plain data; orchestration.selectors and orchestration.services load and store.
"""

from __future__ import annotations

import math
from typing import Any

from orchestration import rules as rule_language

CONTEXT_DEFAULTS: dict[str, Any] = {
    "revenue_impact": 0,
    "customer_impact": 0,
    "operational_impact": 0,
    "estimated_cost": 10000,
    "expected_revenue": 50000,
    "estimated_days": 30,
    "technical_complexity": 3,
    "market_uncertainty": 2,
    "resource_availability": 8,
    "timeline_pressure": 4,
    "affects_technical": False,
    "affects_brand": False,
    "affects_visual": False,
    "affects_customer": False,
}
AFFECTS = {
    "affects_technical": "technical",
    "affects_brand": "brand",
    "affects_visual": "visual",
    "affects_customer": "customer",
}
MITIGATIONS = [
    ("technical_complexity", "Technical complexity is high: build a proof of concept before full development."),
    ("market_uncertainty", "Market uncertainty is high: validate the market with a limited launch first."),
    ("resource_scarcity", "Resources are scarce: secure backup resources before starting."),
    ("timeline_pressure", "The timeline is tight: build buffer time into the schedule."),
]


def _number(value: float) -> str:
    """200.0 → '200', 0.33 → '0.33': numbers as people write them (and 1.2e+16 where digits would run on)."""
    if abs(value) >= 1e15:
        return f"{value:.3g}"
    return f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", "")


def _finite(value: float) -> float | None:
    """Two decimals, or None where the arithmetic ran off to infinity (a vanishing revenue)."""
    return round(value, 2) if math.isfinite(value) else None


def decision_facts(context: dict[str, Any]) -> dict[str, Any]:
    """The facts the rule set sees: the context plus priority, risk_score, roi_percentage, payback_months."""
    if context["revenue_impact"] > 1_000_000:
        priority = "CRITICAL"
    elif context["customer_impact"] > 10_000:
        priority = "HIGH"
    elif context["operational_impact"] > 100:
        priority = "MEDIUM"
    else:
        priority = "LOW"
    risk = (
        context["technical_complexity"]
        + context["market_uncertainty"]
        + (10 - context["resource_availability"])
        + context["timeline_pressure"]
    ) / 40
    cost, revenue = context["estimated_cost"], context["expected_revenue"]
    monthly_revenue = revenue / max(context["estimated_days"] / 30, 1)
    return {
        **context,
        "priority": priority,
        "risk_score": round(risk, 4),
        "roi_percentage": round((revenue - cost) / cost * 100, 2),
        "payback_months": _finite(cost / monthly_revenue) if monthly_revenue > 0 else None,
    }


def implementation_plan(context: dict[str, Any], partnerships: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    days = context["estimated_days"]
    plan = [
        {
            "step": 1,
            "phase": "Planning",
            "duration_days": round(max(0.2 * days, 5), 1),
            "description": "Define scope, owners, milestones and success criteria.",
        },
        {
            "step": 2,
            "phase": "Development",
            "duration_days": round(0.6 * days, 1),
            "description": "Build and test the initiative in iterations.",
        },
        {
            "step": 3,
            "phase": "Deployment",
            "duration_days": round(0.2 * days, 1),
            "description": "Roll out, monitor the KPIs and hand over to operations.",
        },
    ]
    for flag, kind in AFFECTS.items():
        if context[flag]:
            partnership = partnerships.get(kind)
            name = partnership["name"] if partnership else f"the {kind} partnership"
            plan.append(
                {
                    "step": len(plan) + 1,
                    "phase": "Coordination",
                    "partnership": partnership["id"] if partnership else None,
                    "duration_days": None,
                    "description": f"Coordinate delivery and KPI impact with {name}.",
                }
            )
    return plan


def success_metrics(facts: dict[str, Any], kpis: list[dict[str, Any]]) -> list[str]:
    payback = facts["payback_months"]
    horizon = f"{_number(payback)} months" if payback is not None else "the planning horizon"
    metrics = [f"Achieve {_number(facts['roi_percentage'])}% ROI within {horizon}"]
    for flag, kind in AFFECTS.items():
        if not facts[flag]:
            continue
        for kpi in kpis:
            if kpi["partnership_type"] == kind:
                verb = "at most" if kpi["direction"] == "lower" else "at least"
                unit = "" if not kpi["unit"] else kpi["unit"] if kpi["unit"] == "%" else f" {kpi['unit']}"
                metrics.append(f"{kpi['label']} {verb} {_number(kpi['target'])}{unit} ({kind})")
    return metrics


def risk_mitigation(context: dict[str, Any]) -> list[str]:
    levels = {
        "technical_complexity": context["technical_complexity"],
        "market_uncertainty": context["market_uncertainty"],
        "resource_scarcity": 10 - context["resource_availability"],
        "timeline_pressure": context["timeline_pressure"],
    }
    return [line for factor, line in MITIGATIONS if levels[factor] > 5]


def decide(
    *,
    context: dict[str, Any],
    rule_set: dict[str, Any],
    partnerships: dict[str, dict[str, Any]],
    kpis: list[dict[str, Any]],
) -> dict[str, Any]:
    """The full answer for a complete context (defaults applied) under one rule set."""
    facts = decision_facts(context)
    rule, tried = rule_language.evaluate(rule_set["rules"], facts)
    return {
        "decision": rule["outcome"],
        "rationale": rule["rationale"],
        "implementation_plan": implementation_plan(context, partnerships),
        "success_metrics": success_metrics(facts, kpis),
        "risk_mitigation": risk_mitigation(context),
        "priority": facts["priority"],
        "risk_score": facts["risk_score"],
        "roi_percentage": facts["roi_percentage"],
        "payback_months": facts["payback_months"],
        "rule_set": rule_set["version"],
        "explanation": {
            "rule": {"order": rule["order"], "condition": rule["condition"], "outcome": rule["outcome"]},
            "comparisons": tried[-1]["comparisons"],
            "rules_tried": tried,
        },
    }
