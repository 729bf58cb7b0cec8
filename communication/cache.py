"""Cache keys of communication (DESIGN.md §11: reference data 24 hours)."""

from django.core.cache import cache

PROTOCOLS_TTL = 24 * 3600
PROTOCOLS_KEY = "communication:protocols:v1"


def invalidate_protocols() -> None:
    cache.delete(PROTOCOLS_KEY)
