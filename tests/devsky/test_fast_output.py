"""FastOutputMixin renders exactly what DRF's field-by-field serializers render."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from rest_framework import serializers

from content.api.v1.serializers import ContentPieceOutput, InfluencerOutput
from tests.content.factories import ContentPieceFactory, InfluencerFactory

pytestmark = pytest.mark.django_db


def drf_rendering(serializer_class, instance, context=None):
    serializer = serializer_class(instance, context=context or {})
    return serializers.Serializer.to_representation(serializer, instance)


@pytest.mark.parametrize("fields", [None, ["id", "published_at", "partnership"], ["influencer", "engagement_rate"]])
def test_content_pieces_render_the_same(fields):
    influencer = InfluencerFactory()
    pieces = [
        ContentPieceFactory(influencer=influencer, published_at=datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)),
        ContentPieceFactory(influencer=None, partnership=None, title="", url="https://example.com/a?b=1"),
        ContentPieceFactory(published_at=datetime(2025, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))),
    ]
    context = {"fields": fields} if fields else {}
    for piece in pieces:
        piece.refresh_from_db()
        fast = ContentPieceOutput(piece, context=context).data
        assert fast == drf_rendering(ContentPieceOutput, piece, context)
        assert list(fast) == list(drf_rendering(ContentPieceOutput, piece, context))


def test_influencers_render_the_same():
    for influencer in (InfluencerFactory(verified=True, notes="n"), InfluencerFactory(verified=False, contact="")):
        influencer.refresh_from_db()
        assert InfluencerOutput(influencer).data == drf_rendering(InfluencerOutput, influencer)


def test_a_serializer_with_a_computed_field_renders_the_drf_way():
    from content.models import Influencer
    from devsky.api.serializers import FastOutputMixin

    class WithComputed(FastOutputMixin, serializers.ModelSerializer):
        label = serializers.SerializerMethodField()

        class Meta:
            model = Influencer
            fields = ["id", "label"]

        def get_label(self, obj):
            return f"{obj.name}@{obj.platform}"

    influencer = InfluencerFactory()
    assert WithComputed(influencer).data == {"id": influencer.pk, "label": f"{influencer.name}@{influencer.platform}"}
