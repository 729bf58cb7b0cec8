"""Realistic generated content and influencers, for demo lists worth paging and for the benchmark."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from content.choices import InfluencerStatus, Platform, tier_for
from content.models import ContentPiece, Influencer
from partnerships.models import Partnership

CONTENT_TYPES = [
    "luxury_showcase",
    "style_tutorial",
    "fashion_inspiration",
    "behind_the_scenes",
    "product_launch",
    "runway_highlight",
    "collection_lookbook",
    "atelier_story",
    "client_story",
    "styling_tips",
]
HANDLE_WORDS = ["Luxe", "Chic", "Atelier", "Runway", "Couture", "Vogue", "Maison", "Silk", "Velvet", "Noir"]
PEOPLE = ["Anna", "Mike", "Lea", "Marco", "Sofia", "Jules", "Nina", "Theo", "Iris", "Omar", "Chloe", "Ravi"]


def generate_influencers(count: int, *, seed: int = 7) -> list[Influencer]:
    rng = random.Random(seed)
    existing = set(Influencer.objects.values_list("name", "platform"))
    rows: list[Influencer] = []
    serial = 0
    while len(rows) < count:
        serial += 1
        name = f"{rng.choice(HANDLE_WORDS)}{rng.choice(PEOPLE)}_{serial}"
        platform = rng.choice([Platform.INSTAGRAM, Platform.TIKTOK, Platform.YOUTUBE, Platform.PINTEREST])
        if (name, platform) in existing:
            continue
        followers = int(10 ** rng.uniform(3.5, 6.7))
        rows.append(
            Influencer(
                name=name,
                platform=platform,
                followers=followers,
                engagement_rate=round(rng.uniform(1.5, 12), 2),
                tier=tier_for(followers),
                status=rng.choice(list(InfluencerStatus.values)),
                verified=rng.random() < 0.4,
            )
        )
    return Influencer.objects.bulk_create(rows, batch_size=1000)


def generate_pieces(count: int, *, seed: int = 11, batch: int = 5000, log: Callable[[str], None] | None = None) -> int:
    """Insert ``count`` pieces spread over the last two years, linked to existing influencers."""
    rng = random.Random(seed)
    influencers = list(Influencer.objects.values_list("pk", flat=True)[:5000]) or [None]
    partnerships = list(Partnership.objects.filter(active=True).values_list("pk", flat=True)) or [None]
    now = timezone.now()
    made = 0
    while made < count:
        rows = []
        for _ in range(min(batch, count - made)):
            reach = int(10 ** rng.uniform(2.5, 6))
            rows.append(
                ContentPiece(
                    platform=rng.choice(list(Platform.values)),
                    content_type=rng.choice(CONTENT_TYPES),
                    title="",
                    published_at=now - timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60)),
                    reach=reach,
                    impressions=int(reach * rng.uniform(1.1, 3)),
                    conversions=int(reach * rng.uniform(0, 0.01)),
                    engagement_rate=round(rng.uniform(0.5, 15), 2),
                    partnership_id=rng.choice(partnerships),
                    influencer_id=rng.choice(influencers) if rng.random() < 0.6 else None,
                )
            )
        ContentPiece.objects.bulk_create(rows, batch_size=batch)
        made += len(rows)
        if log:
            log(f"{made:,} / {count:,} pieces")
    return made
