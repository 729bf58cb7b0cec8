"""Partnership data has no cache of its own: its reads ride on orchestration's health cache (DESIGN.md §11)."""

from orchestration.cache import invalidate_metrics_and_health as invalidate_after_change

__all__ = ["invalidate_after_change"]
