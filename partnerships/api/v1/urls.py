"""Routes of partnerships under /api/v1/."""

from devsky.api.routing import ApiRouter

router = ApiRouter()

urlpatterns = [*router.urls]
