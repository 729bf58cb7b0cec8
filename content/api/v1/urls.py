"""Routes of content under /api/v1/content/."""

from content.api.v1 import views
from devsky.api.routing import ApiRouter

router = ApiRouter()
router.register("content/pieces", views.ContentPieceViewSet, basename="content-piece")
router.register("content/influencers", views.InfluencerViewSet, basename="content-influencer")

urlpatterns = [*router.urls]
