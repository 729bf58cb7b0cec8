"""Demo partnerships and deliverables of DESIGN.md §3."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from devsky.roles import PARTNERSHIP_MANAGER
from partnerships.choices import DeliverableState
from partnerships.models import Deliverable, Partnership

PARTNERSHIPS = [
    {
        "id": "technical_excellence",
        "type": "technical",
        "name": "Claude + Cursor Technical Engine",
        "ai_partner": "Claude + Cursor",
        "roles": ["architecture", "platform engineering", "security", "performance"],
        "description": "Builds and runs the commerce platform: services, personalisation, payments, mobile.",
        "deliverables": [
            ("microservices_architecture", "Microservices architecture", 60),
            ("ai_personalization_engine", "AI personalization engine", 75),
            ("payment_processing_system", "Payment processing system", 80),
            ("mobile_first_platform", "Mobile-first platform", 70),
        ],
    },
    {
        "id": "brand_amplification",
        "type": "brand",
        "name": "Claude + Grok Brand Engine",
        "ai_partner": "Claude + Grok",
        "roles": ["brand positioning", "content", "influencers", "social commerce"],
        "description": "Grows the brand's reach and desirability across social platforms.",
        "deliverables": [
            ("luxury_brand_positioning", "Luxury brand positioning", 85),
            ("high_engagement_content_library", "High-engagement content library", 90),
            ("verified_influencer_network", "Verified influencer network", 65),
            ("social_commerce_integration", "Social commerce integration", 70),
        ],
    },
    {
        "id": "visual_intelligence",
        "type": "visual",
        "name": "Claude + Gemini Visual Engine",
        "ai_partner": "Claude + Gemini",
        "roles": ["visual search", "virtual try-on", "styling", "augmented reality"],
        "description": "Lets clients find, try and style pieces visually.",
        "deliverables": [
            ("visual_search_system", "Visual search system", 80),
            ("virtual_try_on", "Virtual try-on", 60),
            ("style_recommendations", "Style recommendations", 75),
            ("ar_shopping", "AR shopping", 55),
        ],
    },
    {
        "id": "customer_excellence",
        "type": "customer",
        "name": "Claude + ChatGPT Customer Engine",
        "ai_partner": "Claude + ChatGPT",
        "roles": ["client service", "shopping assistance", "automation", "omnichannel"],
        "description": "Serves clients before, during and after every purchase.",
        "deliverables": [
            ("intelligent_chatbot", "Intelligent chatbot", 85),
            ("shopping_assistant", "Shopping assistant", 70),
            ("automated_content_system", "Automated content system", 80),
            ("omnichannel_journey", "Omnichannel journey", 65),
        ],
    },
]


def seed(*, log: Callable[[str], None]) -> None:
    now = timezone.now()
    created_partnerships = created_deliverables = 0
    for offset, spec in enumerate(PARTNERSHIPS):
        partnership, created = Partnership.objects.get_or_create(
            pk=spec["id"],
            defaults={key: spec[key] for key in ("type", "name", "ai_partner", "roles", "description")},
        )
        created_partnerships += created
        for position, (key, title, completion) in enumerate(spec["deliverables"], start=1):
            _deliverable, created = Deliverable.objects.get_or_create(
                partnership=partnership,
                key=key,
                defaults={
                    "title": title,
                    "completion": completion,
                    "status": f"{completion}% complete",
                    "state": DeliverableState.IN_PROGRESS,
                    "position": position,
                    "due_date": (now + timedelta(days=6 * position + 2 * offset)).date(),
                    "last_updated": now,
                },
            )
            created_deliverables += created
    # the demo partnership manager hears first when a partnership's alert escalates
    manager = get_user_model().objects.filter(username=PARTNERSHIP_MANAGER).first()
    if manager is not None:
        Partnership.objects.filter(manager__isnull=True).update(manager=manager)
    log(f"{created_partnerships} partnerships and {created_deliverables} deliverables created (others existed)")
