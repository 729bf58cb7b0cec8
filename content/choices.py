from django.db import models


class Platform(models.TextChoices):
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    PINTEREST = "pinterest", "Pinterest"
    X = "x", "X"
    YOUTUBE = "youtube", "YouTube"
    FACEBOOK = "facebook", "Facebook"
    LINKEDIN = "linkedin", "LinkedIn"
    BLOG = "blog", "Blog"
    EMAIL = "email", "E-mail"


class Tier(models.TextChoices):
    TIER_1 = "tier_1", "Tier 1 (1M+ followers)"
    TIER_2 = "tier_2", "Tier 2 (100k+)"
    TIER_3 = "tier_3", "Tier 3 (10k+)"
    TIER_4 = "tier_4", "Tier 4"


class InfluencerStatus(models.TextChoices):
    PROSPECT = "prospect", "Prospect"
    CONTACTED = "contacted", "Contacted"
    NEGOTIATING = "negotiating", "Negotiating"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    ENDED = "ended", "Ended"


def tier_for(followers: int) -> str:
    """DESIGN.md §6: tier_1 ≥ 1,000,000; tier_2 ≥ 100,000; tier_3 ≥ 10,000; else tier_4."""
    if followers >= 1_000_000:
        return Tier.TIER_1
    if followers >= 100_000:
        return Tier.TIER_2
    if followers >= 10_000:
        return Tier.TIER_3
    return Tier.TIER_4
