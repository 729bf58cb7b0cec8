import factory

from content.models import ContentPiece, Influencer


class InfluencerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Influencer

    name = factory.Sequence(lambda n: f"Handle_{n}")
    platform = "instagram"
    followers = 50_000
    engagement_rate = 5.0
    tier = "tier_3"


class ContentPieceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContentPiece

    platform = "instagram"
    content_type = "luxury_showcase"
    reach = 1000
    conversions = 10
    engagement_rate = 4.0
