"""Demo content: the requirements document's examples, plus generated rows so lists are worth paging."""

from __future__ import annotations

from collections.abc import Callable

from content.generate import generate_influencers, generate_pieces
from content.models import ContentPiece, Influencer
from content.services import content_create, influencers_create

DOCUMENT_PIECES = [
    {
        "platform": "instagram",
        "content_type": "luxury_showcase",
        "engagement_rate": 8.5,
        "reach": 50000,
        "conversions": 125,
    },
    {
        "platform": "tiktok",
        "content_type": "style_tutorial",
        "engagement_rate": 12.3,
        "reach": 75000,
        "conversions": 200,
    },
    {
        "platform": "pinterest",
        "content_type": "fashion_inspiration",
        "engagement_rate": 6.8,
        "reach": 30000,
        "conversions": 80,
    },
]
DOCUMENT_INFLUENCERS = [
    {
        "name": "LuxuryLifestyle_Anna",
        "platform": "instagram",
        "followers": 2500000,
        "engagement_rate": 6.5,
        "tier": "tier_1",
        "status": "active",
        "verified": True,
    },
    {
        "name": "FashionForward_Mike",
        "platform": "tiktok",
        "followers": 850000,
        "engagement_rate": 8.2,
        "tier": "tier_2",
        "status": "negotiating",
        "verified": True,
    },
]
GENERATED_INFLUENCERS = 40
GENERATED_PIECES = 300


def seed(*, log: Callable[[str], None]) -> None:
    if Influencer.objects.filter(name="LuxuryLifestyle_Anna", platform="instagram").exists():
        log("content and influencers exist, unchanged")
        return
    influencers_create(items=DOCUMENT_INFLUENCERS, bulk=True)
    content_create(items=DOCUMENT_PIECES, bulk=True)
    generate_influencers(GENERATED_INFLUENCERS)
    generate_pieces(GENERATED_PIECES)
    log(
        f"{Influencer.objects.count()} influencers and {ContentPiece.objects.count()} content pieces created "
        "(the document's examples and generated rows)"
    )
