"""Routes of communication under /api/v1/communication/."""

from communication.api.v1 import views
from devsky.api.routing import ApiRouter, api_path

router = ApiRouter()
router.register("communication/meetings", views.MeetingViewSet, basename="communication-meeting")

urlpatterns = [
    api_path("communication/protocols", views.ProtocolListView.as_view(), name="communication-protocols"),
    api_path("communication/schedule", views.ScheduleView.as_view(), name="communication-schedule"),
    *router.urls,
]
