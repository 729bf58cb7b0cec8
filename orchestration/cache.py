"""Cache keys and lifetimes of the orchestration app (DESIGN.md §11)."""

from __future__ import annotations

from django.core.cache import cache

METRICS_TTL = 30
HEALTH_TTL = 30
REFERENCE_TTL = 24 * 3600
CONFIG_TTL = 3600
CONFIG_KEY = "orchestration:config:v1"

HEALTH_KEY = "orchestration:health:v1"
# The partnership list (partnerships.selectors.partnership_summaries) embeds each partnership's health, so
# it lives and dies with the health body: same lifetime, deleted by every invalidation below.
PARTNERSHIP_SUMMARIES_KEY = "partnerships:summaries:v1"
HEALTH_KEYS = (HEALTH_KEY, PARTNERSHIP_SUMMARIES_KEY)
METRICS_KEY = "orchestration:metrics:v1:{scope}"
KPI_CATALOG_KEY = "orchestration:kpi-catalog:v1"
# The active decision rule set with its rules, read by every decision. Versions never change once saved;
# activation (services.rule_set_activate) and any save or delete of a rule set or rule (model signals,
# so the admin, fixtures and the shell are covered) drop it after the commit.
RULE_SET_ACTIVE_KEY = "orchestration:rule-set:active:v1"
PARTNERSHIP_TYPES = ("technical", "brand", "visual", "customer")


def metrics_key(partnership_type: str | None) -> str:
    return METRICS_KEY.format(scope=partnership_type or "all")


def invalidate_metrics_and_health() -> None:
    """Called after a commit that changed samples, deliverables or partnerships."""
    cache.delete_many([*HEALTH_KEYS, metrics_key(None), *(metrics_key(kind) for kind in PARTNERSHIP_TYPES)])


def invalidate_health() -> None:
    cache.delete_many(HEALTH_KEYS)


def invalidate_kpi_catalog() -> None:
    cache.delete(KPI_CATALOG_KEY)
    invalidate_metrics_and_health()


def invalidate_config() -> None:
    """A new configuration changes thresholds: health is recomputed too."""
    cache.delete_many([CONFIG_KEY, *HEALTH_KEYS])


def invalidate_active_rule_set() -> None:
    cache.delete(RULE_SET_ACTIVE_KEY)


def rule_set_cache_connect() -> None:
    """Model signals for rule sets and rules (called from OrchestrationConfig.ready)."""
    from django.db import transaction
    from django.db.models.signals import post_delete, post_save

    from orchestration.models import Rule, RuleSet

    def changed(**_kwargs) -> None:
        invalidate_active_rule_set()
        transaction.on_commit(invalidate_active_rule_set)

    for model in (RuleSet, Rule):
        for signal in (post_save, post_delete):
            signal.connect(changed, sender=model, weak=False, dispatch_uid=f"orchestration.rule_set.{model.__name__}")
