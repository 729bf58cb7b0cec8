"""Reads of the content library and influencer network."""

from django.db.models import QuerySet

from content.models import ContentPiece, Influencer


def content_list() -> QuerySet[ContentPiece]:
    return ContentPiece.objects.all()


def influencer_list() -> QuerySet[Influencer]:
    return Influencer.objects.all()
