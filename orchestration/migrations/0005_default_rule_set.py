from django.db import migrations

DEFAULT_RULES = [
    (1, "roi_percentage >= 200 and risk_score < 0.5", "APPROVE_IMMEDIATE", "High ROI justifies immediate investment"),
    (
        2,
        "priority in {CRITICAL, HIGH} and roi_percentage >= 100 and risk_score < 0.5",
        "APPROVE_SCHEDULED",
        "Strong return on a high-priority initiative; schedule it in the next planning cycle",
    ),
    (
        3,
        "roi_percentage > 50 and risk_score < 0.7",
        "APPROVE_CONDITIONAL",
        "Positive return; approve subject to the risk mitigation plan",
    ),
    (4, "otherwise", "DEFER_OR_REJECT", "Projected return does not justify the risk now"),
]


def install_version_1(apps, schema_editor):
    rule_set_model = apps.get_model("orchestration", "RuleSet")
    rule_model = apps.get_model("orchestration", "Rule")
    if rule_set_model.objects.filter(version=1).exists():
        return
    rule_set = rule_set_model.objects.create(version=1, active=True, notes="Default decision table (DESIGN.md §4).")
    for order, condition, outcome, rationale in DEFAULT_RULES:
        rule_model.objects.create(
            rule_set=rule_set, order=order, condition=condition, outcome=outcome, rationale=rationale
        )


class Migration(migrations.Migration):
    dependencies = [("orchestration", "0004_decision_engine")]

    operations = [migrations.RunPython(install_version_1, migrations.RunPython.noop)]
